"""Who is invited to what (core members to the whole meeting, call-on members to their items' slots), the invites
and cancellations queued for them, and their responses and the attendance they add up to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from lehc.dates import format_datetime, to_london
from lehc.extensions import db
from lehc.mail import queue_message
from lehc.meetings import calendar
from lehc.meetings.services.forums import queue_to_contacts
from lehc.meetings.services.members import meeting_core_members
from lehc.meetings.services.slots import Slot, agenda_slots
from lehc.models import (
    AgendaItem,
    Meeting,
    MeetingResponse,
    ResponseKind,
    ResponseSource,
    User,
)
from lehc.policy import seated_at
from lehc.urls import external_url


@dataclass(frozen=True)
class Invitee:
    user: User
    items: tuple[AgendaItem, ...]  # empty: the whole meeting (a core member)

    @property
    def whole_meeting(self) -> bool:
        return not self.items


def invitees(meeting: Meeting) -> list[Invitee]:
    """Core members (in the kind's seats, at a kind that names them) for the whole meeting; each member called on
    for the items they are called on for only."""
    core = {membership.user.id: Invitee(membership.user, ()) for membership in meeting_core_members(meeting)}
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


def _alarm() -> int:
    """Minutes before a meeting at which an invitation asks the calendar to remind its owner (0: no reminder)."""
    return current_app.config["CALENDAR_ALARM_MINUTES"]


def organiser(meeting: Meeting | None = None) -> calendar.Organiser:
    """The service mailbox every invitation and feed names as ORGANIZER, under the meeting's name ("Durham LEHC"):
    calendar replies come back to it and `flask run-jobs` reads them from there (lehc.meetings.replies)."""
    name = meeting.name if meeting is not None else current_app.config["SERVICE_NAME"]
    return calendar.Organiser(current_app.config["CALENDAR_ORGANIZER"], name)


def _domain() -> str:
    return current_app.config["CALENDAR_DOMAIN"]


def _subject(prefix: str, meeting: Meeting, when: datetime | None = None) -> str:
    return f"{prefix}: {meeting.name}, {format_datetime(when or meeting.starts_at)}"


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
                calendar.meeting_event(meeting, domain=_domain(), url=url),
                organiser=organiser(meeting),
                attendees=core,
                alarm_minutes=_alarm(),
            )
            body = _invite_body(meeting, url, None)
            queue_message(
                to=invitee.user,
                subject=_subject(prefix, meeting),
                body=body,
                calendar=ics,
                method="REQUEST",
                locality=meeting.locality,
            )
            count += 1
            continue
        for item in invitee.items:
            slot = slots[item]
            event = calendar.slot_event(item, slot.starts_at, slot.ends_at, domain=_domain(), url=url)
            ics = calendar.invite(event, organiser=organiser(meeting), attendees=[invitee.user], alarm_minutes=_alarm())
            body = _invite_body(meeting, url, slot)
            subject = _subject(prefix, meeting, slot.starts_at)
            queue_message(
                to=invitee.user, subject=subject, body=body, calendar=ics, method="REQUEST", locality=meeting.locality
            )
            count += 1
    if meeting.area_id is not None:  # a forum's mailing list, by address alone
        event = calendar.meeting_event(meeting, domain=_domain(), url=url)
        subject = _subject(prefix, meeting)
        count += queue_to_contacts(
            meeting, event, subject=subject, organiser=organiser(meeting), alarm_minutes=_alarm()
        )
    return count


def send_cancellations(meeting: Meeting) -> None:
    url = meeting_url(meeting)
    slots = {slot.item: slot for slot in agenda_slots(meeting)}
    if meeting.area_id is not None:
        event = calendar.meeting_event(meeting, domain=_domain(), url=url)
        subject = _subject("Cancelled", meeting)
        queue_to_contacts(meeting, event, subject=subject, organiser=organiser(meeting), cancel=True)
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
    ics = calendar.invite(event, organiser=organiser(meeting), attendees=[user], cancel=True)
    reason = f"\nReason: {meeting.cancelled_reason}" if meeting.is_cancelled and meeting.cancelled_reason else ""
    body = (
        f"{event.summary} on {format_datetime(event.starts_at)} is cancelled for you.{reason}\n\n"
        f"See LEHC for details: {event.url}\n"
    )
    queue_message(
        to=user,
        subject=_subject("Cancelled", meeting, event.starts_at),
        body=body,
        calendar=ics,
        method="CANCEL",
        locality=meeting.locality,
    )


def _invite_body(meeting: Meeting, url: str, slot: Slot | None) -> str:
    lines = [meeting.full_name, format_datetime(meeting.starts_at)]
    if slot is not None:
        lines.append(
            f"You are called on for {slot.item.calendar_label} only, "
            f"{to_london(slot.starts_at):%H:%M} to {to_london(slot.ends_at):%H:%M}."
        )
    if meeting.venue:
        lines.append(f"Venue: {meeting.venue}")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines += ["", f"Open the agenda, accept or send apologies in LEHC: {url}"]
    if meeting.kind.discusses_families:  # a forum has no family to check
        lines.append(
            "Before the meeting, please say whether your agency knows each family on it (agency checks): "
            + external_url("meetings.agency_checks_page", meeting_id=meeting.id)
        )
    lines += ["", "OFFICIAL-SENSITIVE. Family details are only ever in LEHC, never in e-mail or calendars."]
    return "\n".join(lines)


def response_of(meeting: Meeting, user: User) -> MeetingResponse | None:
    return next((response for response in meeting.responses if response.user_id == user.id), None)


def record_response(
    meeting: Meeting,
    user: User,
    kind: ResponseKind,
    deputy_name: str = "",
    deputy_email: str = "",
    *,
    source: ResponseSource = ResponseSource.LEHC,
    note: str = "",
) -> MeetingResponse:
    """A member's answer, on LEHC's page or from their calendar (with the calendar's comment as the note)."""
    response = response_of(meeting, user) or MeetingResponse(meeting=meeting, user=user)
    response.response = kind
    response.deputy_name = deputy_name.strip() if kind is ResponseKind.DEPUTY else ""
    response.deputy_email = deputy_email.strip() if kind is ResponseKind.DEPUTY else ""
    response.source, response.note = source, note
    db.session.add(response)
    return response


@dataclass(frozen=True)
class SeatAttendance:
    seat_name: str
    members: list[tuple[User, MeetingResponse | None]]

    @property
    def status(self) -> str:
        """covered: someone attends or sends a deputy; uncovered: nobody sits there or all sent apologies;
        awaiting: nobody has said for certain yet (no reply, or tentative)."""
        answers = [response.response if response else None for _, response in self.members]
        if any(answer in (ResponseKind.ACCEPTED, ResponseKind.DEPUTY) for answer in answers):
            return "covered"
        if all(answer is ResponseKind.APOLOGIES for answer in answers):
            return "uncovered"
        return "awaiting"


def expected_attendance(meeting: Meeting) -> list[SeatAttendance]:
    """The meeting's seats in table order (the core seats, or the kind's own) with who sits there and what they
    answered; seats nobody fills are uncovered. An area's forum lists the seats its members sit in only: it has
    no table of seats to fill."""
    responses = {response.user_id: response for response in meeting.responses}
    by_seat: dict[str, list[tuple[User, MeetingResponse | None]]] = {}
    for membership in meeting_core_members(meeting):
        if membership.seat is not None:
            by_seat.setdefault(membership.seat.name, []).append((membership.user, responses.get(membership.user.id)))
    return [
        SeatAttendance(seat.name, by_seat.get(seat.name, []))
        for seat in seated_at(meeting.kind_code, meeting.locality_id)
        if meeting.area_id is None or seat.name in by_seat
    ]
