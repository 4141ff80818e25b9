"""Meetings of a locality's LEHC: series, single meetings, closures, agenda items and members' responses."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    and_,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lehc.dates import to_london
from lehc.extensions import db
from lehc.models.people import User, utcnow
from lehc.models.reference import Agency, Area, Locality, Seat, enum_column
from lehc.models.types import UTCDateTime


def new_uid() -> str:
    """The unique part of a calendar UID; the service's domain is added when the invite is written."""
    return uuid.uuid4().hex


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    TERMLY = "termly"  # the Early Help Forums: once a school term (lehc.meetings.services.forum_day_problem)

    @property
    def label(self) -> str:
        return {"weekly": "Weekly", "fortnightly": "Fortnightly", "monthly": "Monthly", "termly": "Once a term"}[
            self.value
        ]


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    AGENDA_PUBLISHED = "agenda_published"
    HELD = "held"
    MINUTES_APPROVED = "minutes_approved"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


LEHC = "lehc"  # the code of the first kind of meeting, the Locality Early Help Conversation
STEP = "step"  # the weekly step up / step down meeting
FORUM = "forum"  # the Early Help Forum: once a term per area, no family discussed


class MeetingKind(db.Model):
    """A kind of meeting the early help system runs, as data: what it is called, how often it usually meets, the
    items every agenda of it opens with, whether it discusses families (and so whether consent, need-to-know, the
    mapping and scaling apply), the decisions it records and the titles of its documents. The LEHC is the first
    kind; every meeting and series names its kind."""

    __tablename__ = "meeting_kind"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)  # stable: in data, never shown
    name: Mapped[str] = mapped_column(String(120))  # "Locality Early Help Conversation"
    short_name: Mapped[str] = mapped_column(String(40))  # "LEHC": "Durham LEHC, 3 December 2026"
    discusses_families: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Its discussions move families between levels of need (lehc.families.moves): step up / step down
    records_moves: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Meets for an area (localities grouped), once a term, with presentations in place of families: the forum
    meets_per_area: Mapped[bool] = mapped_column(default=False, server_default=false())
    default_frequency: Mapped[Frequency] = mapped_column(
        enum_column(Frequency), default=Frequency.FORTNIGHTLY, server_default=Frequency.FORTNIGHTLY.value
    )
    # Document titles follow the place: "Durham" + " Locality Early Help Conversation: minutes"
    agenda_title: Mapped[str] = mapped_column(String(160), default="", server_default="")
    minutes_title: Mapped[str] = mapped_column(String(160), default="", server_default="")

    standing_items: Mapped[list[MeetingKindItem]] = relationship(
        order_by="MeetingKindItem.position", cascade="all, delete-orphan"
    )  # read when a meeting is created, not with every meeting
    decision_rows: Mapped[list[MeetingKindDecision]] = relationship(  # noqa: F821
        order_by="MeetingKindDecision.position", cascade="all, delete-orphan"
    )

    @property
    def decisions(self) -> list[Decision]:  # noqa: F821
        """The decisions a discussion at a meeting of this kind can record, in the order they are offered."""
        return [row.decision for row in self.decision_rows]

    def __repr__(self) -> str:
        return f"<MeetingKind {self.code}>"


