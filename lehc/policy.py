"""Who may see and do what: the single source of access rules.

Every view declares its permission with one of the decorators below; a test walks the URL map and fails
for any route that declares none. Record-level rules (who may see a family, ...) are plain predicates here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from lehc.dates import LONDON, to_london
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
    Role,
    User,
    agenda_item_call_on,
)
from lehc.redaction import is_anonymous

PERMISSION_ATTRIBUTE = "lehc_permission"


def _declare(view: Callable, permission: str) -> Callable:
    setattr(view, PERMISSION_ATTRIBUTE, permission)
    return view


def public(view: Callable) -> Callable:
    """Open to anyone, signed in or not (sign-in page, assets, health check)."""
    return _declare(view, "public")


def signed_in(view: Callable) -> Callable:
    """Any active signed-in user; record-level checks happen inside the view through this module."""
    return _declare(login_required(view), "signed_in")


def requires_role(*roles: Role) -> Callable[[Callable], Callable]:
    """Signed in with one of these application roles; others get 403, anonymous users the sign-in page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not user_has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return _declare(login_required(wrapped), "role:" + ",".join(role.value for role in roles))

    return decorator


def user_has_role(user: User | Any, *roles: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def can_manage_users(user: User) -> bool:
    return user_has_role(user, Role.ADMIN)


# ---------------------------------------------------------------- meetings


def _membership(user: User, locality_id: int):
    return next((m for m in user.memberships if m.locality_id == locality_id), None)


def can_manage_meetings(user: User, locality_id: int) -> bool:
    """Chairs and coordinators schedule and build agendas for the localities where they sit."""
    return user_has_role(user, Role.CHAIR, Role.COORDINATOR) and _membership(user, locality_id) is not None


def is_core_member(user: User, locality_id: int) -> bool:
    membership = _membership(user, locality_id)
    return membership is not None and membership.kind is MembershipKind.CORE


def is_called_on(user: User, meeting) -> bool:
    return any(user in item.call_on_members for item in meeting.items)


def can_view_meeting(user: User, meeting) -> bool:
    """Core members and managers of the locality see the meeting; a call-on member only once called on for it."""
    return (
        can_manage_meetings(user, meeting.locality_id)
        or is_core_member(user, meeting.locality_id)
        or is_called_on(user, meeting)
    )


def can_manage_locality(user: User, locality) -> bool:
    """Schedule a locality's meetings and set its closures: its chairs and coordinators."""
    return can_manage_meetings(user, locality.id)


def can_see_locality_meetings(user: User, locality) -> bool:
    """A locality's page of meetings: its core members, chairs and coordinators."""
    return is_core_member(user, locality.id) or can_manage_meetings(user, locality.id)


def can_manage_meeting(user: User, meeting) -> bool:
    """Change a meeting, its agenda and its minutes: its locality's chairs and coordinators."""
    return can_manage_meetings(user, meeting.locality_id)


def can_read_pack(user: User, meeting) -> bool:
    """The meeting pack: for those who may see the meeting, once its agenda is published (its managers before)."""
    return can_view_meeting(user, meeting) and (meeting.is_published or can_manage_meetings(user, meeting.locality_id))


def sees_whole_meeting(user: User, meeting) -> bool:
    """The locality's chairs, coordinators and core members read the whole meeting (its other notes too); a
    member called on for some items reads those items only."""
    return can_manage_meetings(user, meeting.locality_id) or is_core_member(user, meeting.locality_id)


def can_see_item(user: User, item, today: date, window_days: int) -> bool:
    """Whether an agenda item's content is shown (its title, or the neutral label of an anonymous item, the
    presenter, the discussion, decision and actions); otherwise only its slot and reference.

    - standing items: whoever may see the meeting;
    - the locality's chairs and coordinators; its core members once the agenda is published;
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
    if is_core_member(user, meeting.locality_id) and meeting.agenda_published_at is not None:
        return True
    family = item.family
    if family is not None and user.id in (family.presenter_id, family.lead_practitioner_id):
        return True
    return user in item.call_on_members and call_on_window_open(item, today, window_days)


# ---------------------------------------------------------------- families (need-to-know)


def names_family(item, today: date) -> bool:
    """The item makes its family known to the locality's core members: held by name (not an anonymous
    consultation), with consent covering discussion valid on the meeting date and not withdrawn since, on a
    published, not-cancelled agenda of the family's own locality."""
    return (
        item.family is not None
        and item.meeting.is_published
        and item.meeting.locality_id == item.family.locality_id
        and not is_anonymous(item, today)
    )


