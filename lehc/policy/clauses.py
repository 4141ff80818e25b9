"""The same rules as SQL, for lists.

Lists (families, the action tracker, the review of actions on an agenda) filter in the database with the
expressions below; tests check on one dataset that they pick exactly what the predicates allow.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, true
from sqlalchemy.orm import aliased

from lehc.dates import LONDON
from lehc.models import (
    Action,
    AgendaItem,
    Consent,
    Discussion,
    DiscussionType,
    Family,
    Meeting,
    MeetingStatus,
    MembershipKind,
    OutboxMessage,
    Role,
    User,
    agenda_item_call_on,
)
from lehc.policy.routes import user_has_role
from lehc.policy.seats import kind_seat_clause
from lehc.request_cache import once_per_request


def _localities(user: User) -> tuple[list[int], list[int]]:
    """(localities the user manages, localities where they hold a core seat)."""
    managed = [m.locality_id for m in user.memberships] if user_has_role(user, Role.CHAIR, Role.COORDINATOR) else []
    core = [m.locality_id for m in user.memberships if m.kind is MembershipKind.CORE]
    return managed, core


def _sits_clause(user: User, meeting: Meeting) -> ColumnElement[bool]:
    """SQL twin of sits_at_meeting, over a Meeting (or an alias of it)."""
    _, core = _localities(user)
    return or_(meeting.locality_id.in_(core), kind_seat_clause(user, meeting))


def names_family_clause(item: AgendaItem, meeting: Meeting, today: date) -> ColumnElement[bool]:
    """SQL twin of names_family, over an AgendaItem and its Meeting (aliases of the caller's choosing)."""
    consent = aliased(Consent)
    consent_holds = exists().where(
        consent.family_id == item.family_id,
        consent.covers_discussion.is_(True),
        consent.given_on <= meeting.day,
        consent.expires_on >= meeting.day,
        or_(consent.withdrawn_on.is_(None), and_(consent.withdrawn_on > meeting.day, consent.withdrawn_on > today)),
    )
    return and_(
        item.family_id.is_not(None),
        or_(item.discussion_type.is_(None), item.discussion_type != DiscussionType.ANONYMOUS),
        meeting.agenda_published_at.is_not(None),
        meeting.status != MeetingStatus.CANCELLED,
        consent_holds,
    )


def visible_family_clause(user: User, today: date | None = None) -> ColumnElement[bool]:
    """SQL twin of can_view_family, over the Family table."""
    managed, _ = _localities(user)
    item, meeting = aliased(AgendaItem), aliased(Meeting)  # never the enclosing query's own item or meeting
    named_where_they_sit = exists().where(
        item.family_id == Family.id,
        item.meeting_id == meeting.id,
        meeting.locality_id == Family.locality_id,
        _sits_clause(user, meeting),
        names_family_clause(item, meeting, today or date.today()),
    )
    return or_(
        Family.presenter_id == user.id,
        Family.lead_practitioner_id == user.id,
        Family.locality_id.in_(managed),
        Family.locality_id.in_([m.locality_id for m in user.memberships]) & named_where_they_sit,
    )


def _call_on_items_in_window(user: User, today: date, window_days: int) -> Select:
    """Ids of the items the user is called on for whose window (see call_on_window_open) is open today."""

    def london_midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=LONDON)

    return (
        select(agenda_item_call_on.c.item_id)
        .join(AgendaItem, AgendaItem.id == agenda_item_call_on.c.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            agenda_item_call_on.c.user_id == user.id,
            Meeting.agenda_published_at.is_not(None),
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.agenda_published_at < london_midnight(today + timedelta(days=1)),
            Meeting.starts_at >= london_midnight(today - timedelta(days=window_days)),
        )
    )


def visible_item_clause(
    user: User, item_id: ColumnElement[int], meeting: Meeting, family: Family, today: date, window_days: int
) -> ColumnElement[bool]:
    """SQL twin of can_see_item for discussion items, over an agenda item's id, its Meeting and (outer) its
    Family."""
    managed, _ = _localities(user)
    return or_(
        meeting.locality_id.in_(managed),
        meeting.agenda_published_at.is_not(None) & _sits_clause(user, meeting),
        family.presenter_id == user.id,
        family.lead_practitioner_id == user.id,
        item_id.in_(_call_on_items_in_window(user, today, window_days)),
    )


def visible_meeting_clause(user: User) -> ColumnElement[bool]:
    """SQL twin of can_view_meeting, over the Meeting table."""
    managed, core = _localities(user)
    called_on_meetings = (
        select(AgendaItem.meeting_id)
        .join(agenda_item_call_on, agenda_item_call_on.c.item_id == AgendaItem.id)
        .where(agenda_item_call_on.c.user_id == user.id)
    )
    mine = set(managed) | set(core)
    areas = {m.locality.area_id for m in user.memberships if m.locality_id in mine} - {None}
    return or_(
        Meeting.locality_id.in_(mine),
        kind_seat_clause(user, Meeting),
        Meeting.id.in_(called_on_meetings),
        Meeting.area_id.in_(areas),  # an area's meeting: every locality in the area (sits_in_area)
    )


def visible_outbox_clause(user: User) -> ColumnElement[bool]:
    """SQL twin of can_see_outbox_message, over the OutboxMessage table."""
    if user_has_role(user, Role.ADMIN):
        return true()
    managed, _ = _localities(user)
    return OutboxMessage.locality_id.in_(managed)


def visible_action_clause(
    user: User, today: date, window_days: int, *, locality_id: int | None = None
) -> ColumnElement[bool]:
    """SQL twin of can_view_action, over Action joined to its Meeting and (outer) its Discussion and Family, of one
    locality's actions when locality_id is given. Built once per request for the same user and seats (a list's
    count and its page share it).

    Of a locality the user chairs or coordinates, they see every action: every meeting and item of it
    (can_view_meeting, can_see_item), and an action keeps its meeting's locality. The list is then read from the
    locality's own indexes, without the full clause's conditions on the meeting, the family and the items a person
    is called on for."""
    if locality_id is not None and locality_id in _localities(user)[0]:
        return Action.locality_id == locality_id

    def build() -> ColumnElement[bool]:
        return or_(
            Action.owner_id == user.id,
            and_(Action.discussion_id.is_(None), visible_meeting_clause(user)),
            and_(
                Action.discussion_id.is_not(None),
                visible_item_clause(user, Discussion.item_id, Meeting, Family, today, window_days),
            ),
        )

    clause = once_per_request(("visible actions", _seating(user), today, window_days), build)
    return clause if locality_id is None else and_(clause, Action.locality_id == locality_id)


def _seating(user: User) -> tuple:
    """What the visibility clauses read of a user: a key that changes when their role or seats do."""
    return user.id, user.role, tuple(sorted((m.locality_id, m.kind.value, m.seat_id or 0) for m in user.memberships))
