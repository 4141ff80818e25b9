"""iCalendar (RFC 5545) objects for invites (RFC 5546 iTIP) and subscription feeds.

Invites carry METHOD:REQUEST or METHOD:CANCEL; feeds carry METHOD:PUBLISH. An item is named only by its
reference: no title, family name or other detail goes into any calendar object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vText

from lehc.dates import LONDON, format_time
from lehc.models import AgendaItem, ForumContact, Meeting, User
from lehc.text import clean_text, one_line

PRODID = "-//Durham County Council//LEHC//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: the whole meeting, or a call-on member's slot within it."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    url: str
    cancelled: bool


@dataclass(frozen=True)
class Organiser:
    """Who an invitation comes from: the service mailbox LEHC reads replies from (ORGANIZER), so a member's Accept
    in Outlook, Google or Thunderbird reaches LEHC. The coordinator is named in the description, not as SENT-BY:
    Gmail shows an ORGANIZER with SENT-BY as "Unknown organizer" (README, "Calendar replies")."""

    email: str
    name: str


def _uid(local_part: str, domain: str) -> str:
    return f"{local_part}@{domain}"


def meeting_event(meeting: Meeting, *, domain: str, url: str) -> CalendarEvent:
    return CalendarEvent(
        uid=_uid(f"meeting-{meeting.uid}", domain),
        sequence=meeting.sequence,
        summary=meeting.full_name,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=_location(meeting),
        description=_description(meeting, url),
        url=url,
        cancelled=meeting.is_cancelled,
    )


def slot_event(item: AgendaItem, starts_at: datetime, ends_at: datetime, *, domain: str, url: str) -> CalendarEvent:
    """A call-on member's invite: their item's slot only, named by the item's reference."""
    meeting = item.meeting
    return CalendarEvent(
        uid=_uid(f"item-{item.uid}", domain),
        sequence=item.sequence,
        summary=f"{meeting.name}: {item.calendar_label}",
        starts_at=starts_at,
        ends_at=ends_at,
        location=_location(meeting),
        description=(
            f"You are called on for {item.calendar_label} at the {meeting.locality.name} Locality Early Help "
            f"Conversation, {format_time(starts_at)} to {format_time(ends_at)}.\n"
            + "".join(f"{line}\n" for line in _arranged_by(meeting))
            + f"Join from LEHC: {url}\nOFFICIAL-SENSITIVE: details are in LEHC only."
        ),
        url=url,
        cancelled=meeting.is_cancelled,
    )


def _location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.venue, meeting.online_link) if part) or "To be confirmed"


def _arranged_by(meeting: Meeting) -> list[str]:
    """The coordinator who arranged the meeting, so a member knows whom to ask (the ORGANIZER is the service)."""
    return [f"Arranged by {meeting.organiser.name} ({meeting.organiser.email})."] if meeting.organiser else []


def _description(meeting: Meeting, url: str) -> str:
    lines = [f"{meeting.full_name} ({meeting.reference})."]
    lines += _arranged_by(meeting)
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"Agenda and responses in LEHC: {url}")
    lines.append("OFFICIAL-SENSITIVE: family details are in LEHC only, never in calendars or e-mail.")
    return "\n".join(lines)


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _timezone(events: list[CalendarEvent]) -> Timezone:
    """Europe/London with both its STANDARD (GMT) and DAYLIGHT (BST) parts over the events' years."""
    years = [event.starts_at.year for event in events] or [datetime.now(UTC).year]
    return Timezone.from_tzid("Europe/London", first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1))


def _vevent(
    event: CalendarEvent,
    *,
    organiser: Organiser,
    attendees: Iterable[User | ForumContact],
    cancel: bool,
    alarm_minutes: int = 0,
) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", datetime.now(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(LONDON))
    vevent.add("dtend", event.ends_at.astimezone(LONDON))
    # names and places stored before single-line values were checked cannot add lines to the file
    vevent.add("summary", one_line(event.summary))
    vevent.add("location", one_line(event.location))
    vevent.add("description", clean_text(event.description))
    vevent.add("url", one_line(event.url))
    vevent.add("status", "CANCELLED" if cancel or event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    address = vCalAddress(f"mailto:{organiser.email}")
    address.params["cn"] = vText(one_line(organiser.name))
    vevent.add("organizer", address)
    for user in attendees:
        if user.email.casefold() == organiser.email.casefold():
            continue  # the organiser is not also an attendee asked to reply to themselves
        address = vCalAddress(f"mailto:{user.email}")
        address.params["cn"] = vText(one_line(user.name or user.email))  # a mailing list's address may be all
        address.params["role"] = vText("REQ-PARTICIPANT")
        if not cancel:  # a reply is asked for an invitation, not for a cancellation
            address.params["partstat"] = vText("NEEDS-ACTION")
            address.params["rsvp"] = vText("TRUE")
        vevent.add("attendee", address)
    if alarm_minutes > 0 and not cancel:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", one_line(event.summary))
        alarm.add("trigger", timedelta(minutes=-alarm_minutes))
        vevent.add_component(alarm)
    return vevent


def invite(
    event: CalendarEvent,
    *,
    organiser: Organiser,
    attendees: Iterable[User | ForumContact],
    cancel: bool = False,
    alarm_minutes: int = 0,
) -> bytes:
    """An iTIP message: METHOD:REQUEST (new or updated, with a reminder `alarm_minutes` before when above 0) or
    METHOD:CANCEL with the same UID."""
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    calendar.add_component(_timezone([event]))
    vevent = _vevent(event, organiser=organiser, attendees=attendees, cancel=cancel, alarm_minutes=alarm_minutes)
    calendar.add_component(vevent)
    return to_ical(calendar)


def feed(events: list[CalendarEvent], *, name: str, organiser: Organiser) -> bytes:
    """A subscription feed: METHOD:PUBLISH, the service mailbox as ORGANIZER, no attendees, cancelled meetings kept
    with STATUS:CANCELLED."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(_timezone(events))
    for event in events:
        calendar.add_component(_vevent(event, organiser=organiser, attendees=[], cancel=False))
    return to_ical(calendar)


FOLD_AT = 75  # octets: icalendar folds a content line as it reaches this length (RFC 5545, section 3.1)


def to_ical(calendar: Calendar) -> bytes:
    """The same bytes as `calendar.to_ical()`, without folding the lines too short to fold. icalendar 7.3 folds
    every content line a character at a time, even one of a dozen characters: over half the Python calls of a
    member's calendar feed. A line shorter than FOLD_AT octets comes out of it unchanged, so it is only encoded
    here; a longer one is folded by icalendar, where escapes are kept whole across the fold."""
    lines = []
    for line in calendar.content_lines():
        if line:
            encoded = line.encode()
            lines.append(encoded if len(encoded) < FOLD_AT else line.to_ical())
    return b"\r\n".join(lines) + b"\r\n"
