"""The meetings area's domain operations: schedule, reschedule, cancel, build and publish agendas, invite."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from lehc import concurrency
from lehc.dates import format_datetime, to_london
from lehc.extensions import db
from lehc.mail import queue_message
from lehc.meetings import calendar
from lehc.meetings.scheduling import PlannedDate, local_to_utc
from lehc.models import (
    Action,
    AgendaItem,
    ClosureDate,
    Discussion,
    DiscussionType,
    Family,
    ItemKind,
    Locality,
    Meeting,
    MeetingChange,
    MeetingResponse,
    MeetingSeries,
    MeetingStatus,
    Membership,
    MembershipKind,
    ResponseKind,
    User,
    agenda_item_call_on,
)
from lehc.models.people import utcnow
from lehc.request_cache import once_per_request
from lehc.urls import external_url

STANDING_ITEMS = [("Welcome, introductions and apologies", 5), ("Review of actions from the last meeting", 10)]


# ---------------------------------------------------------------- queries


def closures_for(locality: Locality) -> dict[date, str]:
    rows = db.session.scalars(select(ClosureDate).where(ClosureDate.locality_id == locality.id))
    return {row.day: row.reason for row in rows}


def closure_dates(locality: Locality) -> list[ClosureDate]:
    query = select(ClosureDate).where(ClosureDate.locality_id == locality.id).order_by(ClosureDate.day)
    return list(db.session.scalars(query))


def add_closure(locality: Locality, day: date, reason: str) -> ClosureDate | None:
    """None when the locality already has a closure that day."""
    if any(closure.day == day for closure in closure_dates(locality)):
        return None
    closure = ClosureDate(locality=locality, day=day, reason=reason.strip())
    db.session.add(closure)
    return closure


def mark_held(meeting: Meeting) -> None:
    meeting.status = MeetingStatus.HELD


def meetings_for_locality(locality: Locality) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past) meetings of a locality, nearest first in each."""
    now = utcnow()
    base = select(Meeting).where(Meeting.locality_id == locality.id)
    upcoming = db.session.scalars(base.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)).all()
    past = db.session.scalars(base.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc()).limit(50)).all()
    return list(upcoming), list(past)


def discussion_counts(meetings: Iterable[Meeting]) -> dict[int, int]:
    """How many discussion items each meeting has, in one statement."""
    ids = [meeting.id for meeting in meetings]
    query = (
        select(AgendaItem.meeting_id, func.count())
        .where(AgendaItem.meeting_id.in_(ids), AgendaItem.kind == ItemKind.DISCUSSION)
        .group_by(AgendaItem.meeting_id)
    )
    return dict(db.session.execute(query).all()) if ids else {}


def meetings_for_user(
    user: User, *, upcoming_only: bool = True, limit: int | None = 20, since: datetime | None = None
) -> list[Meeting]:
    """Meetings of localities where the user is a core member, plus meetings where they are called on."""
    core_localities = select(Membership.locality_id).where(
        Membership.user_id == user.id, Membership.kind == MembershipKind.CORE
    )
    called_on = select(AgendaItem.meeting_id).join(agenda_item_call_on).where(agenda_item_call_on.c.user_id == user.id)
    query = (
        select(Meeting)
        .where((Meeting.locality_id.in_(core_localities)) | (Meeting.id.in_(called_on)))
        .options(selectinload(Meeting.locality))
        .order_by(Meeting.starts_at)
    )
    if upcoming_only:
        query = query.where(Meeting.ends_at >= utcnow())
    if since is not None:
        query = query.where(Meeting.starts_at >= since)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def _members(locality: Locality, kind: MembershipKind) -> list[Membership]:
    """The locality's active members of one kind (all kinds read in one statement, once per request)."""

    def read() -> list[Membership]:
        query = (
            select(Membership)
            .join(User)
            .where(Membership.locality_id == locality.id, User.active.is_(True))
            .options(contains_eager(Membership.user), joinedload(Membership.seat))
            .order_by(User.name)
        )
        return list(db.session.scalars(query))

    return [m for m in once_per_request(("members", locality.id), read) if m.kind is kind]


def meeting_with_agenda(meeting_id: int, *, minutes: bool = False) -> Meeting | None:
    """A meeting with everything its page shows, in the same few statements whatever the agenda's length;
    with `minutes`, also each discussion's scores and actions and the items' agency checks."""
    items = selectinload(Meeting.items)
    discussion = items.joinedload(AgendaItem.discussion)
    options = [
        joinedload(Meeting.organiser),
        joinedload(Meeting.responses),
        items.joinedload(AgendaItem.presenter),
        items.joinedload(AgendaItem.family).joinedload(Family.consents),
        items.selectinload(AgendaItem.call_on_members),
        discussion,
    ]
    if minutes:
        options += [
            discussion.joinedload(Discussion.scores),
            discussion.selectinload(Discussion.actions).joinedload(Action.owner),
            items.selectinload(AgendaItem.agency_checks),
        ]
    return db.session.scalar(select(Meeting).where(Meeting.id == meeting_id).options(*options))


