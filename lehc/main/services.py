"""The home page as a to-do list: what each signed-in user has to do next, every line linking to where it is done.

A chair or coordinator gets a desk per locality they run (the next meeting's readiness, minutes waiting for approval,
the locality's overdue actions); everyone gets their own next meetings and replies, the agency checks they owe and
their actions. Every list passes through the same access rules as the pages it links to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from lehc import policy
from lehc.actions.services import REVIEWED, ActionFilter, count_actions, family_of, find_actions, is_overdue
from lehc.dates import format_date, format_plain_date, to_london
from lehc.extensions import db
from lehc.meetings import services as meetings
from lehc.meetings.preparation import is_ready
from lehc.meetings.services.agency_checks import completeness_by_item, owed_by
from lehc.models import (
    LEHC,
    Action,
    Locality,
    Meeting,
    MeetingResponse,
    MeetingStatus,
    Membership,
    OutboxStatus,
    Role,
    User,
)
from lehc.models.people import utcnow

MINUTES_LOOK_BACK = timedelta(days=180)  # held meetings older than this are no longer a to-do on the home page


@dataclass(frozen=True)
class Todo:
    """One line of the home page: what, where to do it (an endpoint and its arguments), and a status tag."""

    text: str
    endpoint: str
    args: dict = field(default_factory=dict)
    tag: str = ""
    tag_colour: str = ""  # a govuk-tag modifier: red, yellow, green, grey
    anchor: str = ""

    @property
    def done(self) -> bool:
        return self.tag_colour == "green"


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting of one kind and what is left to do before it."""

    meeting: Meeting
    readiness: list[Todo]

    @property
    def title(self) -> str:
        """The meeting's kind within its locality's desk ("LEHC", "step up / step down"); a forum the locality
        hosts by its area's name ("North Durham Early Help Forum")."""
        return self.meeting.name if self.meeting.area_id is not None else self.meeting.kind.short_name


@dataclass
class Desk:
    """What a chair or coordinator has to do for one locality: its next meeting of each kind it holds (the LEHC
    first), the minutes to finish, its overdue actions and, for a coordinator, its outbox."""

    locality: Locality
    next_meetings: list[NextMeeting]
    schedule: Todo | None  # when no meeting is coming: schedule some
    minutes: list[Todo]
    overdue_actions: Todo
    outbox: Todo | None = None  # for coordinators: invitations waiting or failed


@dataclass(frozen=True)
class MyAction:
    """One of my open actions as the home page lists it: the family by reference (actions.family_of), when due."""

    id: int
    description: str
    family: str
    due: str
    overdue: bool

    @classmethod
    def of(cls, action: Action, today: date) -> MyAction:
        return cls(
            action.id,
            action.description,
            family_of(action, today),
            format_date(action.due_on),
            is_overdue(action, today),
        )


@dataclass
class Dashboard:
    memberships: list[Membership]
    desks: list[Desk] = field(default_factory=list)
    meetings: list[tuple[Meeting, Todo | None]] = field(default_factory=list)  # with the reply still owed, if any
    checks: list[Todo] = field(default_factory=list)
    actions: list[MyAction] = field(default_factory=list)
    # by locality id: the kinds of meeting whose seat the user holds there ("step up / step down")
    seated_kinds: dict[int, list[str]] = field(default_factory=dict)


def _counted(done: int, of: int, what: str) -> tuple[str, str]:
    """A tag saying how many of how many are done, green when all are."""
    return f"{done} of {of} {what}", "green" if done == of else "yellow"


