"""Who may see the outbox (what the service e-mailed, to whom and when) and send a message again."""

from __future__ import annotations

from lehc.models import OutboxMessage, OutboxStatus, Role, User
from lehc.policy.meetings import can_manage_meetings
from lehc.policy.routes import user_has_role


def can_see_outbox_message(user: User, message: OutboxMessage) -> bool:
    """Administrators see every message's recipient, subject and state (never its body: a reset link lives there);
    a locality's chairs and coordinators see the messages about their locality's meetings and families."""
    if user_has_role(user, Role.ADMIN):
        return True
    return message.locality_id is not None and can_manage_meetings(user, message.locality_id)


def can_resend(user: User, message: OutboxMessage) -> bool:
    """An invitation or cancellation (a calendar message) that has not gone yet may be tried again now by whoever
    sees it. A sent one is not sent again (its copy would put an old time back in a calendar: the person downloads
    the meeting's current .ics instead), nor a password reset or sign-in notice (single-use links), nor one to a
    deactivated account. Whether a newer message replaced it is the outbox service's to say (outbox.superseded)."""
    return (
        message.calendar is not None
        and message.status is not OutboxStatus.SENT
        and (message.recipient_user is None or message.recipient_user.active)
        and can_see_outbox_message(user, message)
    )
