"""Who reads a meeting's minutes, and what of them: the routes' declarations (the meeting for someone who may see
it, or manage it) and the minutes cut down to what the signed-in reader may see. Used by the minutes pages and the
Word exports alike."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_login import current_user

from lehc import policy
from lehc.access import record
from lehc.meetings.services import meeting_with_agenda
from lehc.minutes.content import Minutes
from lehc.models import Meeting


def _meeting_with_minutes(meeting_id: int) -> Meeting | None:
    return meeting_with_agenda(meeting_id, minutes=True)  # every minutes page reads the whole agenda


# The meeting's minutes pages and files: for those who may see the meeting; running it is for its managers.
minutes_reader = record("meeting", _meeting_with_minutes, may_see=policy.can_view_meeting)
minutes_manager = record(
    "meeting", _meeting_with_minutes, may_see=policy.can_view_meeting, may_change=policy.can_manage_meeting
)


def for_reader(minutes: Minutes, meeting: Meeting) -> Minutes:
    """The minutes as the signed-in reader may see them (policy.can_see_item; the other notes for readers of
    the whole meeting)."""
    window = current_app.config["CALL_ON_WINDOW_DAYS"]
    items = {item.id: item for item in meeting.items}
    today = date.today()
    return minutes.restricted_to(
        lambda item_id: item_id in items and policy.can_see_item(current_user, items[item_id], today, window),
        whole_meeting=policy.sees_whole_meeting(current_user, meeting),
    )
