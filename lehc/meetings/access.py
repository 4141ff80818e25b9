"""What each meetings route is for (lehc.access): a locality's members or managers, a meeting's viewers or
managers, the pack's readers, a check's answerers; and the rule that a cancelled meeting no longer changes."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, url_for

from lehc import policy
from lehc.access import record
from lehc.extensions import db
from lehc.meetings import services
from lehc.models import AgencyCheck, Locality, Meeting, User


def _load_locality(locality_id: int) -> Locality | None:
    return db.session.get(Locality, locality_id)


def _load_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def _load_meeting_with_checks(meeting_id: int) -> Meeting | None:
    return services.meeting_with_agenda(meeting_id, minutes=True)  # minutes: with the items' checks


def _load_check(meeting_id: int, check_id: int) -> AgencyCheck | None:
    check = db.session.get(AgencyCheck, check_id)
    return check if check is not None and check.item.meeting_id == meeting_id else None


def _may_answer(user: User, check: AgencyCheck) -> bool:
    return policy.can_answer_check(user, check, date.today(), current_app.config["CALL_ON_WINDOW_DAYS"])


locality_member = record("locality", _load_locality, may_see=policy.can_see_locality_meetings, refuse_unseen=403)
locality_manager = record("locality", _load_locality, may_see=policy.can_manage_locality, refuse_unseen=403)
meeting_viewer = record("meeting", _load_meeting, may_see=policy.can_view_meeting)
meeting_manager = record(
    "meeting", _load_meeting, may_see=policy.can_view_meeting, may_change=policy.can_manage_meeting
)
meeting_with_checks = record("meeting", _load_meeting_with_checks, may_see=policy.can_view_meeting)
pack_reader = record("meeting", _load_meeting, may_see=policy.can_read_pack)
check_answerer = record("check", _load_check, may_see=_may_answer)


def still_open(meeting: Meeting) -> None:
    """A cancelled meeting can no longer be changed: back to its page with a message."""
    if meeting.is_cancelled:
        flash("This meeting is cancelled and can no longer be changed", "info")
        abort(redirect(url_for("meetings.view_meeting", meeting_id=meeting.id)))
