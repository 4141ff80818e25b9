"""The outbox as coordinators see it: what was e-mailed to whom and when, what is waiting or failed, and sending an
invitation again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lehc import policy
from lehc.audit import audit
from lehc.extensions import db
from lehc.models import Locality, OutboxMessage, OutboxStatus, User
from lehc.models.people import utcnow


@dataclass(frozen=True)
class OutboxFilter:
    status: OutboxStatus | None = None
    locality_id: int | None = None


def outbox_page(user: User, chosen: OutboxFilter, *, offset: int = 0, limit: int = 50) -> tuple[int, list]:
    """(how many, one page of) the messages the user may see, newest first."""
    query = select(OutboxMessage).where(policy.visible_outbox_clause(user))
    if chosen.status is not None:
        query = query.where(OutboxMessage.status == chosen.status)
    if chosen.locality_id is not None:
        query = query.where(OutboxMessage.locality_id == chosen.locality_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = db.session.scalars(
        query.options(selectinload(OutboxMessage.recipient_user), selectinload(OutboxMessage.locality))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return total, list(page)


def undelivered(locality: Locality) -> dict[OutboxStatus, int]:
    """How many of the locality's messages wait to be sent and how many failed."""
    query = (
        select(OutboxMessage.status, func.count())
        .where(
            OutboxMessage.locality_id == locality.id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.FAILED]),
        )
        .group_by(OutboxMessage.status)
    )
    return {status: count for status, count in db.session.execute(query).all()}


def resend(message: OutboxMessage) -> OutboxMessage:
    """A waiting or failed message is tried again now; a sent one is queued again as a new message (the same
    invitation: calendars update the event they already hold rather than add a second)."""
    if message.status is OutboxStatus.SENT:
        again = OutboxMessage(
            recipient=message.recipient,
            recipient_user_id=message.recipient_user_id,
            locality_id=message.locality_id,
            subject=message.subject,
            body=message.body,
            calendar=message.calendar,
            calendar_method=message.calendar_method,
        )
        db.session.add(again)
    else:
        again = message
        again.status, again.next_attempt_at, again.last_error = OutboxStatus.PENDING, utcnow(), ""
    db.session.flush()
    audit("resend", "outbox_message", message.id, detail=f"as message {again.id}" if again is not message else "")
    return again