def call_on_members(locality: Locality) -> list[Membership]:
    return _members(locality, MembershipKind.CALL_ON)


def core_members(locality: Locality) -> list[Membership]:
    return _members(locality, MembershipKind.CORE)


def possible_presenters() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


# ---------------------------------------------------------------- scheduling


def _add_standing_items(meeting: Meeting) -> None:
    for position, (title, minutes) in enumerate(STANDING_ITEMS, start=1):
        meeting.items.append(
            AgendaItem(position=position, kind=ItemKind.STANDING, title=title, duration_minutes=minutes)
        )


def new_meeting(
    locality: Locality, day: date, start: time, duration_minutes: int, *, venue: str, online_link: str, organiser: User
) -> Meeting:
    starts_at = local_to_utc(day, start)
    meeting = Meeting(
        locality=locality,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration_minutes),
        venue=venue.strip(),
        online_link=online_link.strip(),
        organiser=organiser,
        status=MeetingStatus.SCHEDULED,
        sequence=0,
    )
    _add_standing_items(meeting)
    db.session.add(meeting)
    return meeting


def create_series(series: MeetingSeries, planned: Iterable[PlannedDate], organiser: User) -> list[Meeting]:
    db.session.add(series)
    meetings = []
    for plan in planned:
        if plan.resolved is None:
            continue
        meeting = new_meeting(
            series.locality,
            plan.resolved,
            series.start_time,
            series.duration_minutes,
            venue=series.venue,
            online_link=series.online_link,
            organiser=organiser,
        )
        meeting.series = series
        meetings.append(meeting)
    db.session.flush()
    return meetings


def _record_change(meeting: Meeting, by: User, description: str) -> None:
    meeting.changes.append(MeetingChange(changed_by=by, description=description))


def reschedule(
    meeting: Meeting, day: date, start: time, duration_minutes: int, *, venue: str, online_link: str, by: User
) -> None:
    before = format_datetime(meeting.starts_at)
    meeting.starts_at = local_to_utc(day, start)
    meeting.ends_at = meeting.starts_at + timedelta(minutes=duration_minutes)
    meeting.venue, meeting.online_link = venue.strip(), online_link.strip()
    meeting.sequence += 1
    concurrency.touch(meeting)
    for item in meeting.items:
        item.sequence += 1
    _record_change(meeting, by, f"Rescheduled from {before} to {format_datetime(meeting.starts_at)}")
    if meeting.is_published:
        send_invites(meeting, update=True)


def cancel(meeting: Meeting, reason: str, by: User) -> None:
    was_published = meeting.is_published
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.sequence += 1
    for item in meeting.items:
        item.sequence += 1
    _record_change(meeting, by, "Cancelled")
    if was_published:
        send_cancellations(meeting)


# ---------------------------------------------------------------- agenda


@dataclass(frozen=True)
class Slot:
    item: AgendaItem
    starts_at: datetime
    ends_at: datetime


def agenda_slots(meeting: Meeting) -> list[Slot]:
    """Each item's start and end, in agenda order, from the meeting's start and the items' durations."""
    slots, cursor = [], meeting.starts_at
    for item in sorted(meeting.items, key=lambda item: item.position):
        end = cursor + timedelta(minutes=item.duration_minutes)
        slots.append(Slot(item, cursor, end))
        cursor = end
    return slots


def overrun(meeting: Meeting) -> timedelta:
    """How far the agenda runs past the meeting's end (zero or negative when it fits)."""
    slots = agenda_slots(meeting)
    return (slots[-1].ends_at - meeting.ends_at) if slots else timedelta(0)


def add_item(
    meeting: Meeting,
    *,
    title: str,
    family: Family,
    discussion_type: DiscussionType,
    presenter: User | None,
    duration_minutes: int,
    call_on: list[User],
    by: User,
) -> AgendaItem:
    item = AgendaItem(
        kind=ItemKind.DISCUSSION,
        position=max((i.position for i in meeting.items), default=0) + 1,
        title=title.strip(),
        family=family,
        reference=family.reference,
        discussion_type=discussion_type,
        presenter=presenter,
        duration_minutes=duration_minutes,
        call_on_members=list(call_on),
        sequence=meeting.sequence,
    )
    meeting.items.append(item)
    _agenda_changed(meeting, by, f"Added {item.calendar_label}")
    return item


