"""Who may see and update an action."""

from __future__ import annotations

from datetime import date

from lehc.models import Action, User
from lehc.policy.meetings import can_manage_meetings, can_see_item, can_view_meeting


def can_update_action(user: User, action: Action) -> bool:
    """Owners update their own actions; the locality's chairs and coordinators update any of its actions."""
    return getattr(user, "is_authenticated", False) and (
        action.owner_id == user.id or can_manage_meetings(user, action.meeting.locality_id)
    )


def can_view_action(user: User, action: Action, today: date, window_days: int) -> bool:
    """An action is seen by its owner, and by whoever may see the discussion's item (or the meeting, for a
    meeting-level action)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if action.owner_id == user.id:
        return True
    if action.discussion is None:
        return can_view_meeting(user, action.meeting)
    return can_see_item(user, action.discussion.item, today, window_days)