class KindSeat(db.Model):
    """A seat whose holder is invited to the whole of every meeting of a kind: the kind's default (no locality) or
    one locality's own choice, which replaces the default there (lehc.meetings.services.members). A kind with no
    seats invites every core member of the locality, as the LEHC always has."""

    __tablename__ = "kind_seat"
    __table_args__ = (UniqueConstraint("kind_code", "locality_id", "seat_id", name="uq_kind_seat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_code: Mapped[str] = mapped_column(ForeignKey("meeting_kind.code"), index=True)
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("locality.id"))
    seat_id: Mapped[int] = mapped_column(ForeignKey("seat.id"))

    seat: Mapped[Seat] = relationship(lazy="joined")


class MeetingKindItem(db.Model):
    """An item every agenda of a kind starts with, in order (welcome and apologies, review of actions...)."""

    __tablename__ = "meeting_kind_item"

    kind_code: Mapped[str] = mapped_column(ForeignKey("meeting_kind.code"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int]


class MeetingSeries(db.Model):
    """The pattern a locality's meetings were created from (kept to show how a meeting came about)."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency))
    weekday: Mapped[int]  # Monday = 0
    week_of_month: Mapped[int | None]  # monthly only: 1-4, or -1 for the last
    start_time: Mapped[time] = mapped_column(Time)  # Europe/London wall-clock time
    duration_minutes: Mapped[int]
    first_date: Mapped[date] = mapped_column(Date)
    until_date: Mapped[date | None] = mapped_column(Date)
    occurrences: Mapped[int | None]
    venue: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind_code: Mapped[str] = mapped_column(ForeignKey("meeting_kind.code"), default=LEHC, server_default=LEHC)

    locality: Mapped[Locality] = relationship()
    kind: Mapped[MeetingKind] = relationship()


class ClosureDate(db.Model):
    """A day a locality does not meet (training day, office closure), on top of England's bank holidays."""

    __tablename__ = "closure_date"
    __table_args__ = (UniqueConstraint("locality_id", "day", name="uq_closure_date_locality_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))

    locality: Mapped[Locality] = relationship()


LONGEST_MEETING = timedelta(days=1)


class Meeting(db.Model):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The meeting's date in London, kept in step with starts_at: what consent is judged on, in SQL as in Python.
    day: Mapped[date] = mapped_column(Date)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus), default=MeetingStatus.SCHEDULED)
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    minutes_notes: Mapped[str] = mapped_column(Text, default="")  # general notes and any other business
    declarations: Mapped[str] = mapped_column(Text, default="", server_default="")  # of interest, for the minutes
    amendment_reason: Mapped[str] = mapped_column(Text, default="")  # while approved minutes are being amended
    # In every UPDATE's WHERE; moved on by edits of the date, time and place only (lehc.concurrency.touch)
    version: Mapped[int] = mapped_column(default=1)
    kind_code: Mapped[str] = mapped_column(ForeignKey("meeting_kind.code"), default=LEHC, server_default=LEHC)
    # An Early Help Forum meets for an area; its locality is the one that hosts it (whose coordinators run it)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    locality: Mapped[Locality] = relationship(lazy="joined")  # reference data: one join, never a round trip
    kind: Mapped[MeetingKind] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship()
    series: Mapped[MeetingSeries | None] = relationship()
    organiser: Mapped[User | None] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    responses: Mapped[list[MeetingResponse]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    # a forum's attendance beyond its LEHC members (lehc.models.forums)
    guests: Mapped[list[GuestAttendance]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", order_by="GuestAttendance.id"
    )
    changes: Mapped[list[MeetingChange]] = relationship(
        back_populates="meeting", order_by="MeetingChange.id", cascade="all, delete-orphan"
    )

    @classmethod
    def not_over(cls, now: datetime) -> ColumnElement[bool]:
        """Meetings that have not ended, as a clause an index on starts_at can start from near `now` instead of the
        beginning of the history (a meeting is at most a day long: the form allows 8 hours)."""
        return and_(cls.starts_at >= now - LONGEST_MEETING, cls.ends_at >= now)

    @validates("starts_at")
    def _keep_day(self, _key: str, starts_at: datetime) -> datetime:
        self.day = to_london(starts_at).date()
        return starts_at

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None and not self.is_cancelled

    @property
    def agenda_closes_on(self) -> date:
        """The last day items go on the agenda: the locality's deadline before the meeting (lehc.reminders)."""
        return self.day - timedelta(days=self.locality.agenda_deadline_days)

    @property
    def minutes_locked(self) -> bool:
        """Approved minutes change only through an amendment with a reason."""
        return self.status is MeetingStatus.MINUTES_APPROVED

    @property
    def name(self) -> str:
        """The meeting by its locality (an area's, for a forum) and kind, as people say it: "Durham LEHC"."""
        return f"{self.place} {self.kind.short_name}"

    @property
    def place(self) -> str:
        return self.area.name if self.area_id is not None else self.locality.name

    @property
    def full_name(self) -> str:
        """The meeting by its locality and its kind's full name: "Durham Locality Early Help Conversation"."""
        return f"{self.place} {self.kind.name}"

    @property
    def reference(self) -> str:
        """How a meeting is named in e-mails and calendars: locality code, kind and date, nothing about families."""
        return f"{self.locality.code}-{self.kind.code.upper()}-{self.day:%Y%m%d}"  # the London date


class ItemKind(enum.StrEnum):
    STANDING = "standing"
    DISCUSSION = "discussion"  # a family's
    PRESENTATION = "presentation"  # a forum's presentation or partnership item: no family, open to the whole room


class DiscussionType(enum.StrEnum):
    NEW = "new"
    REVIEW = "review"
    ANONYMOUS = "anonymous"

    @property
    def label(self) -> str:
        return {"new": "New", "review": "Review", "anonymous": "Anonymous consultation"}[self.value]


agenda_item_call_on = Table(
    "agenda_item_call_on",
    db.metadata,
    Column("item_id", Integer, ForeignKey("agenda_item.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("user_account.id"), primary_key=True),
    Index("ix_agenda_item_call_on_user_id", "user_id"),  # "items this person is called on for", in every rule
)


class AgendaItem(db.Model):
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    title: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(40), default="")
    discussion_type: Mapped[DiscussionType | None] = mapped_column(enum_column(DiscussionType))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id"), index=True)
    duration_minutes: Mapped[int] = mapped_column(default=20)
    # A presentation's presenter, who need not be an LEHC user: a name and an organisation as the forum knows them
    presenter_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    presenter_organisation: Mapped[str] = mapped_column(String(160), default="", server_default="")
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    # In every UPDATE's WHERE; moved on by edits of the content only (lehc.concurrency.touch)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    presenter: Mapped[User | None] = relationship()
    family: Mapped[Family | None] = relationship(back_populates="items")  # noqa: F821
    discussion: Mapped[Discussion | None] = relationship(  # noqa: F821
        back_populates="item", uselist=False, cascade="all, delete-orphan"
    )
    call_on_members: Mapped[list[User]] = relationship(secondary=agenda_item_call_on, order_by="User.name")
    agency_checks: Mapped[list[AgencyCheck]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="AgencyCheck.agency_id"
    )

    @property
    def is_discussion(self) -> bool:
        return self.kind is ItemKind.DISCUSSION

    @property
    def is_presentation(self) -> bool:
        return self.kind is ItemKind.PRESENTATION

    @property
    def is_movable(self) -> bool:
        """Added by the chair, so moved, changed and removed by them: every item but the kind's standing ones."""
        return self.kind is not ItemKind.STANDING

    @property
    def presented_by(self) -> str:
        """Who presents, as the agenda prints it: "Sam Lee, Durham Safeguarding Children Partnership"; a member by
        name and agency, as the person pickers name them ("Pat Kelly, CAMHS")."""
        if self.is_presentation:
            return ", ".join(part for part in (self.presenter_name, self.presenter_organisation) if part)
        return self.presenter.label if self.presenter is not None else ""

    @property
    def calendar_label(self) -> str:
        """The only way an item is named outside LEHC's own pages: its reference, never a title or name."""
        if self.is_presentation:
            return f"Presentation item {self.position}"
        return f"Discussion {self.reference}" if self.reference else f"Discussion item {self.position}"


class CheckAnswer(enum.StrEnum):
    KNOWN = "known"
    NOT_KNOWN = "not_known"
    INVOLVED_NOW = "involved_now"

    @property
    def label(self) -> str:
        return {"known": "Known to us", "not_known": "Not known to us", "involved_now": "Involved now"}[self.value]


class AgencyCheck(db.Model):
    """One agency's answer, before the meeting, to "do you know this family?" for one agenda item.

    The row is created (unanswered) when the agenda is published; `family_id` records which family was asked
    about, so a check never carries over if the item is later pointed at another family.
    """

    __tablename__ = "agency_check"
    __table_args__ = (UniqueConstraint("item_id", "agency_id", name="uq_agency_check_item_agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[CheckAnswer | None] = mapped_column(enum_column(CheckAnswer))
    note: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[AgendaItem] = relationship(back_populates="agency_checks")
    agency: Mapped[Agency] = relationship(lazy="joined")
    answered_by: Mapped[User | None] = relationship()

    @property
    def answered(self) -> bool:
        return self.answer is not None


class ResponseKind(enum.StrEnum):
    ACCEPTED = "accepted"
    APOLOGIES = "apologies"
    DEPUTY = "deputy"
    TENTATIVE = "tentative"  # "maybe" in a calendar: not yet a place at the table

    @property
    def label(self) -> str:
        return {
            "accepted": "Attending",
            "apologies": "Apologies",
            "deputy": "Sending a deputy",
            "tentative": "Tentative",
        }[self.value]


class ResponseSource(enum.StrEnum):
    LEHC = "lehc"  # answered on LEHC's own page
    CALENDAR = "calendar"  # Accept, Decline or Tentative in a calendar, read from the service mailbox


class MeetingResponse(db.Model):
    """A member's answer to an invitation. No row means no reply yet."""

    __tablename__ = "meeting_response"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_response_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    response: Mapped[ResponseKind] = mapped_column(enum_column(ResponseKind))
    deputy_name: Mapped[str] = mapped_column(String(120), default="")
    deputy_email: Mapped[str] = mapped_column(String(254), default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")  # a calendar reply's comment
    source: Mapped[ResponseSource] = mapped_column(
        enum_column(ResponseSource), default=ResponseSource.LEHC, server_default=ResponseSource.LEHC.value
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="responses")
    user: Mapped[User] = relationship()


class CalendarReply(db.Model):
    """A calendar reply applied from the service mailbox, by its message's identity: a message read again (a run
    that stopped before moving it) is not applied twice, nor over a later answer."""

    __tablename__ = "calendar_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of its Message-ID (or bytes)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingChange(db.Model):
    """What changed about a meeting or its agenda after invites went out, and who changed it."""

    __tablename__ = "meeting_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    description: Mapped[str] = mapped_column(String(300))

    meeting: Mapped[Meeting] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()
