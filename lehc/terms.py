"""School terms, as the administrator keeps them: which term a day falls in, and what a new or changed term would
clash with. One place for the rules the forms and the Early Help Forums' termly pattern share."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lehc.extensions import db
from lehc.models import SchoolTerm

LONGEST_TERM_DAYS = 7 * 20  # a term is about 12 to 16 weeks; twenty is a typing mistake


def all_terms() -> list[SchoolTerm]:
    """Every term, earliest first."""
    return list(db.session.scalars(select(SchoolTerm).order_by(SchoolTerm.starts_on)))


def upcoming_terms(today: date) -> list[SchoolTerm]:
    """The terms not yet over, earliest first: the ones a forum can still be placed in."""
    query = select(SchoolTerm).where(SchoolTerm.ends_on >= today).order_by(SchoolTerm.starts_on)
    return list(db.session.scalars(query))


def term_of(day: date) -> SchoolTerm | None:
    """The term a day falls in (None in the holidays)."""
    query = select(SchoolTerm).where(SchoolTerm.starts_on <= day, SchoolTerm.ends_on >= day)
    return db.session.scalar(query)


def overlapping(starts_on: date, ends_on: date, *, excluding_id: int | None = None) -> SchoolTerm | None:
    """Another term that shares a day with the one given, if any."""
    query = select(SchoolTerm).where(SchoolTerm.starts_on <= ends_on, SchoolTerm.ends_on >= starts_on)
    if excluding_id is not None:
        query = query.where(SchoolTerm.id != excluding_id)
    return db.session.scalar(query.order_by(SchoolTerm.starts_on).limit(1))
