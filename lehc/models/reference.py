"""Reference data: the seven localities and the areas that group them, the partner agencies, the seats of an LEHC
and the school terms the county keeps."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lehc.extensions import db


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A portable enum column: stored as its string values, checked by a CHECK constraint."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class AgencySector(enum.StrEnum):
    """How the county reports where families come from: education, health or everyone else."""

    EDUCATION = "education"
    HEALTH = "health"
    COUNCIL = "council"
    VOLUNTARY = "voluntary"
    JUSTICE = "justice"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "education": "Education",
            "health": "Health",
            "council": "Council services",
            "voluntary": "Voluntary and community sector",
            "justice": "Police and justice",
            "other": "Other",
        }[self.value]


class Area(db.Model):
    """Localities grouped for the Early Help Forums, which meet once a term per area; an administrator names the
    areas and moves localities between them."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    localities: Mapped[list[Locality]] = relationship(back_populates="area", order_by="Locality.name")

    def __repr__(self) -> str:
        return f"<Area {self.name}>"


class SchoolTerm(db.Model):
    """A school term as the county publishes it ("Autumn term 2026"): the Early Help Forums meet once in each. The
    administrator keeps the table (the holidays package knows bank holidays, not school terms)."""

    __tablename__ = "school_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date, unique=True)
    ends_on: Mapped[date] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<SchoolTerm {self.name}>"


class Locality(db.Model):
    __tablename__ = "locality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # The agenda closes this many days before a meeting: presenters are reminded before then (lehc.reminders).
    agenda_deadline_days: Mapped[int] = mapped_column(default=7, server_default="7")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))

    area: Mapped[Area | None] = relationship(back_populates="localities")
    memberships: Mapped[list[Membership]] = relationship(back_populates="locality")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Locality {self.code}>"


class Agency(db.Model):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    sector: Mapped[AgencySector] = mapped_column(enum_column(AgencySector))

    def __repr__(self) -> str:
        return f"<Agency {self.name}>"


class MembershipKind(enum.StrEnum):
    """Core members are expected at every meeting; call-on members only for the items that need them."""

    CORE = "core"
    CALL_ON = "call_on"

    @property
    def label(self) -> str:
        return "Core" if self is MembershipKind.CORE else "Call-on"


class Seat(db.Model):
    """A place at the LEHC table (e.g. "CAMHS"), core or call-on, normally filled by one agency."""

    __tablename__ = "seat"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[MembershipKind] = mapped_column(enum_column(MembershipKind))
    position: Mapped[int] = mapped_column(default=0)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))

    agency: Mapped[Agency] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Seat {self.name} ({self.kind.value})>"
