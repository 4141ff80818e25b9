"""Who may see and run a locality's meetings, their agenda items and their minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lehc.dates import to_london
from lehc.models import AgendaItem, Area, Locality, Meeting, Membership, MembershipKind, Role, User
from lehc.policy.routes import user_has_role
from lehc.policy.seats import holds_kind_seat


def _membership(user: User, locality_id: int) -> Membership | None:
    return next((m for m in user.memberships if m.locality_id == locality_id), None)


def can_manage_meetings(user: User, locality_id: int) -> bool:
    """Chairs and coordinators schedule and build agendas for the localities where they sit."""
    return user_has_role(user, Role.CHAIR, Role.COORDINATOR) and _membership(user, locality_id) is not None


def is_core_member(user: User, locality_id: int) -> bool:
    membership = _membership(user, locality_id)
    return membership is not None and membership.kind is MembershipKind.CORE


def sits_at_meeting(user: User, meeting: Meeting) -> bool:
    """Sits at the whole meeting: a core member of its locality, or the holder of a seat its kind names there (the
    Children's Social Care team manager at the weekly step up / step down meeting)."""
    return is_core_member(user, meeting.locality_id) or holds_kind_seat(user, meeting)


def is_called_on(user: User, meeting: Meeting) -> bool:
    return any(user in item.call_on_members for item in meeting.items)


def sits_in_area(user: User, meeting: Meeting) -> bool:
    """An area's meeting (the Early Help Forum) is open to the core members, chairs and coordinators of every
    locality in the area; its host locality's chairs and coordinators run it."""
    if meeting.area_id is None:
        return False
    manager = user_has_role(user, Role.CHAIR, Role.COORDINATOR)
    return any(
        m.locality.area_id == meeting.area_id and (manager or m.kind is MembershipKind.CORE) for m in user.memberships
    )


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    """Those who sit at the meeting and the locality's managers see it (of any locality in its area, for an area's
    meeting); a call-on member only once called on for it."""
    return (
        can_manage_meetings(user, meeting.locality_id)
        or sits_at_meeting(user, meeting)
        or is_called_on(user, meeting)
        or sits_in_area(user, meeting)
    )


def forum_host(user: User, area: Area) -> Locality | None:
    """The locality that hosts an area's meeting (the forum) this user schedules: the first of the area's localities
    whose meetings they run. None if they run none there."""
    return next((locality for locality in area.localities if can_manage_meetings(user, locality.id)), None)


def can_schedule_forum(user: User, area: Area) -> bool:
    """Schedule an area's Early Help Forum: the chairs and coordinators of any locality in the area."""
    return forum_host(user, area) is not None


def can_manage_locality(user: User, locality: Locality) -> bool:
    """Schedule a locality's meetings and set its closures: its chairs and coordinators."""
    return can_manage_meetings(user, locality.id)


def can_see_locality_meetings(user: User, locality: Locality) -> bool:
    """A locality's page of meetings: its core members, chairs and coordinators."""
    return is_core_member(user, locality.id) or can_manage_meetings(user, locality.id)


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """Change a meeting, its agenda and its minutes: its locality's chairs and coordinators."""
    return can_manage_meetings(user, meeting.locality_id)


def can_read_pack(user: User, meeting: Meeting) -> bool:
    """The meeting pack: for those who may see the meeting, once its agenda is published (its managers before)."""
    return can_view_meeting(user, meeting) and (meeting.is_published or can_manage_meetings(user, meeting.locality_id))


def sees_whole_meeting(user: User, meeting: Meeting) -> bool:
    """The locality's chairs and coordinators and those who sit at the meeting read the whole meeting (its other
    notes too); a member called on for some items reads those items only."""
    return (
        can_manage_meetings(user, meeting.locality_id) or sits_at_meeting(user, meeting) or sits_in_area(user, meeting)
    )


def can_see_item(user: User, item: AgendaItem, today: date, window_days: int) -> bool:
    """Whether an agenda item's content is shown (its title, or the neutral label of an anonymous item, the
    presenter, the discussion, decision and actions); otherwise only its slot and reference.

    - standing items: whoever may see the meeting;
    - the locality's chairs and coordinators; those who sit at the meeting (sits_at_meeting) once the agenda is
      published;
    - the family's presenting and lead practitioners;
    - a member called on for the item, from publication until the window closes (call_on_window_open).
    Who may see the family's identifiable record through the item is can_view_item_family.
    """
    meeting = item.meeting
    if not item.is_discussion:
        return can_view_meeting(user, meeting)
    if not getattr(user, "is_authenticated", False):
        return False
    if can_manage_meetings(user, meeting.locality_id):
        return True
    if meeting.agenda_published_at is not None and sits_at_meeting(user, meeting):
        return True
    family = item.family
    if family is not None and user.id in (family.presenter_id, family.lead_practitioner_id):
        return True
    return user in item.call_on_members and call_on_window_open(item, today, window_days)


def call_on_window_open(item: AgendaItem, today: date, window_days: int) -> bool:
    """From agenda publication until `window_days` after the meeting."""
    meeting = item.meeting
    if not meeting.is_published:
        return False
    return (
        to_london(meeting.agenda_published_at).date()
        <= today
        <= to_london(meeting.starts_at).date() + timedelta(days=window_days)
    )


def can_approve_minutes(user: User, locality_id: int) -> bool:
    """Only a chair of the locality approves (or reopens for amendment) its minutes."""
    return user_has_role(user, Role.CHAIR) and _membership(user, locality_id) is not None


@dataclass(frozen=True)
class MinutesView:
    """What of a meeting's minutes a set of readers may see: these items' content, and the meeting's other notes
    if `whole_meeting`."""

    items: frozenset[int]
    whole_meeting: bool

    def shows(self, item_id: int) -> bool:
        return item_id in self.items


def minutes_view(readers: list[User], meeting: Meeting, today: date, window_days: int) -> MinutesView:
    """The minutes as these readers may see them together: on screen and in a download the signed-in reader alone
    (today's window); in an agency's distribution copy, whatever any of its attendees could see on the meeting day
    (window 0, so a copy made later is the same)."""
    return MinutesView(
        items=frozenset(
            item.id for item in meeting.items if any(can_see_item(user, item, today, window_days) for user in readers)
        ),
        whole_meeting=any(sees_whole_meeting(user, meeting) for user in readers),
    )


def distribution_view(readers: list[User], meeting: Meeting) -> MinutesView:
    """An agency's distribution copy: whatever any of its attendees could see on the meeting day, or on the day the
    agenda was published if that came later; with no call-on window, so a copy made later is the same."""
    meeting_day = to_london(meeting.starts_at).date()
    day = meeting_day
    if meeting.agenda_published_at is not None:
        day = max(day, to_london(meeting.agenda_published_at).date())
    return minutes_view(readers, meeting, day, window_days=(day - meeting_day).days)
