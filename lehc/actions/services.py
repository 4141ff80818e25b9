"""The action tracker: finding, filtering, updating and exporting actions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, select, union_all
from sqlalchemy.orm import defaultload, joinedload, lazyload

from lehc import policy
from lehc.dates import format_date, format_short_date
from lehc.downloads import slug
from lehc.extensions import db
from lehc.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Agency,
    AgendaItem,
    Discussion,
    Family,
    Locality,
    Meeting,
    User,
)
from lehc.models.discussions import OPEN
from lehc.redaction import is_anonymous
from lehc.text import contains_pattern


@dataclass(frozen=True)
class ActionFilter:
    scope: str = "mine"  # mine | all
    locality_id: int | None = None
    agency_id: int | None = None
    owner_id: int | None = None
    status: str = "open"  # open | done | cancelled | any
    due: str = ""  # overdue | week | ""
    meeting_id: int | None = None
    text: str = ""  # words the description holds (the search box)


def export_name(chosen: ActionFilter, today: date, extension: str, *, group_by: str = "") -> str:
    """A download's file name that says what it holds: whose actions, which status, due and place filters, the
    grouping, and the day, e.g. LEHC-actions-all-open-overdue-durham-by-owner-2026-11-25.docx."""
    named = [
        (Locality, chosen.locality_id, "name"),
        (Agency, chosen.agency_id, "name"),
        (User, chosen.owner_id, "name"),
        (Meeting, chosen.meeting_id, "reference"),
    ]
    found = [(db.session.get(model, key), attribute) for model, key, attribute in named if key is not None]
    due = {"overdue": "overdue", "week": "due-this-week"}.get(chosen.due, "")
    parts = ["LEHC-actions", chosen.scope, chosen.status, due]
    parts += [slug(getattr(record, attribute)) for record, attribute in found if record is not None]
    parts += [f"by-{group_by}" if group_by else "", today.isoformat()]
    return "-".join(part for part in parts if part) + f".{extension}"


def _visible(user: User, today: date, window_days: int, locality_id: int | None = None):
    """Actions the user may see (policy.visible_action_clause), of one locality when locality_id is given."""
    return (
        select(Action)
        .join(Meeting, Action.meeting_id == Meeting.id)
        .outerjoin(Discussion, Action.discussion_id == Discussion.id)
        .outerjoin(Family, Discussion.family_id == Family.id)
        .where(policy.visible_action_clause(user, today, window_days, locality_id=locality_id))
    )


ORDER = (Action.due_on, Action.id)


# What family_of needs: the discussion's item, its family and consents (whether the item is anonymous; a family
# has few consents), and the meeting (the item's date)
FAMILY_OF = (
    joinedload(Action.meeting),
    joinedload(Action.discussion)
    .load_only(Discussion.id, Discussion.family_id)
    .joinedload(Discussion.item)
    .joinedload(AgendaItem.family)
    .joinedload(Family.consents),
)
LISTED = (*FAMILY_OF, joinedload(Action.owner).joinedload(User.agency))  # what the tracker's rows show besides
# What the review of actions on an agenda and the home page's own actions show: family_of, description, status and
# due date. The reference data the models join by default (the meeting's locality and kind, the family's locality,
# the owner's agency) is not shown there, so it is not joined into each action's row (about 2 ms of the agenda's
# first view)
REVIEWED = (
    *FAMILY_OF,
    joinedload(Action.meeting).options(lazyload(Meeting.locality), lazyload(Meeting.kind)),
    lazyload(Action.owner_agency),
    defaultload(Action.discussion)
    .defaultload(Discussion.item)
    .defaultload(AgendaItem.family)
    .lazyload(Family.locality),
)


def _page(*queries: Select, offset: int = 0, limit: int, load: tuple = LISTED) -> list[Action]:
    """One page of a filtered query, soonest due first. The sort runs over action ids alone; the page's rows
    are then read with what the list shows (`load`: by default the tracker's owner and agency, meeting and
    locality, the discussion's item) in the same statement. Several queries that find different actions give
    one list with a page of each."""
    pages = [query.with_only_columns(Action.id).order_by(*ORDER).offset(offset).limit(limit) for query in queries]
    if len(pages) > 1:  # each page sorted on its own index first, then read together
        pages = [union_all(*(select(page.subquery().c.id) for page in pages))]
    ids = pages[0].subquery()
    listed = (
        select(Action)
        .join(ids, Action.id == ids.c.id)  # a join, not IN: PostgreSQL then reads the page first
        .order_by(*ORDER)
        .options(*load)
    )
    return list(db.session.scalars(listed).unique())


COUNT_CAP = 1000  # lists say "more than 1,000" rather than count a whole county's history


def _count(query: Select, cap: int = COUNT_CAP) -> int:
    """How many rows the query finds, counting no further than cap + 1."""
    capped = query.with_only_columns(Action.id).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) or 0


def _filtered(user: User, chosen: ActionFilter, today: date, window_days: int):
    # the locality chosen is the action's own, where the tracker's indexes start
    query = _visible(user, today, window_days, chosen.locality_id)
    if chosen.scope == "mine":
        query = query.where(Action.owner_id == user.id)
    chosen_places = [
        (Action.owner_agency_id, chosen.agency_id),
        (Action.owner_id, chosen.owner_id),
        (Action.meeting_id, chosen.meeting_id),
    ]
    for column, value in chosen_places:
        if value:
            query = query.where(column == value)
    if chosen.text:
        query = query.where(Action.description.ilike(contains_pattern(chosen.text), escape="\\"))
    if chosen.status == "open":
        query = query.where(Action.is_open())
    elif chosen.status in ("done", "cancelled"):
        query = query.where(Action.status == ActionStatus(chosen.status))
    if chosen.due == "overdue":
        query = query.where(Action.due_on < today, Action.is_open())
    elif chosen.due == "week":
        query = query.where(Action.due_on <= today + timedelta(days=7), Action.is_open())
    return query


EXPORT_LIMIT = 5000  # one export; a tracker larger than this is filtered first


def find_actions(
    user: User,
    chosen: ActionFilter,
    *,
    today: date,
    window_days: int,
    offset: int = 0,
    limit: int = EXPORT_LIMIT,
    load: tuple = LISTED,
) -> list[Action]:
    """The actions this filter finds and the user may see, soonest due first, read with `load` (by default what
    the tracker shows)."""
    return _page(_filtered(user, chosen, today, window_days), offset=offset, limit=limit, load=load)


def count_actions(user: User, chosen: ActionFilter, *, today: date, window_days: int) -> int:
    """How many actions the filter finds, up to COUNT_CAP + 1 (shown as "more than COUNT_CAP")."""
    return _count(_filtered(user, chosen, today, window_days))


def is_overdue(action: Action, today: date) -> bool:
    return action.status in OPEN and action.due_on < today


def update_action(action: Action, *, status: ActionStatus, reason: str, note: str, by: User, today: date) -> None:
    action.status = status
    action.status_reason = reason.strip() if status is ActionStatus.CANCELLED else ""
    action.completed_on = today if status is ActionStatus.DONE else None
    action.updates.append(ActionUpdate(by=by, status=status, note=note.strip()))


def family_of(action: Action, today: date | None = None) -> str:
    """The family an action is for, by reference (never a name): 'Meeting action' for the meeting's own; an action
    of an anonymous consultation (or of a family that has withdrawn consent) says so."""
    if action.discussion is None:
        return "Meeting action"
    item = action.discussion.item
    return item.reference + (" (anonymous)" if is_anonymous(item, today) else "")


def by_family(actions: list[Action], today: date) -> list[tuple[str, list[Action]]]:
    """Actions grouped under the family each is for (family_of), groups in the order their first action comes."""
    groups: dict[str, list[Action]] = {}
    for action in actions:
        groups.setdefault(family_of(action, today), []).append(action)
    return list(groups.items())


def context_of(action: Action, today: date | None = None) -> str:
    """How an action is labelled outside the family record: its family as family_of says, and its meeting."""
    return f"{family_of(action, today)}, {action.meeting.name} {format_date(action.meeting.starts_at)}"


def owner_agency(action: Action) -> str:
    if action.owner_agency:
        return action.owner_agency.name
    return action.owner.agency.name if action.owner and action.owner.agency else ""


def rows(actions: list[Action], today: date) -> list[dict]:
    return [
        {
            "description": action.description,
            "context": context_of(action),
            "locality": action.meeting.locality.name,
            "owner": action.owner.name if action.owner else "",
            "agency": owner_agency(action),
            "id": action.id,
            "due": format_date(action.due_on),
            "due_on": action.due_on.isoformat(),
            "overdue": is_overdue(action, today),
            "due_short": format_short_date(action.due_on),
            "family": family_of(action),
            "meeting_on": format_short_date(action.meeting.starts_at),
            "status": action.status.label + (" (overdue)" if is_overdue(action, today) else ""),
        }
        for action in actions
    ]


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: prefix a quote so they stay text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def to_csv(table: list[dict]) -> bytes:
    buffer = io.StringIO()
    columns = ["description", "context", "owner", "agency", "due_on", "status"]  # dates as dates: 2026-12-03
    writer = csv.writer(buffer)
    writer.writerow(["Action", "Family / meeting", "Owner", "Agency", "Due", "Status"])
    for row in table:
        writer.writerow([neutralise(str(row[column])) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM so Excel reads UTF-8


def grouped(table: list[dict], by: str) -> list[tuple[str, list[dict]]]:
    key = "owner" if by == "owner" else "locality"
    groups: dict[str, list[dict]] = {}
    for row in table:
        groups.setdefault(row[key] or "No named owner", []).append(row)
    return sorted(groups.items())


CARRIED_SHOWN = 25


def _same_table(meeting: Meeting) -> ColumnElement[bool]:
    """The meetings whose actions a meeting reviews: its locality's own, or an area's meeting's (the forum's)
    earlier meetings of its kind for the area; a forum's actions are never a locality meeting's."""
    if meeting.area_id is not None:
        return and_(Meeting.area_id == meeting.area_id, Meeting.kind_code == meeting.kind_code)
    return and_(Meeting.locality_id == meeting.locality_id, Meeting.area_id.is_(None))


def carried_forward(meeting: Meeting, viewer: User, *, today: date, window_days: int) -> tuple[list[Action], bool]:
    """For the next meeting's review of actions: the locality's open actions from earlier meetings, and those
    completed since the previous meeting; the first CARRIED_SHOWN by due date, and whether there are more."""
    same_table = _same_table(meeting)
    previous_start = db.session.scalar(
        select(Meeting.starts_at)
        .where(same_table, Meeting.starts_at < meeting.starts_at)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    if previous_start is None:
        return [], False
    # a locality's own table: the same actions said of the action too (an action keeps its meeting's locality), so
    # that its open ones are read in due order from the index of the locality's open actions, not found among the
    # county's history
    locality_id = meeting.locality_id if meeting.area_id is None else None
    earlier = _visible(viewer, today, window_days, locality_id).where(same_table, Meeting.starts_at < meeting.starts_at)
    # Two simple queries rather than one with OR: each reads the earlier meetings' actions through the
    # (meeting_id, status, completed_on) index, touching only the open ones, or the ones done since; their
    # pages are then read in one statement.
    shown = _page(
        earlier.where(Action.is_open()),
        earlier.where(Action.status == ActionStatus.DONE, Action.completed_on >= previous_start.date()),
        limit=CARRIED_SHOWN + 1,
        load=REVIEWED,
    )
    return shown[:CARRIED_SHOWN], len(shown) > CARRIED_SHOWN
