"""Building the agenda: add, change, move and remove items and publish; after publication every change is
recorded, agencies are asked again and updated invites go out."""

from __future__ import annotations

from lehc import concurrency
from lehc.extensions import db
from lehc.meetings.services.agency_checks import request_checks
from lehc.meetings.services.invites import send_invites, send_slot_cancellations
from lehc.meetings.services.schedule import record_change
from lehc.models import AgendaItem, DiscussionType, Family, ItemKind, Meeting, MeetingStatus, User
from lehc.models.people import utcnow


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


def add_presentation(
    meeting: Meeting, *, title: str, presenter_name: str, presenter_organisation: str, duration_minutes: int, by: User
) -> AgendaItem:
    """A forum's presentation or partnership item, after the items already on the agenda."""
    item = AgendaItem(
        kind=ItemKind.PRESENTATION,
        position=max((i.position for i in meeting.items), default=0) + 1,
        sequence=meeting.sequence,
    )
    _set_presentation(item, title, presenter_name, presenter_organisation, duration_minutes)
    meeting.items.append(item)
    _agenda_changed(meeting, by, f"Added {item.calendar_label}")
    return item


def update_presentation(
    item: AgendaItem, *, title: str, presenter_name: str, presenter_organisation: str, duration_minutes: int, by: User
) -> None:
    _set_presentation(item, title, presenter_name, presenter_organisation, duration_minutes)
    item.sequence += 1
    concurrency.touch(item)
    _agenda_changed(item.meeting, by, f"Changed {item.calendar_label}")


def _set_presentation(item: AgendaItem, title: str, name: str, organisation: str, minutes: int) -> None:
    item.title, item.duration_minutes = title.strip(), minutes
    item.presenter_name, item.presenter_organisation = name.strip(), organisation.strip()


def remove_item(item: AgendaItem, by: User) -> None:
    meeting = item.meeting
    if meeting.is_published and item.call_on_members:
        item.sequence += 1
        send_slot_cancellations(item, item.call_on_members)
    meeting.items.remove(item)
    _renumber(meeting)
    _agenda_changed(meeting, by, f"Removed {item.calendar_label}")


def move_item(item: AgendaItem, direction: str, by: User) -> None:
    """Swap an item with its neighbour; standing items stay at the top."""
    discussions = [i for i in sorted(item.meeting.items, key=lambda i: i.position) if i.is_movable]
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
    record_change(meeting, by, description)
    _request_agency_checks(meeting)
    send_invites(meeting, update=True)


def publish_agenda(meeting: Meeting, by: User) -> None:
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.agenda_published_at = utcnow()
    _request_agency_checks(meeting)
    send_invites(meeting, update=False)


def _request_agency_checks(meeting: Meeting) -> None:
    db.session.flush()
    request_checks(meeting)
