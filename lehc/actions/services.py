"""The action tracker: finding, filtering, updating and exporting actions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lehc import policy
from lehc.dates import format_date
from lehc.extensions import db
from lehc.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Discussion,
    Meeting,
    Membership,
    User,
)

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ActionFilter:
    scope: str = "mine"  # mine | all
    locality_id: int | None = None
    agency_id: int | None = None
    owner_id: int | None = None
    status: str = "open"  # open | done | cancelled | any
    due: str = ""  # overdue | week | ""
    meeting_id: int | None = None


def _base_query(user: User):
    """Actions the user might see: their own, and those of localities where they sit (refined by policy)."""
    localities = select(Membership.locality_id).where(Membership.user_id == user.id)
    return (
        select(Action)
        .join(Meeting, Action.meeting_id == Meeting.id)
        .where(or_(Action.owner_id == user.id, Meeting.locality_id.in_(localities)))
        .options(
            selectinload(Action.owner).selectinload(User.agency),
            selectinload(Action.owner_agency),
            selectinload(Action.meeting).selectinload(Meeting.locality),
            selectinload(Action.discussion).selectinload(Discussion.item).selectinload(AgendaItem.call_on_members),
        )
    )


def find_actions(user: User, chosen: ActionFilter, *, today: date, window_days: int) -> list[Action]:
    query = _base_query(user)
    if chosen.scope == "mine":
        query = query.where(Action.owner_id == user.id)
    if chosen.locality_id:
        query = query.where(Meeting.locality_id == chosen.locality_id)
    if chosen.agency_id:
        query = query.where(Action.owner_agency_id == chosen.agency_id)
    if chosen.owner_id:
        query = query.where(Action.owner_id == chosen.owner_id)
    if chosen.meeting_id:
        query = query.where(Action.meeting_id == chosen.meeting_id)
    if chosen.status == "open":
        query = query.where(Action.status.in_(OPEN_STATUSES))
    elif chosen.status in ("done", "cancelled"):
        query = query.where(Action.status == ActionStatus(chosen.status))
    if chosen.due == "overdue":
        query = query.where(Action.due_on < today, Action.status.in_(OPEN_STATUSES))
    elif chosen.due == "week":
        query = query.where(Action.due_on <= today + timedelta(days=7), Action.status.in_(OPEN_STATUSES))
    query = query.order_by(Action.due_on, Action.id).limit(2000)
    return [a for a in db.session.scalars(query) if policy.can_view_action(user, a, today, window_days)]


def is_overdue(action: Action, today: date) -> bool:
    return action.status in OPEN_STATUSES and action.due_on < today


def update_action(action: Action, *, status: ActionStatus, reason: str, note: str, by: User, today: date) -> None:
    action.status = status
    action.status_reason = reason.strip() if status is ActionStatus.CANCELLED else ""
    action.completed_on = today if status is ActionStatus.DONE else None
    action.updates.append(ActionUpdate(by=by, status=status, note=note.strip()))


def context_of(action: Action) -> str:
    """How an action is labelled outside the family record: reference and meeting, never a name."""
    where = f"{action.meeting.locality.name} LEHC {format_date(action.meeting.starts_at)}"
    return f"{action.discussion.item.reference}, {where}" if action.discussion else f"Meeting action, {where}"


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
            "due": format_date(action.due_on),
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
    columns = ["description", "context", "owner", "agency", "due", "status"]
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


def carried_forward(meeting: Meeting, viewer: User, *, today: date, window_days: int) -> list[Action]:
    """For the next meeting's review of actions: the locality's open actions from earlier meetings, and those
    completed since the previous meeting."""
    previous_start = db.session.scalar(
        select(Meeting.starts_at)
        .where(Meeting.locality_id == meeting.locality_id, Meeting.starts_at < meeting.starts_at)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    if previous_start is None:
        return []
    recently = previous_start.date()
    query = (
        _base_query(viewer)
        .where(
            Meeting.locality_id == meeting.locality_id,
            Meeting.starts_at < meeting.starts_at,
            or_(
                Action.status.in_(OPEN_STATUSES),
                (Action.status == ActionStatus.DONE) & (Action.completed_on >= recently),
            ),
        )
        .order_by(Action.due_on)
    )
    return [a for a in db.session.scalars(query) if policy.can_view_action(viewer, a, today, window_days)]
