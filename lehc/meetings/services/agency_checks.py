"""Agency checks: before the meeting, each agency at the table says whether it knows the family of each item.

- only discussion items held by name whose family's consent covers sharing on the meeting day are checked (an
  anonymous consultation cannot be, and a family that did not agree to sharing is not): policy.checkable;
- every core agency of the locality is asked, and each call-on member's agency for the items they are called on for;
- a check is answered by a member of that agency who may see the item's family: policy.can_answer_check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lehc import policy
from lehc.extensions import db
from lehc.meetings.services.members import meeting_core_members
from lehc.models import Agency, AgencyCheck, AgendaItem, CheckAnswer, Family, Meeting, User
from lehc.models.people import utcnow
from lehc.policy import checkable, member_agency


def core_agencies(meeting: Meeting) -> list[Agency]:
    agencies = {}
    for membership in meeting_core_members(meeting):
        agency = member_agency(membership.user, meeting.locality_id)
        if agency is not None:
            agencies[agency.id] = agency
    return list(agencies.values())


def agencies_to_ask(item: AgendaItem, core: list[Agency]) -> list[Agency]:
    """The core agencies, and the agency of each member called on for this item."""
    agencies = {agency.id: agency for agency in core}
    for user in item.call_on_members:
        agency = member_agency(user, item.meeting.locality_id)
        if agency is not None and user.active:
            agencies.setdefault(agency.id, agency)
    return sorted(agencies.values(), key=lambda agency: agency.name)


def request_checks(meeting: Meeting) -> int:
    """Make sure every agency that should be asked about each item has a check; drop unanswered checks that no
    longer apply (item now anonymous, consent withdrawn, call-on member removed, another family). Idempotent;
    returns how many new checks were asked."""
    if not meeting.is_published:
        return 0
    core = core_agencies(meeting)
    wanted_by_item = {
        item: {agency.id: agency for agency in agencies_to_ask(item, core)} if checkable(item) else {}
        for item in meeting.items
    }
    for item, wanted in wanted_by_item.items():
        for check in list(item.agency_checks):
            stale = check.family_id != item.family_id
            if stale or (check.agency_id not in wanted and not check.answered):
                item.agency_checks.remove(check)
    db.session.flush()  # deletes first, so an agency asked again about a new family does not clash
    asked = 0
    for item, wanted in wanted_by_item.items():
        existing = {check.agency_id for check in item.agency_checks}
        for agency_id, agency in wanted.items():
            if agency_id not in existing:
                item.agency_checks.append(AgencyCheck(family_id=item.family_id, agency=agency))
                asked += 1
    db.session.flush()
    return asked


def visible_checks(item: AgendaItem) -> list[AgencyCheck]:
    """The checks that may be shown with an item: none once it is anonymous or sharing consent has lapsed."""
    if not checkable(item):
        return []
    return [check for check in item.agency_checks if check.family_id == item.family_id]


@dataclass
class CheckRow:
    """An answered (or unanswered) check as the pack and the minutes show it."""

    agency: str
    answer: str
    note: str


def check_rows(item: AgendaItem) -> list[CheckRow]:
    return [
        CheckRow(check.agency.name, check.answer.label if check.answer else "Not answered", check.note)
        for check in visible_checks(item)
    ]


def checks_for(user: User, meeting: Meeting, today: date, window_days: int) -> list[AgencyCheck]:
    """The checks this user may answer for their agency, in agenda order."""
    return [
        check
        for item in sorted(meeting.items, key=lambda i: i.position)
        for check in item.agency_checks
        if policy.can_answer_check(user, check, today, window_days)
    ]


def owed_by(user: User, meetings: list[Meeting], today: date, window_days: int) -> list[AgencyCheck]:
    """The unanswered checks this user may answer for their agency across these meetings, in one statement (the
    home page's list), in meeting and agenda order."""
    agencies = {member_agency(user, meeting.locality_id) for meeting in meetings} - {None}
    if not meetings or not agencies:
        return []
    query = (
        select(AgencyCheck)
        .join(AgendaItem, AgencyCheck.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(
            AgendaItem.meeting_id.in_([meeting.id for meeting in meetings]),
            AgencyCheck.agency_id.in_([agency.id for agency in agencies]),
            AgencyCheck.answer.is_(None),
        )
        .order_by(Meeting.starts_at, AgendaItem.position)
        .options(
            joinedload(AgencyCheck.item).joinedload(AgendaItem.meeting),
            joinedload(AgencyCheck.item).joinedload(AgendaItem.family).joinedload(Family.consents),
        )
    )
    if not all(policy.can_manage_meetings(user, meeting.locality_id) for meeting in meetings):
        # policy.can_view_family looks at the family's agenda items; a chair or coordinator of the locality
        # may see its families without that look
        query = query.options(
            joinedload(AgencyCheck.item)
            .joinedload(AgendaItem.family)
            .selectinload(Family.items)
            .joinedload(AgendaItem.meeting)
        )
    checks = db.session.scalars(query).unique()
    return [check for check in checks if policy.can_answer_check(user, check, today, window_days)]


def answer(check: AgencyCheck, kind: CheckAnswer, note: str, by: User) -> None:
    check.answer = kind
    check.note = note.strip()
    check.answered_by = by
    check.answered_at = utcnow()


@dataclass(frozen=True)
class Completeness:
    answered: int
    asked: int

    @property
    def complete(self) -> bool:
        return self.asked > 0 and self.answered == self.asked


def completeness(item: AgendaItem) -> Completeness:
    checks = visible_checks(item)
    return Completeness(sum(1 for check in checks if check.answered), len(checks))


def completeness_by_item(meeting: Meeting) -> dict[int, Completeness]:
    """completeness() of every item of the meeting in one statement, without loading the checks (the home page's
    readiness): counts of the checks asked about each item's family, none for an item no longer checkable."""
    families = {item.id: item.family_id for item in meeting.items}
    # by the items' ids (loaded with the meeting), from the checks' own index: never a walk of the county's agenda
    # items for the meeting's (PostgreSQL's plan of a join when few checks exist); each item's family compared here
    counts = (
        db.session.execute(
            select(AgencyCheck.item_id, AgencyCheck.family_id, func.count(), func.count(AgencyCheck.answer))
            .where(AgencyCheck.item_id.in_(list(families)))
            .group_by(AgencyCheck.item_id, AgencyCheck.family_id)
        )
        if families
        else []
    )
    asked = {
        item_id: Completeness(answered, total)
        for item_id, family_id, total, answered in counts
        if family_id == families[item_id]
    }
    none = Completeness(0, 0)
    return {item.id: asked.get(item.id, none) if checkable(item) else none for item in meeting.items}


@dataclass(frozen=True)
class Grid:
    """Items (columns) × agencies (rows); a cell is the check, or None where the agency was not asked."""

    items: list[AgendaItem]
    agencies: list[Agency]
    cells: dict[tuple[int, int], AgencyCheck]

    def cell(self, agency: Agency, item: AgendaItem) -> AgencyCheck | None:
        return self.cells.get((agency.id, item.id))

    @property
    def answered(self) -> int:
        return sum(1 for check in self.cells.values() if check.answered)

    @property
    def asked(self) -> int:
        return len(self.cells)

    @property
    def unanswered(self) -> list[AgencyCheck]:
        return [check for check in self.cells.values() if not check.answered]


def grid(meeting: Meeting) -> Grid:
    items = [item for item in sorted(meeting.items, key=lambda i: i.position) if visible_checks(item)]
    cells = {(check.agency_id, item.id): check for item in items for check in visible_checks(item)}
    agencies = {check.agency.id: check.agency for check in cells.values()}
    return Grid(items, sorted(agencies.values(), key=lambda agency: agency.name), cells)
