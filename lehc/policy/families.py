"""Need-to-know: who may see a family's identifiable record, through which items, and who may change it, record
its discussion, write to it or answer its subject access request."""

from __future__ import annotations

from datetime import date

from lehc.models import AgendaItem, Family, Role, User
from lehc.policy.meetings import call_on_window_open, can_manage_meetings, can_see_item, sits_at_meeting
from lehc.policy.routes import user_has_role
from lehc.redaction import is_anonymous


def names_family(item: AgendaItem, today: date) -> bool:
    """The item makes its family known to the locality's core members: held by name (not an anonymous
    consultation), with consent covering discussion valid on the meeting date and not withdrawn since, on a
    published, not-cancelled agenda of the family's own locality."""
    return (
        item.family is not None
        and item.meeting.is_published
        and item.meeting.locality_id == item.family.locality_id
        and not is_anonymous(item, today)
    )


def can_view_family(user: User, family: Family, today: date | None = None) -> bool:
    """The family's own record and history (names, dates of birth, school, summary, consent). Admins get nothing
    by virtue of being admin.

    - the presenting practitioner and the lead practitioner;
    - the chairs and coordinators of the family's locality (they build its agendas);
    - those who sit at a meeting of that locality (its core members; at a step up / step down meeting, the holders
      of its seats) through an item there that names the family (names_family): never through an anonymous
      consultation, nor once consent is withdrawn.
    Call-on members never see the record itself, only an item's family: see can_view_item_family.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id in (family.presenter_id, family.lead_practitioner_id):
        return True
    if can_manage_meetings(user, family.locality_id):
        return True
    if not any(m.locality_id == family.locality_id for m in user.memberships):
        return False
    today = today or date.today()
    return any(names_family(item, today) and sits_at_meeting(user, item.meeting) for item in family.items)


def can_edit_family(user: User, family: Family) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.id in (family.presenter_id, family.lead_practitioner_id) or can_manage_meetings(user, family.locality_id)
    )


def can_view_item_family(user: User, item: AgendaItem, today: date, window_days: int) -> bool:
    """The family's identifiable details with one discussion item (names, dates of birth, school, summary,
    consent) and what was said of them there: never for an anonymous item, nor once consent is withdrawn;
    otherwise those who may change the family's record, and those who may see the item (can_see_item) and either
    the family's record or, called on for it, the item within the window. Seeing the record through one meeting
    (a step meeting's seat holder) opens no item of another they may not see (an LEHC they are not called on
    for)."""
    family = item.family
    if family is None or is_anonymous(item, today):
        return False
    if can_edit_family(user, family):
        return True
    if not can_see_item(user, item, today, window_days):
        return False
    if can_view_family(user, family, today):
        return True
    return user in item.call_on_members and call_on_window_open(item, today, window_days)


def can_record_discussion(user: User, item: AgendaItem, today: date, window_days: int) -> bool:
    """The chairs and coordinators, those who sit at the meeting (once the agenda is published) and the presenting
    and lead practitioners record the mapping during the meeting; members called on for an item read it, but do
    not record it."""
    if item.family is None or item.meeting.is_cancelled or not can_see_item(user, item, today, window_days):
        return False
    meeting = item.meeting
    return (
        user not in item.call_on_members
        or can_manage_meetings(user, meeting.locality_id)
        or sits_at_meeting(user, meeting)
    )


def can_export_subject_access(user: User, family: Family) -> bool:
    """A subject access request is answered by an administrator or the family's lead practitioner."""
    return user_has_role(user, Role.ADMIN) or (
        getattr(user, "is_authenticated", False) and user.id == family.lead_practitioner_id
    )


def can_write_family_letter(user: User, item: AgendaItem, today: date) -> bool:
    """The lead practitioner writes to the family (the presenting practitioner while no lead is named), and only
    for a discussion held by name whose consent still holds."""
    family = item.family
    if family is None or not getattr(user, "is_authenticated", False) or is_anonymous(item, today):
        return False
    writer = family.lead_practitioner_id or family.presenter_id
    return user.id == writer


def visible_history(
    user: User, family: Family, items: list[AgendaItem], today: date, window_days: int
) -> list[AgendaItem]:
    """A family's discussions as a reader of its record sees them: every one for those who may change the record;
    for a core member, only those that name the family to them (can_view_item_family)."""
    if can_edit_family(user, family):
        return items
    return [item for item in items if can_view_item_family(user, item, today, window_days)]
