"""Who reads a meeting's minutes, and what of them: the routes' declarations (the meeting for someone who may see
it, or manage it) and the minutes cut down to what the signed-in reader may see. Used by the minutes pages and the
Word exports alike."""

from __future__ import annotations

from datetime import date

from flask import current_app

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
minutes_approver = record(  # approving, and reopening approved minutes for amendment: a chair of the locality
    "meeting",
    _meeting_with_minutes,
    may_see=policy.can_view_meeting,
    may_change=lambda user, meeting: policy.can_approve_minutes(user, meeting.locality_id),
)


def for_reader(minutes: Minutes, meeting: Meeting) -> Minutes:
    """The minutes as the signed-in reader may see them today (policy.minutes_view)."""
    view = policy.minutes_view(
        [policy.signed_in_user()], meeting, date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    )
    return minutes.restricted_to(view.shows, whole_meeting=view.whole_meeting)
