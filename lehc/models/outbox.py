"""E-mail is written here first and sent by `flask send-outbox`, so nothing is lost when SMTP is down."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lehc.extensions import db
from lehc.models.people import User, utcnow
from lehc.models.reference import Locality, enum_column
from lehc.models.types import UTCDateTime


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # could never be sent as it is (see last_error); not retried


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the locality a meeting's invitation or a family's notice is about: its coordinators see it on the outbox page
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("locality.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    calendar: Mapped[str | None] = mapped_column(Text)  # an iCalendar object, sent as text/calendar
    calendar_method: Mapped[str | None] = mapped_column(String(10))  # REQUEST or CANCEL
    # A mailing list's message (a forum's invitation to an address alone): its List-Unsubscribe link
    unsubscribe_url: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient_user: Mapped[User | None] = relationship()
    locality: Mapped[Locality | None] = relationship()
