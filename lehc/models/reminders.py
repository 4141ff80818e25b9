"""Reminders LEHC e-mails through the outbox (lehc.reminders), which each person may switch off by kind."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lehc.extensions import db
from lehc.models.people import utcnow
from lehc.models.reference import enum_column
from lehc.models.types import UTCDateTime


class ReminderKind(enum.StrEnum):
    AGENDA_DEADLINE = "agenda_deadline"  # to presenters, before the agenda closes
    AGENCY_CHECKS = "agency_checks"  # to agency members with checks unanswered, two working days before
    ACTIONS_DIGEST = "actions_digest"  # to owners, weekly: actions due in the coming week and overdue
    MINUTES_UNAPPROVED = "minutes_unapproved"  # to the chair, five working days after the meeting

    @property
    def label(self) -> str:
        return {
            "agenda_deadline": "Items I present, before the agenda closes",
            "agency_checks": "Agency checks my agency has not answered, two working days before the meeting",
            "actions_digest": "My actions due in the coming week and overdue, every Monday",
            "minutes_unapproved": "Minutes waiting for my approval, five working days after the meeting",
        }[self.value]


class ReminderSent(db.Model):
    """One reminder queued: never twice for the same person, kind, subject and day (the unique key holds this
    even when two servers queue reminders at the same moment)."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "subject", "day", name="uq_reminder_sent_once_a_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind))
    subject: Mapped[str] = mapped_column(String(40))  # what it is about: "meeting-12", "week-2026-W49"
    day: Mapped[date] = mapped_column(Date)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderOptOut(db.Model):
    """A kind of reminder a person has switched off on their profile page (none: every kind is on)."""

    __tablename__ = "reminder_opt_out"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind), primary_key=True)
