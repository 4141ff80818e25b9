"""Agency checks: which items agencies are asked about, and who answers for an agency."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func

from lehc.consent import sharing_allowed
from lehc.models import Agency, AgencyCheck, AgendaItem, Seat, User
from lehc.policy.families import can_view_item_family
from lehc.redaction import is_anonymous, item_date


def member_agency(user: User, locality_id: int) -> Agency | None:
    """The agency a member answers for in a locality: the agency of their seat there, else their own."""
    membership = next((m for m in user.memberships if m.locality_id == locality_id), None)
    if membership is not None and membership.seat is not None:
        return membership.seat.agency
    return user.agency


def member_agency_column() -> ColumnElement[int]:
    """SQL twin of member_agency, over User joined to their Membership in the locality and (outer) its Seat."""
    return func.coalesce(Seat.agency_id, User.agency_id)


def checkable(item: AgendaItem, today: date | None = None) -> bool:
    """Agencies are asked about an item's family only while it is held by name and consent covers sharing: a
    withdrawal closes the checks from the day it is recorded, as it closes the record."""
    today = today or date.today()
    return (
        item.is_discussion
        and item.family is not None
        and not is_anonymous(item, today)
        and sharing_allowed(item.family, item_date(item), today)
    )


def can_answer_check(user: User, check: AgencyCheck, today: date, window_days: int) -> bool:
    """A member of the check's agency who may see the item's family answers it, while the meeting is open (not
    cancelled, minutes not locked) and the item is still checkable for the same family."""
    item = check.item
    meeting = item.meeting
    if meeting.is_cancelled or meeting.minutes_locked or not checkable(item, today):
        return False
    if check.family_id != item.family_id:
        return False
    agency = member_agency(user, meeting.locality_id)
    return agency is not None and agency.id == check.agency_id and can_view_item_family(user, item, today, window_days)