def readiness(meeting: Meeting, today: date) -> list[Todo]:
    """The next meeting's state: its agenda (items ready; a forum's presentations), agency checks answered, replies
    by core seat. The meeting comes with what this reads loaded (meetings.readiness_options, by next_meetings) and
    its checks are counted in one statement (completeness_by_item), so this costs the same whatever its length."""
    args = {"meeting_id": meeting.id}
    counts = completeness_by_item(meeting) if meeting.kind.discusses_families else {}
    lines = [_agenda_line(meeting, today, counts)]
    if over := meetings.overrun(meeting):  # the items take longer than the meeting: the agenda page warns of it too
        lines.append(Todo(over, "meetings.view_meeting", args, "Too long", "yellow", "agenda"))
    if not meeting.is_published:
        lines.append(
            Todo("Publish the agenda and send the invitations", "meetings.view_meeting", args, "To do", "yellow")
        )
        return lines
    asked = sum(count.asked for count in counts.values())
    if asked:
        tag = _counted(sum(count.answered for count in counts.values()), asked, "answered")
        lines.append(Todo("Agency checks", "meetings.agency_checks_page", args, *tag))
    seats = meetings.expected_attendance(meeting)
    filled = [seat for seat in seats if seat.members]  # an empty seat has nobody to reply: it is not covered
    replied = sum(1 for seat in filled if seat.status != "awaiting")
    uncovered = sum(1 for seat in seats if seat.status == "uncovered")
    text = "Replies by core seat" + (
        f" ({uncovered} seat{'' if uncovered == 1 else 's'} not covered)" if uncovered else ""
    )
    lines.append(Todo(text, "meetings.view_meeting", args, *_counted(replied, len(filled), "replied"), "attendance"))
    return lines


def _agenda_line(meeting: Meeting, today: date, counts: dict) -> Todo:
    """How far the agenda has come: its families' items ready; a forum's (no families) its presentations."""
    args = {"meeting_id": meeting.id}
    if not meeting.kind.discusses_families:
        presentations = sum(1 for item in meeting.items if item.is_presentation)
        if not presentations:
            return Todo("Add the presentations", "meetings.add_presentation", args, "None yet", "yellow")
        return Todo("Presentations", "meetings.view_meeting", args, f"{presentations} on the agenda", "green")
    items = [item for item in meeting.items if item.is_discussion and item.family is not None]
    if not items:
        return Todo("Add the families to discuss", "meetings.add_item", args, "No items", "yellow")
    ready = sum(1 for item in items if is_ready(item, today, counts[item.id]))
    return Todo("Items ready", "meetings.prepare_meeting", args, *_counted(ready, len(items), "ready"))


def minutes_to_finish(user: User, locality: Locality) -> list[Todo]:
    """Meetings of the last six months that have ended and whose minutes are not yet approved: a chair approves
    them (the check page says what is missing); a meeting whose agenda never went out is first recorded."""
    now = utcnow()
    held = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.locality_id == locality.id,
            Meeting.ends_at < now,
            Meeting.starts_at >= now - MINUTES_LOOK_BACK,
            Meeting.status.in_([MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD, MeetingStatus.SCHEDULED]),
        )
        .order_by(Meeting.starts_at)
    ).all()
    approver = policy.can_approve_minutes(user, locality.id)
    todos = []
    for meeting in held:
        when = meeting.starts_at
        args = {"meeting_id": meeting.id}
        which = f"{meeting.name}, {_day(when)}"  # the kind too: a locality holds more than one
        if approver and meeting.status is not MeetingStatus.SCHEDULED:
            todos.append(Todo(f"Approve the minutes of {which}", "minutes.view_minutes", args, "To do", "yellow"))
        elif meeting.status is not MeetingStatus.HELD:
            todos.append(Todo(f"Record the minutes of {which}", "minutes.run_meeting", args, "To do", "yellow"))
        else:
            text = f"Minutes of {which} wait for the chair's approval"
            todos.append(Todo(text, "minutes.view_minutes", args, "Waiting", "grey"))
    return todos


def _day(moment: datetime) -> str:
    return format_plain_date(to_london(moment).date())


def next_meetings(locality: Locality) -> list[Meeting]:
    """The locality's next meeting of each kind it holds (its LEHC, its weekly step up / step down meeting, a
    forum it hosts), the LEHC first, in one statement with their agendas: the first of each kind among the
    meetings still to come, which an index on the start time finds without reading the history."""
    first = func.row_number().over(partition_by=Meeting.kind_code, order_by=Meeting.starts_at)
    coming = (
        select(Meeting.id, first.label("place"))
        .where(
            Meeting.locality_id == locality.id, Meeting.not_over(utcnow()), Meeting.status != MeetingStatus.CANCELLED
        )
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Meeting)
            .join(coming, coming.c.id == Meeting.id)
            .where(coming.c.place == 1)
            .order_by(Meeting.kind_code != LEHC, Meeting.starts_at)
            .options(*meetings.readiness_options())
        ).unique()
    )


