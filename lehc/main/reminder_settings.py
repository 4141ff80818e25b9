"""Which reminders a person receives: every kind unless they switched it off on their profile page."""

from __future__ import annotations

from sqlalchemy import delete, select

from lehc.audit import audit
from lehc.extensions import db
from lehc.models import ReminderKind, ReminderOptOut, User


def reminders_on(user: User) -> set[ReminderKind]:
    off = set(db.session.scalars(select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user.id)))
    return set(ReminderKind) - off


def set_reminders(user: User, wanted: set[ReminderKind]) -> None:
    db.session.execute(delete(ReminderOptOut).where(ReminderOptOut.user_id == user.id))
    db.session.add_all(ReminderOptOut(user_id=user.id, kind=kind) for kind in set(ReminderKind) - wanted)
    audit("change_reminders", "user", user.id, detail="on: " + ", ".join(sorted(kind.value for kind in wanted)))
