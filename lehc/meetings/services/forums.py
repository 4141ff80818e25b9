"""The Early Help Forums' mailing lists: who an area's forum invites beyond its LEHC members, by e-mail address
alone; adding, removing, leaving and rejoining; and the invitations, updates and cancellations they are sent (with
the agenda in the body, as they have no account to open it in, and a one-click unsubscribe)."""

from __future__ import annotations

from sqlalchemy import func, select

from lehc.dates import format_datetime, format_time
from lehc.extensions import db
from lehc.mail import queue_message
from lehc.meetings import calendar
from lehc.meetings.services.slots import agenda_slots
from lehc.models import AgencySector, Area, ForumContact, Meeting
from lehc.models.people import utcnow
from lehc.urls import external_url


def mailing_list(area: Area) -> list[ForumContact]:
    """Everyone on the area's list, those still subscribed first, by organisation and address."""
    query = select(ForumContact).where(ForumContact.area_id == area.id)
    order = (ForumContact.unsubscribed_at.is_not(None), ForumContact.organisation, ForumContact.email)
    return list(db.session.scalars(query.order_by(*order)))


def subscribed(area: Area | None) -> list[ForumContact]:
    if area is None:
        return []
    return [contact for contact in mailing_list(area) if contact.subscribed]


def contact_by_email(area: Area, email: str) -> ForumContact | None:
    query = select(ForumContact).where(ForumContact.area_id == area.id, ForumContact.email == email.strip().lower())
    return db.session.scalar(query)


def contact_by_token(token: str) -> ForumContact | None:
    return db.session.scalar(select(ForumContact).where(ForumContact.unsubscribe_token == token))


def add_contact(area: Area, *, email: str, name: str, organisation: str, sector: AgencySector) -> ForumContact:
    contact = ForumContact(
        area=area, email=email.strip().lower(), name=name.strip(), organisation=organisation.strip(), sector=sector
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def remove_contact(contact: ForumContact) -> None:
    """A coordinator takes someone off the list: nothing of them is kept."""
    db.session.delete(contact)


def unsubscribe(contact: ForumContact) -> None:
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = utcnow()


def rejoin(contact: ForumContact) -> None:
    contact.unsubscribed_at = None


def list_sizes(area_ids: list[int]) -> dict[int, int]:
    """How many are subscribed to each area's list, in one statement."""
    query = (
        select(ForumContact.area_id, func.count())
        .where(ForumContact.area_id.in_(area_ids), ForumContact.unsubscribed_at.is_(None))
        .group_by(ForumContact.area_id)
    )
    return dict(db.session.execute(query).all()) if area_ids else {}


def unsubscribe_url(contact: ForumContact) -> str:
    return external_url("meetings.leave_mailing_list", token=contact.unsubscribe_token)


def contact_body(meeting: Meeting, contact: ForumContact, *, cancelled: bool = False) -> str:
    """What a mailing list's invitation says: the meeting, where, its agenda (a forum's holds no family), and how
    to stop getting them."""
    lines = [meeting.full_name, format_datetime(meeting.starts_at)]
    if cancelled:
        reason = f" Reason: {meeting.cancelled_reason}" if meeting.cancelled_reason else ""
        lines.append(f"This forum is cancelled.{reason}")
    else:
        if meeting.venue:
            lines.append(f"Venue: {meeting.venue}")
        if meeting.online_link:
            lines.append(f"Join online: {meeting.online_link}")
        lines += ["", "Agenda:"]
        for slot in agenda_slots(meeting):
            by = f" ({slot.item.presented_by})" if slot.item.presented_by else ""
            lines.append(f"- {format_time(slot.starts_at)} to {format_time(slot.ends_at)}: {slot.item.title}{by}")
    lines += [
        "",
        f"You get this because you are on the {meeting.place} Early Help Forum's mailing list.",
        f"To stop getting these invitations: {unsubscribe_url(contact)}",
    ]
    return "\n".join(lines)


def queue_to_contacts(
    meeting: Meeting,
    event: calendar.CalendarEvent,
    *,
    subject: str,
    organiser: calendar.Organiser,
    cancel: bool = False,
    alarm_minutes: int = 0,
) -> int:
    """The invitation (or its cancellation) to each address on the area's list that is still subscribed."""
    contacts = subscribed(meeting.area)
    for contact in contacts:
        ics = calendar.invite(
            event, organiser=organiser, attendees=[contact], cancel=cancel, alarm_minutes=alarm_minutes
        )
        queue_message(
            to=contact.email,
            subject=subject,
            body=contact_body(meeting, contact, cancelled=cancel),
            calendar=ics,
            method="CANCEL" if cancel else "REQUEST",
            locality=meeting.locality,
            unsubscribe_url=unsubscribe_url(contact),
        )
    return len(contacts)