def desk(user: User, locality: Locality, today: date, window_days: int) -> Desk:
    coming = [NextMeeting(meeting, readiness(meeting, today)) for meeting in next_meetings(locality)]
    schedule = None
    if not coming:
        schedule = Todo(
            "Schedule the next meetings", "meetings.create_series", {"locality_id": locality.id}, "To do", "yellow"
        )
    overdue = count_actions(
        user, ActionFilter(scope="all", locality_id=locality.id, due="overdue"), today=today, window_days=window_days
    )
    tracker = Todo(
        "Overdue actions",
        "actions.tracker",
        {"scope": "all", "locality": locality.id, "due": "overdue"},
        f"{overdue} overdue" if overdue else "None overdue",
        "red" if overdue else "green",
    )
    outbox = _outbox_line(locality) if policy.user_has_role(user, Role.COORDINATOR) else None
    return Desk(locality, coming, schedule, minutes_to_finish(user, locality), tracker, outbox)


def _outbox_line(locality: Locality) -> Todo:
    counts = meetings.undelivered(locality)
    failed, waiting = counts.get(OutboxStatus.FAILED, 0), counts.get(OutboxStatus.PENDING, 0)
    args = {"locality": locality.id}
    if failed:
        return Todo(
            "Invitations and notices", "meetings.outbox", {**args, "status": "failed"}, f"{failed} failed", "red"
        )
    if waiting:
        return Todo(
            "Invitations and notices", "meetings.outbox", {**args, "status": "pending"}, f"{waiting} waiting", "yellow"
        )
    return Todo("Invitations and notices", "meetings.outbox", args, "All sent", "green")


def my_meetings(user: User, today: date, window_days: int) -> tuple[list[tuple[Meeting, Todo | None]], list[Todo]]:
    """My next meetings with the reply I still owe, and the agency checks I owe for them."""
    replied = (
        select(MeetingResponse.id)
        .where(MeetingResponse.user_id == user.id, MeetingResponse.meeting_id == Meeting.id)
        .exists()
    )
    found = db.session.execute(meetings.user_meetings_query(user, limit=6).add_columns(replied))
    upcoming, listed = [], []
    for meeting, has_replied in found:
        if meeting.is_cancelled:
            continue
        owed = None
        if meeting.is_published and not has_replied:
            owed = Todo("Reply to the invitation", "meetings.respond", {"meeting_id": meeting.id}, "Reply", "yellow")
        upcoming.append(meeting)
        listed.append((meeting, owed))
    checks = []
    for check in owed_by(user, upcoming, today, window_days):
        meeting = check.item.meeting
        text = f"{check.item.reference} for {meeting.locality.name} on {_day(meeting.starts_at)}"
        args = {"meeting_id": meeting.id, "check_id": check.id}
        checks.append(Todo(text, "meetings.answer_agency_check", args, "To do", "yellow"))
    return listed, checks


def dashboard_for(user: User, today: date, window_days: int) -> Dashboard:
    memberships = sorted(user.memberships, key=lambda membership: membership.id)  # loaded with the user
    desks = []
    if policy.user_has_role(user, Role.CHAIR, Role.COORDINATOR):
        desks = [desk(user, membership.locality, today, window_days) for membership in memberships]
    listed, checks = my_meetings(user, today, window_days)
    mine = ActionFilter(scope="mine")
    actions = find_actions(user, mine, today=today, window_days=window_days, limit=10, load=REVIEWED)
    seated: dict[int, list[str]] = {}
    for kind_code, locality_id in policy.kind_seat_places(user):
        seated.setdefault(locality_id, []).append(meetings.meeting_kind(kind_code).short_name)
    return Dashboard(
        list(memberships), desks, listed, checks, [MyAction.of(action, today) for action in actions], seated
    )
