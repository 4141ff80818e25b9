"""Families brought to an LEHC: the record, its members and needs, consent, discussions and actions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lehc.extensions import db
from lehc.models.meetings import AgendaItem
from lehc.models.people import User, utcnow
from lehc.models.reference import Agency, Locality, enum_column
from lehc.models.types import UTCDateTime


class Outcome(enum.StrEnum):
    """The Supporting Families headline outcomes, used to tag a family's needs."""

    EDUCATION = "education"
    EARLY_YEARS = "early_years"
    HEALTH = "health"
    SUBSTANCE_USE = "substance_use"
    RELATIONSHIPS = "relationships"
    SAFE_FROM_ABUSE = "safe_from_abuse"
    CRIME = "crime"
    DOMESTIC_ABUSE = "domestic_abuse"
    HOUSING = "housing"
    FINANCIAL = "financial"

    @property
    def label(self) -> str:
        return {
            "education": "Getting a good education",
            "early_years": "Good early years development",
            "health": "Improved mental and physical health",
            "substance_use": "Reduced harmful substance use",
            "relationships": "Improved family relationships",
            "safe_from_abuse": "Children safe from abuse and exploitation",
            "crime": "Crime prevention and tackling crime",
            "domestic_abuse": "Safe from domestic abuse",
            "housing": "Secure housing",
            "financial": "Financial stability",
        }[self.value]


class FamilyStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class MemberKind(enum.StrEnum):
    CHILD = "child"
    ADULT = "adult"


class ConsentMethod(enum.StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class FamilyNeed(db.Model):
    """A need the family has, tagged with one of the ten headline outcomes."""

    __tablename__ = "family_need"

    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome), primary_key=True)


class ReferenceCounter(db.Model):
    """The last family number used per locality and year, so references are short and never reused."""

    __tablename__ = "reference_counter"
    __table_args__ = (UniqueConstraint("locality_id", "year", name="uq_reference_counter_locality_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class Family(db.Model):
    __tablename__ = "family"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    presenter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    presenter_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    requested_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    lead_practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[FamilyStatus] = mapped_column(enum_column(FamilyStatus), default=FamilyStatus.OPEN)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # personal data removed (retention)
    # In every UPDATE's WHERE; moved on by edits of the content only (lehc.concurrency.touch)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    locality: Mapped[Locality] = relationship(lazy="joined")
    presenter: Mapped[User] = relationship(foreign_keys=[presenter_id])
    presenter_agency: Mapped[Agency | None] = relationship()  # the family page loads it (FAMILY_PAGE)
    lead_practitioner: Mapped[User | None] = relationship(foreign_keys=[lead_practitioner_id])
    members: Mapped[list[FamilyMember]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="FamilyMember.id"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Consent.given_on"
    )
    items: Mapped[list[AgendaItem]] = relationship(back_populates="family")
    needs: Mapped[list[FamilyNeed]] = relationship(cascade="all, delete-orphan", order_by="FamilyNeed.outcome")

    @property
    def outcomes(self) -> list[Outcome]:
        return [need.outcome for need in self.needs]

    @property
    def children(self) -> list[FamilyMember]:
        return [member for member in self.members if member.kind is MemberKind.CHILD]

    @property
    def adults(self) -> list[FamilyMember]:
        return [member for member in self.members if member.kind is MemberKind.ADULT]


class FamilyMember(db.Model):
    __tablename__ = "family_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MemberKind] = mapped_column(enum_column(MemberKind))
    name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    school_or_setting: Mapped[str] = mapped_column(String(200), default="")
    send: Mapped[bool] = mapped_column(default=False)
    relationship_to_child: Mapped[str] = mapped_column(String(80), default="")

    family: Mapped[Family] = relationship(back_populates="members")


class Consent(db.Model):
    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    given_by_name: Mapped[str] = mapped_column(String(120))
    given_by_relationship: Mapped[str] = mapped_column(String(80))
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))
    covers_discussion: Mapped[bool] = mapped_column(default=True)
    covers_sharing: Mapped[bool] = mapped_column(default=True)
    expires_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawal_note: Mapped[str] = mapped_column(Text, default="")

    family: Mapped[Family] = relationship(back_populates="consents")
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_recorded_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_recorded_by_id])


class AuditEvent(db.Model):
    """Who did what to which record, when and from where. Written by the app, never edited through it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    family_id: Mapped[int | None] = mapped_column(index=True)  # no FK: the trail outlives the record
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User | None] = relationship()
