"""The Early Help Forums' mailing lists: practitioners invited to their area's forum by e-mail address alone (most
use no LEHC account), each with a token that unsubscribes them."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lehc.extensions import db
from lehc.models.people import utcnow
from lehc.models.reference import AgencySector, Area, enum_column
from lehc.models.types import UTCDateTime


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ForumContact(db.Model):
    """Someone on an area's forum mailing list. Unsubscribing keeps the row (so a re-import does not add them
    back unasked) with the time they left; a coordinator may put them back only by adding them again."""

    __tablename__ = "forum_contact"
    __table_args__ = (UniqueConstraint("area_id", "email", name="uq_forum_contact_area_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # stored lower case
    name: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(160), default="")
    sector: Mapped[AgencySector] = mapped_column(enum_column(AgencySector))
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship()

    @property
    def subscribed(self) -> bool:
        return self.unsubscribed_at is None

    @property
    def label(self) -> str:
        """ "Sam Lee, Harbour" or the address when no name was given."""
        who = self.name or self.email
        return f"{who}, {self.organisation}" if self.organisation else who


class GuestAttendance(db.Model):
    """Someone at a forum who is not there as an LEHC member: a presenter, a practitioner from the mailing list,
    anyone who came. The forum's attendance is counted by organisation and sector (lehc.insight)."""

    __tablename__ = "guest_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(160))
    sector: Mapped[AgencySector] = mapped_column(enum_column(AgencySector))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
