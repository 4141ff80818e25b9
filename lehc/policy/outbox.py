"""Who may see the outbox (what the service e-mailed, to whom and when) and send a message again."""

from __future__ import annotations

from lehc.models import OutboxMessage, Role, User
from lehc.policy.meetings import can_manage_meetings
from lehc.policy.routes import user_has_role


def can_see_outbox_message(user: User, message: OutboxMessage) -> bool:
    """Administrators see every message's recipient, subject and state (never its body: a reset link lives there);
    a locality's chairs and coordinators see the messages about their locality's meetings and families."""
    if user_has_role(user, Role.ADMIN):
        return True
    return message.locality_id is not None and can_manage_meetings(user, message.locality_id)


def can_resend(user: User, message: OutboxMessage) -> bool:
    """Invitations and cancellations (calendar messages) may be sent again by whoever sees them; a password reset
    or a sign-in notice never is (its link is single-use, and the person asks for a new one)."""
    return message.calendar is not None and can_see_outbox_message(user, message)