def update_item(
    item: AgendaItem,
    *,
    title: str,
    family: Family,
    discussion_type: DiscussionType,
    presenter: User | None,
    duration_minutes: int,
    call_on: list[User],
    by: User,
) -> None:
    dropped = [user for user in item.call_on_members if user not in call_on]
    item.title, item.family, item.reference = title.strip(), family, family.reference
    item.discussion_type, item.presenter, item.duration_minutes = discussion_type, presenter, duration_minutes
    item.call_on_members = list(call_on)
    item.sequence += 1
    concurrency.touch(item)
    if dropped and item.meeting.is_published:
        send_slot_cancellations(item, dropped)
    _agenda_changed(item.meeting, by, f"Changed {item.calendar_label}")


def remove_item(item: AgendaItem, by: User) -> None:
    meeting = item.meeting
    if meeting.is_published and item.call_on_members:
        item.sequence += 1
        send_slot_cancellations(item, item.call_on_members)
    meeting.items.remove(item)
    _renumber(meeting)
    _agenda_changed(meeting, by, f"Removed {item.calendar_label}")


def move_item(item: AgendaItem, direction: str, by: User) -> None:
    """Swap a discussion item with its neighbour; standing items stay at the top."""
    discussions = [i for i in sorted(item.meeting.items, key=lambda i: i.position) if i.is_discussion]
    index = discussions.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(discussions):
        return
    neighbour = discussions[other]
    item.position, neighbour.position = neighbour.position, item.position
    _agenda_changed(item.meeting, by, f"Moved {item.calendar_label} {direction}")


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.items, key=lambda i: i.position), start=1):
        item.position = position


def _agenda_changed(meeting: Meeting, by: User, description: str) -> None:
    """After publication every change is recorded and invites go out again with a higher SEQUENCE."""
    if not meeting.is_published:
        return
    meeting.sequence += 1
    for item in meeting.items:
        item.sequence += 1
    _record_change(meeting, by, description)
    _request_agency_checks(meeting)
    send_invites(meeting, update=True)


def publish_agenda(meeting: Meeting, by: User) -> None:
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.agenda_published_at = utcnow()
    _request_agency_checks(meeting)
    send_invites(meeting, update=False)


def _request_agency_checks(meeting: Meeting) -> None:
    from lehc.meetings.agency_checks import request_checks  # that module builds on this one

    db.session.flush()
    request_checks(meeting)


# ---------------------------------------------------------------- invitations


@dataclass(frozen=True)
class Invitee:
    user: User
    items: tuple[AgendaItem, ...]  # empty: the whole meeting (a core member)

    @property
    def whole_meeting(self) -> bool:
        return not self.items


def invitees(meeting: Meeting) -> list[Invitee]:
    """Core members for the whole meeting; each call-on member for the items they are called on for only."""
    core = {membership.user.id: Invitee(membership.user, ()) for membership in core_members(meeting.locality)}
    called: dict[int, list[AgendaItem]] = {}
    users: dict[int, User] = {}
    for item in sorted(meeting.items, key=lambda i: i.position):
        for user in item.call_on_members:
            if user.id not in core and user.active:
                called.setdefault(user.id, []).append(item)
                users[user.id] = user
    return list(core.values()) + [Invitee(users[uid], tuple(items)) for uid, items in called.items()]


def meeting_url(meeting: Meeting) -> str:
    return external_url("meetings.view_meeting", meeting_id=meeting.id)


def _domain() -> str:
    return current_app.config["CALENDAR_DOMAIN"]


def _subject(prefix: str, meeting: Meeting, when: datetime | None = None) -> str:
    return f"{prefix}: {meeting.locality.name} LEHC, {format_datetime(when or meeting.starts_at)}"


def send_invites(meeting: Meeting, *, update: bool) -> int:
    """Queue one invite per invitee: the meeting for core members, each slot for call-on members."""
    url = meeting_url(meeting)
    slots = {slot.item: slot for slot in agenda_slots(meeting)}
    core = [invitee.user for invitee in invitees(meeting) if invitee.whole_meeting]
    prefix = "Updated invitation" if update else "Invitation"
    count = 0
    for invitee in invitees(meeting):
        if invitee.whole_meeting:
            ics = calendar.invite(
                calendar.meeting_event(meeting, domain=_domain(), url=url), organiser=meeting.organiser, attendees=core
            )
            body = _invite_body(meeting, url, None)
            queue_message(to=invitee.user, subject=_subject(prefix, meeting), body=body, calendar=ics, method="REQUEST")
            count += 1
            continue
        for item in invitee.items:
            slot = slots[item]
            event = calendar.slot_event(item, slot.starts_at, slot.ends_at, domain=_domain(), url=url)
            ics = calendar.invite(event, organiser=meeting.organiser, attendees=[invitee.user])
            body = _invite_body(meeting, url, slot)
            subject = _subject(prefix, meeting, slot.starts_at)
            queue_message(to=invitee.user, subject=subject, body=body, calendar=ics, method="REQUEST")
            count += 1
    return count


