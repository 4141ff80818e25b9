"""After the meeting: who attended, approved versions of the minutes, and updates to actions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lehc.extensions import db
from lehc.models.discussions import Action, ActionStatus
from lehc.models.meetings import Meeting
from lehc.models.people import User, utcnow
from lehc.models.reference import enum_column
from lehc.models.types import UTCDateTime


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    DEPUTY = "deputy"

    @property
    def label(self) -> str:
        return {"present": "Present", "apologies": "Apologies", "absent": "Absent", "deputy": "Deputy sent"}[self.value]


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_attendance_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    deputy_name: Mapped[str] = mapped_column(String(120), default="")

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[User] = relationship()


class MinutesVersion(db.Model):
    """An approved version of a meeting's minutes, kept whole so it can be exported unchanged later."""

    __tablename__ = "minutes_version"
    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_minutes_version_meeting_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    amendment_reason: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text)  # JSON snapshot of the minutes as approved

    meeting: Mapped[Meeting] = relationship()
    approved_by: Mapped[User] = relationship()


class ActionUpdate(db.Model):
    __tablename__ = "action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus))
    note: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[Action] = relationship(back_populates="updates")
    by: Mapped[User | None] = relationship()
