"""The meetings area's domain operations, one module per concern: `schedule` (closures, series, meetings,
rescheduling and cancelling), `agenda` (items and publication), `invites` (invites, cancellations, responses and
attendance), `outbox` (what was e-mailed, sending again), `agency_checks`, and the `members` and `slots` they
build on. Callers use `services.<operation>`."""

from lehc.meetings.services.agenda import add_item, move_item, publish_agenda, remove_item, update_item
from lehc.meetings.services.invites import (
    Invitee,
    SeatAttendance,
    expected_attendance,
    invitees,
    meeting_url,
    record_response,
    response_of,
    send_cancellations,
    send_invites,
    send_slot_cancellations,
)
from lehc.meetings.services.members import call_on_members, core_members
from lehc.meetings.services.outbox import OutboxFilter, outbox_page, resend, undelivered
from lehc.meetings.services.schedule import (
    STANDING_ITEMS,
    MeetingFilter,
    add_closure,
    cancel,
    closure_dates,
    closures_for,
    create_series,
    discussion_counts,
    find_meetings,
    mark_held,
    meetings_for_locality,
    meetings_for_user,
    new_meeting,
    reschedule,
)
from lehc.meetings.services.slots import Slot, agenda_slots, meeting_with_agenda, overrun

__all__ = [
    "STANDING_ITEMS",
    "Invitee",
    "MeetingFilter",
    "OutboxFilter",
    "SeatAttendance",
    "Slot",
    "add_closure",
    "add_item",
    "agenda_slots",
    "call_on_members",
    "cancel",
    "closure_dates",
    "closures_for",
    "core_members",
    "create_series",
    "discussion_counts",
    "expected_attendance",
    "find_meetings",
    "invitees",
    "mark_held",
    "meeting_url",
    "meeting_with_agenda",
    "meetings_for_locality",
    "meetings_for_user",
    "move_item",
    "new_meeting",
    "outbox_page",
    "overrun",
    "publish_agenda",
    "record_response",
    "remove_item",
    "reschedule",
    "resend",
    "response_of",
    "send_cancellations",
    "send_invites",
    "send_slot_cancellations",
    "undelivered",
    "update_item",
]
