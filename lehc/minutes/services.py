"""Running the meeting and approving its minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from lehc.extensions import db
from lehc.meetings.services import agenda_slots, invitees
from lehc.minutes.content import Minutes, build_minutes
from lehc.models import (
    Action,
    AgencySector,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    GuestAttendance,
    Meeting,
    MeetingStatus,
    MinutesVersion,
    User,
)
from lehc.models.people import utcnow
from lehc.request_cache import forget, once_per_request


class MinutesLocked(Exception):
    """Approved minutes change only through an amendment with a reason."""


def attendance_for(meeting: Meeting) -> list[Attendance]:
    return list(db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)))


def record_attendance(meeting: Meeting, entries: dict[int, tuple[AttendanceStatus, str]]) -> None:
    ensure_editable(meeting)
    existing = {row.user_id: row for row in attendance_for(meeting)}
    invited = {invitee.user.id for invitee in invitees(meeting)}
    for user_id, (status, deputy_name) in entries.items():
        if user_id not in invited:
            continue
        row = existing.get(user_id) or Attendance(meeting=meeting, user_id=user_id)
        row.status = status
        row.deputy_name = deputy_name.strip() if status is AttendanceStatus.DEPUTY else ""
        db.session.add(row)
    if meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        meeting.status = MeetingStatus.HELD


def meeting_actions(meeting: Meeting) -> list[Action]:
    query = select(Action).where(Action.meeting_id == meeting.id, Action.discussion_id.is_(None)).order_by(Action.id)
    return list(db.session.scalars(query))


def latest_version(meeting: Meeting) -> MinutesVersion | None:
    return (versions(meeting) or [None])[-1]


def versions(meeting: Meeting) -> list[MinutesVersion]:
    """The approved versions, oldest first (read once per request)."""

    def read() -> list[MinutesVersion]:
        query = select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id).order_by(MinutesVersion.number)
        return list(db.session.scalars(query))

    return once_per_request(("minutes_versions", meeting.id), read)


def add_guest(meeting: Meeting, *, name: str, organisation: str, sector: AgencySector) -> GuestAttendance:
    """Someone at a forum who is not there as an LEHC member (a presenter, a practitioner from the mailing list)."""
    ensure_editable(meeting)
    guest = GuestAttendance(name=name.strip(), organisation=organisation.strip(), sector=sector)
    meeting.guests.append(guest)
    if meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        meeting.status = MeetingStatus.HELD
    db.session.flush()
    return guest


def remove_guest(meeting: Meeting, guest_id: int) -> GuestAttendance | None:
    ensure_editable(meeting)
    guest = next((guest for guest in meeting.guests if guest.id == guest_id), None)
    if guest is not None:
        meeting.guests.remove(guest)
    return guest


def is_locked(meeting: Meeting) -> bool:
    return meeting.minutes_locked


def ensure_editable(meeting: Meeting) -> None:
    if is_locked(meeting):
        raise MinutesLocked("These minutes are approved. Start an amendment, with a reason, to change them.")


def live_minutes(meeting: Meeting) -> Minutes:
    approved = latest_version(meeting) if is_locked(meeting) else None
    return build_minutes(meeting, attendance_for(meeting), meeting_actions(meeting), approved)


def version_numbered(meeting: Meeting, number: int) -> MinutesVersion | None:
    return next((version for version in versions(meeting) if version.number == number), None)


def minutes_for(meeting: Meeting, number: int | None = None) -> Minutes:
    """Approved minutes as they were approved (version `number`, or the latest while they are locked): what was
    recorded while consent held stays as it was; otherwise the draft built from the live records."""
    version = version_numbered(meeting, number) if number is not None else None
    if number is None and is_locked(meeting):
        version = latest_version(meeting)
    return Minutes.from_json(version.content) if version else live_minutes(meeting)


@dataclass(frozen=True)
class ApprovalCheck:
    """What approving would freeze, for the chair to look over first: attendance recorded, discussions recorded
    (and the items still without one), meeting actions, declarations and notes, and the version it would be."""

    version: int
    attendance_recorded: int
    invited: int
    discussed: int
    discussions: int
    not_discussed: list[AgendaItem]
    meeting_actions: int
    declarations: bool
    notes: bool


@dataclass(frozen=True)
class Progress:
    """Where a meeting in progress stands against its agenda: the first family item still without a decision,
    its slot, and how far past the slot's end the clock is (negative: minutes left)."""

    item: AgendaItem
    starts_at: datetime
    ends_at: datetime
    over: timedelta

    @property
    def minutes(self) -> int:
        return abs(int(self.over.total_seconds() // 60))


def progress(meeting: Meeting, now: datetime) -> Progress | None:
    """None before the meeting starts, long after it ends, or once every item has its decision."""
    if not meeting.starts_at <= now <= meeting.ends_at + timedelta(hours=2):
        return None
    for slot in agenda_slots(meeting):
        item = slot.item
        if item.family is not None and (item.discussion is None or item.discussion.decision is None):
            return Progress(item, slot.starts_at, slot.ends_at, now - slot.ends_at)
    return None


def has_started(meeting: Meeting) -> bool:
    """Minutes can be approved once the meeting has started (the chair may approve them at its close)."""
    return meeting.starts_at <= utcnow()


def approval_check(meeting: Meeting) -> ApprovalCheck:
    items = [item for item in sorted(meeting.items, key=lambda i: i.position) if item.family is not None]
    waiting = [item for item in items if item.discussion is None or item.discussion.decision is None]
    latest = latest_version(meeting)
    return ApprovalCheck(
        version=(latest.number if latest else 0) + 1,
        attendance_recorded=len(attendance_for(meeting)),
        invited=len(invitees(meeting)),
        discussed=len(items) - len(waiting),
        discussions=len(items),
        not_discussed=waiting,
        meeting_actions=len(meeting_actions(meeting)),
        declarations=bool(meeting.declarations.strip()),
        notes=bool(meeting.minutes_notes.strip()),
    )


def approve(meeting: Meeting, by: User) -> MinutesVersion:
    """Freeze the minutes as they stand: a new numbered version holding the whole content."""
    number = (
        db.session.scalar(select(func.max(MinutesVersion.number)).where(MinutesVersion.meeting_id == meeting.id)) or 0
    ) + 1
    version = MinutesVersion(
        number=number, approved_by=by, approved_at=utcnow(), amendment_reason=meeting.amendment_reason, content=""
    )
    version.content = build_minutes(meeting, attendance_for(meeting), meeting_actions(meeting), version).to_json()
    version.meeting = meeting
    db.session.add(version)
    forget("minutes_versions", meeting.id)
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.amendment_reason = ""
    return version


MEETING_TEXTS = ("minutes_notes", "declarations")  # the meeting's own text in its minutes


def save_meeting_text(meeting: Meeting, name: str, text: str, *, opened: str) -> bool:
    """Save one of the meeting's texts (its other notes, its declarations of interest) if it is still the text the
    editor started from: the old text is in the UPDATE's WHERE, so of two simultaneous saves only one writes.
    False when someone else's save came first."""
    if name not in MEETING_TEXTS:
        raise ValueError(name)
    column = getattr(Meeting, name)
    changed = db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id, column == opened).values({column: text})
    )
    return changed.rowcount == 1


def start_amendment(meeting: Meeting, reason: str) -> None:
    meeting.status = MeetingStatus.HELD
    meeting.amendment_reason = reason.strip()


def add_meeting_action(
    meeting: Meeting, *, description: str, owner_id: int | None, owner_agency_id: int | None, due_on: date, by: User
) -> Action:
    ensure_editable(meeting)
    action = Action(
        meeting=meeting,
        description=description.strip(),
        owner_id=owner_id or None,
        owner_agency_id=owner_agency_id or None,
        due_on=due_on,
        created_by=by,
    )
    db.session.add(action)
    return action