def can_view_family(user: User, family, today: date | None = None) -> bool:
    """The family's own record and history (names, dates of birth, school, summary, consent). Admins get nothing
    by virtue of being admin.

    - the presenting practitioner and the lead practitioner;
    - the chairs and coordinators of the family's locality (they build its agendas);
    - core members of that locality through an item that names the family (names_family): never through an
      anonymous consultation, nor once consent is withdrawn.
    Call-on members never see the record itself, only an item's family: see can_view_item_family.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id in (family.presenter_id, family.lead_practitioner_id):
        return True
    if can_manage_meetings(user, family.locality_id):
        return True
    today = today or date.today()
    return is_core_member(user, family.locality_id) and any(names_family(item, today) for item in family.items)


# ---------------------------------------------------------------- the same rules as SQL, for lists
#
# Lists (families, the action tracker, the review of actions on an agenda) filter in the database with the
# expressions below; tests check on one dataset that they pick exactly what the predicates above allow.


def _localities(user: User) -> tuple[list[int], list[int]]:
    """(localities the user manages, localities where they hold a core seat)."""
    managed = [m.locality_id for m in user.memberships] if user_has_role(user, Role.CHAIR, Role.COORDINATOR) else []
    core = [m.locality_id for m in user.memberships if m.kind is MembershipKind.CORE]
    return managed, core


def names_family_clause(item, meeting, today: date):
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


def visible_family_clause(user: User, today: date | None = None):
    """SQL twin of can_view_family, over the Family table."""
    managed, core = _localities(user)
    item, meeting = aliased(AgendaItem), aliased(Meeting)  # never the enclosing query's own item or meeting
    named_on_an_agenda = exists().where(
        item.family_id == Family.id,
        item.meeting_id == meeting.id,
        meeting.locality_id == Family.locality_id,
        names_family_clause(item, meeting, today or date.today()),
    )
    return or_(
        Family.presenter_id == user.id,
        Family.lead_practitioner_id == user.id,
        Family.locality_id.in_(managed),
        Family.locality_id.in_(core) & named_on_an_agenda,
    )


def _call_on_items_in_window(user: User, today: date, window_days: int):
    """Ids of the items the user is called on for whose window (see call_on_window_open) is open today."""

    def london_midnight(day):
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


def visible_item_clause(user: User, item_id, meeting, family, today: date, window_days: int):
    """SQL twin of can_see_item for discussion items, over an agenda item's id, its Meeting and (outer) its
    Family."""
    managed, core = _localities(user)
    return or_(
        meeting.locality_id.in_(managed),
        meeting.locality_id.in_(core) & meeting.agenda_published_at.is_not(None),
        family.presenter_id == user.id,
        family.lead_practitioner_id == user.id,
        item_id.in_(_call_on_items_in_window(user, today, window_days)),
    )


def visible_action_clause(user: User, today: date, window_days: int):
    """SQL twin of can_view_action, over Action joined to its Meeting and (outer) its Discussion and Family."""
    managed, core = _localities(user)
    called_on_meetings = (
        select(AgendaItem.meeting_id)
        .join(agenda_item_call_on, agenda_item_call_on.c.item_id == AgendaItem.id)
        .where(agenda_item_call_on.c.user_id == user.id)
    )
    return or_(
        Action.owner_id == user.id,
        and_(
            Action.discussion_id.is_(None),
            or_(Meeting.locality_id.in_(set(managed) | set(core)), Meeting.id.in_(called_on_meetings)),
        ),
        and_(
            Action.discussion_id.is_not(None),
            visible_item_clause(user, Discussion.item_id, Meeting, Family, today, window_days),
        ),
    )


def can_edit_family(user: User, family) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.id in (family.presenter_id, family.lead_practitioner_id) or can_manage_meetings(user, family.locality_id)
    )


def call_on_window_open(item, today: date, window_days: int) -> bool:
    """From agenda publication until `window_days` after the meeting."""
    meeting = item.meeting
    if not meeting.is_published:
        return False
    return (
        to_london(meeting.agenda_published_at).date()
        <= today
        <= to_london(meeting.starts_at).date() + timedelta(days=window_days)
    )


def can_view_item_family(user: User, item, today: date, window_days: int) -> bool:
    """The family's identifiable details with one discussion item (names, dates of birth, school, summary,
    consent): never for an anonymous item, nor once consent is withdrawn; otherwise everyone who may see the
    family's record, and a call-on member for the items they are called on for, within the window."""
    if item.family is None or is_anonymous(item, today):
        return False
    if can_view_family(user, item.family, today):
        return True
    return user in item.call_on_members and call_on_window_open(item, today, window_days)


def can_record_discussion(user: User, item, today: date, window_days: int) -> bool:
    """The chairs and coordinators, the core members (once the agenda is published) and the presenting and lead
    practitioners record the mapping during the meeting; members called on for an item read it, but do not
    record it."""
    if item.family is None or item.meeting.is_cancelled or not can_see_item(user, item, today, window_days):
        return False
    return user not in item.call_on_members or can_manage_meetings(user, item.meeting.locality_id)


def can_approve_minutes(user: User, locality_id: int) -> bool:
    """Only a chair of the locality approves (or reopens for amendment) its minutes."""
    return user_has_role(user, Role.CHAIR) and _membership(user, locality_id) is not None


def can_update_action(user: User, action) -> bool:
    """Owners update their own actions; the locality's chairs and coordinators update any of its actions."""
    return getattr(user, "is_authenticated", False) and (
        action.owner_id == user.id or can_manage_meetings(user, action.meeting.locality_id)
    )


def can_view_action(user: User, action, today: date, window_days: int) -> bool:
    """An action is seen by its owner, and by whoever may see the discussion's item (or the meeting, for a
    meeting-level action)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if action.owner_id == user.id:
        return True
    if action.discussion is None:
        return can_view_meeting(user, action.meeting)
    return can_see_item(user, action.discussion.item, today, window_days)


def can_export_subject_access(user: User, family) -> bool:
    """A subject access request is answered by an administrator or the family's lead practitioner."""
    return user_has_role(user, Role.ADMIN) or (
        getattr(user, "is_authenticated", False) and user.id == family.lead_practitioner_id
    )


def can_write_family_letter(user: User, item, today: date) -> bool:
    """The lead practitioner writes to the family (the presenting practitioner while no lead is named), and only
    for a discussion held by name whose consent still holds."""
    family = item.family
    if family is None or not getattr(user, "is_authenticated", False) or is_anonymous(item, today):
        return False
    writer = family.lead_practitioner_id or family.presenter_id
    return user.id == writer
