"""The outbox as coordinators see it: what was e-mailed to whom and when, what is waiting or failed, and sending an
invitation again."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lehc import policy
from lehc.audit import audit
from lehc.extensions import db
from lehc.models import Locality, OutboxMessage, OutboxStatus, User
from lehc.models.people import utcnow

UID = re.compile(r"^UID:(.+)$", re.MULTILINE)


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


def _uid(calendar: str | None) -> str:
    """The event an iCalendar message is about (its UID), or '' for a plain e-mail."""
    found = UID.search(calendar or "")
    return found.group(1).strip() if found else ""


def superseded(messages: list[OutboxMessage]) -> set[int]:
    """Ids of the calendar messages a later message to the same person about the same event replaced (an update or a
    cancellation): trying them again would put an old time, or a cancelled meeting, back in a calendar."""
    calendared = [message for message in messages if message.calendar]
    if not calendared:
        return set()
    later = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.calendar).where(
            OutboxMessage.recipient.in_({message.recipient for message in calendared}),
            OutboxMessage.id > min(message.id for message in calendared),
            OutboxMessage.calendar.is_not(None),
        )
    ).all()
    newest: dict[tuple[str, str], int] = {}
    for message_id, recipient, calendar in later:
        key = (recipient, _uid(calendar))
        newest[key] = max(newest.get(key, 0), message_id)
    return {m.id for m in calendared if newest.get((m.recipient, _uid(m.calendar)), m.id) > m.id}


def resend(message: OutboxMessage) -> bool:
    """Try a waiting or failed invitation again now, unless a newer one to the same person replaced it (False)."""
    if message.id in superseded([message]):
        return False
    message.status, message.next_attempt_at, message.last_error = OutboxStatus.PENDING, utcnow(), ""
    audit("resend", "outbox_message", message.id)
    return True