def send_cancellations(meeting: Meeting) -> None:
    url = meeting_url(meeting)
    slots = {slot.item: slot for slot in agenda_slots(meeting)}
    for invitee in invitees(meeting):
        if invitee.whole_meeting:
            event = calendar.meeting_event(meeting, domain=_domain(), url=url)
            _queue_cancel(meeting, invitee.user, event)
        else:
            for item in invitee.items:
                slot = slots[item]
                _queue_cancel(
                    meeting,
                    invitee.user,
                    calendar.slot_event(item, slot.starts_at, slot.ends_at, domain=_domain(), url=url),
                )


def send_slot_cancellations(item: AgendaItem, users: Iterable[User]) -> None:
    meeting = item.meeting
    slot = next(slot for slot in agenda_slots(meeting) if slot.item is item)
    event = calendar.slot_event(item, slot.starts_at, slot.ends_at, domain=_domain(), url=meeting_url(meeting))
    for user in users:
        _queue_cancel(meeting, user, event)


def _queue_cancel(meeting: Meeting, user: User, event: calendar.CalendarEvent) -> None:
    ics = calendar.invite(event, organiser=meeting.organiser, attendees=[user], cancel=True)
    reason = f"\nReason: {meeting.cancelled_reason}" if meeting.is_cancelled and meeting.cancelled_reason else ""
    body = (
        f"{event.summary} on {format_datetime(event.starts_at)} is cancelled for you.{reason}\n\n"
        f"See LEHC for details: {event.url}\n"
    )
    queue_message(
        to=user, subject=_subject("Cancelled", meeting, event.starts_at), body=body, calendar=ics, method="CANCEL"
    )


def _invite_body(meeting: Meeting, url: str, slot: Slot | None) -> str:
    lines = [f"{meeting.locality.name} Locality Early Help Conversation", format_datetime(meeting.starts_at)]
    if slot is not None:
        lines.append(
            f"You are called on for {slot.item.calendar_label} only, "
            f"{to_london(slot.starts_at):%H:%M} to {to_london(slot.ends_at):%H:%M}."
        )
    if meeting.venue:
        lines.append(f"Venue: {meeting.venue}")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines += [
        "",
        f"Open the agenda, accept or send apologies in LEHC: {url}",
        "Before the meeting, please say whether your agency knows each family on it (agency checks): "
        + external_url("meetings.agency_checks_page", meeting_id=meeting.id),
        "",
        "OFFICIAL-SENSITIVE. Family details are only ever in LEHC, never in e-mail or calendars.",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- responses and attendance


def response_of(meeting: Meeting, user: User) -> MeetingResponse | None:
    return next((response for response in meeting.responses if response.user_id == user.id), None)


def record_response(
    meeting: Meeting, user: User, kind: ResponseKind, deputy_name: str = "", deputy_email: str = ""
) -> None:
    response = response_of(meeting, user) or MeetingResponse(meeting=meeting, user=user)
    response.response = kind
    response.deputy_name = deputy_name.strip() if kind is ResponseKind.DEPUTY else ""
    response.deputy_email = deputy_email.strip() if kind is ResponseKind.DEPUTY else ""
    db.session.add(response)


@dataclass(frozen=True)
class SeatAttendance:
    seat_name: str
    members: list[tuple[User, MeetingResponse | None]]

    @property
    def status(self) -> str:
        """covered: someone attends or sends a deputy; uncovered: nobody sits there or all sent apologies;
        awaiting: nobody has said yet."""
        responses = [response for _, response in self.members]
        if any(r is not None and r.response is not ResponseKind.APOLOGIES for r in responses):
            return "covered"
        if not responses or all(r is not None for r in responses):
            return "uncovered"
        return "awaiting"


def expected_attendance(meeting: Meeting) -> list[SeatAttendance]:
    """Core seats in table order with who sits there and what they answered; seats nobody fills are uncovered."""
    from lehc.models import Seat

    responses = {response.user_id: response for response in meeting.responses}
    by_seat: dict[str, list[tuple[User, MeetingResponse | None]]] = {}
    for membership in core_members(meeting.locality):
        if membership.seat is not None:
            by_seat.setdefault(membership.seat.name, []).append((membership.user, responses.get(membership.user.id)))
    seats = db.session.scalars(select(Seat).where(Seat.kind == MembershipKind.CORE).order_by(Seat.position))
    return [SeatAttendance(seat.name, by_seat.get(seat.name, [])) for seat in seats]
