"""One search box for families (by reference, or by a child's or adult's name), meetings (by reference, date or
locality) and actions (by what they say).

Every result passes through the same access rules as the page it links to: families through
policy.visible_family_clause (so a family consulted anonymously is never found by someone who knows it only from an
anonymous item), meetings through visible_meeting_clause, actions through visible_action_clause. Names are searched
only among families the user may see; each family found by a name is audited (never the words searched for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil import parser as date_parser
from sqlalchemy import func, select

from lehc import policy
from lehc.actions.services import ActionFilter, find_actions
from lehc.audit import audit
from lehc.extensions import db
from lehc.models import Action, Family, FamilyMember, Locality, Meeting, User
from lehc.text import contains_pattern

LIMIT = 20
MEETING_REFERENCE = re.compile(r"^([A-Za-z]{3})-([A-Za-z]{2,20})-(\d{8})$")  # Meeting.reference: DUR-LEHC-20261203
NUMERIC_DATE = re.compile(r"^\d{1,2}[/ .-]\d{1,2}[/ .-]\d{2,4}$|^\d{4}-\d{2}-\d{2}$")
MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


@dataclass
class FamilyHit:
    family: Family
    names: list[str] = field(default_factory=list)  # the members whose names matched (the user may see them)


@dataclass
class SearchResults:
    families: list[FamilyHit]
    meetings: list[Meeting]
    actions: list[Action]

    @property
    def count(self) -> int:
        return len(self.families) + len(self.meetings) + len(self.actions)


def as_date(text: str, today: date) -> date | None:
    """A day the words name (1/12/2026, 2026-12-01, 1 December 2026; 1 Dec in this year), day first as in the UK;
    else None."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if not (NUMERIC_DATE.match(text) or (MONTHS.search(text) and re.search(r"\d", text))):
        return None
    try:
        return date_parser.parse(text, dayfirst=True, default=datetime(today.year, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _families(user: User, text: str, today: date) -> list[FamilyHit]:
    visible = policy.visible_family_clause(user, today)
    pattern = contains_pattern(text)
    by_reference = db.session.scalars(
        select(Family)
        .where(visible, Family.reference.ilike(pattern, escape="\\"))
        .order_by(Family.reference)
        .limit(LIMIT)
    ).all()
    hits = {family.id: FamilyHit(family) for family in by_reference}
    by_name = db.session.execute(
        select(Family, FamilyMember.name)
        .join(FamilyMember, FamilyMember.family_id == Family.id)
        .where(visible, Family.anonymised_at.is_(None), FamilyMember.name.ilike(pattern, escape="\\"))
        .order_by(Family.reference, FamilyMember.name)
        .limit(LIMIT * 3)
    ).all()
    found_by_name = set()
    for family, name in by_name:
        if family.id not in hits and len(hits) >= LIMIT:
            break
        hits.setdefault(family.id, FamilyHit(family)).names.append(name)
        found_by_name.add(family.id)
    for family_id in sorted(found_by_name):
        audit("found_by_name", "family", family_id, family_id=family_id)
    return list(hits.values())


def _meetings(user: User, text: str, today: date) -> list[Meeting]:
    query = select(Meeting).where(policy.visible_meeting_clause(user))
    reference = MEETING_REFERENCE.match(text)
    day = as_date(text, today)
    if reference:
        code, kind, digits = reference.groups()
        day = _day_of(digits)
        if day is None:
            return []
        query = query.join(Locality).where(
            Locality.code == code.upper(), Meeting.kind_code == kind.lower(), Meeting.day == day
        )
    elif day is not None:
        query = query.where(Meeting.day == day)
    else:
        locality = db.session.scalar(select(Locality).where(func.lower(Locality.name) == text.lower()))
        if locality is None:
            return []
        query = query.where(Meeting.locality_id == locality.id, Meeting.day >= today)
    return list(db.session.scalars(query.order_by(Meeting.starts_at).limit(LIMIT)))


def _day_of(digits: str) -> date | None:
    """The day of a meeting reference's YYYYMMDD, if it is one."""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def search(user: User, text: str, *, today: date, window_days: int) -> SearchResults:
    """What the words find that the user may see. Every search is audited with what it found (never the words:
    they may be a child's name, which an action's description might hold too)."""
    text = " ".join(text.split())
    actions = find_actions(
        user, ActionFilter(scope="all", status="any", text=text), today=today, window_days=window_days, limit=LIMIT
    )
    results = SearchResults(_families(user, text, today), _meetings(user, text, today), actions)
    named = sum(1 for hit in results.families if hit.names)
    detail = f"{len(results.families)} families ({named} by name), {len(results.meetings)} meetings"
    audit("search", "search", detail=f"{detail}, {len(actions)} actions")
    return results
