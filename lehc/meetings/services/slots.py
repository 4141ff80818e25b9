"""A meeting read with its agenda, and each item's time slot from the meeting's start and the items' durations.

The loader options and the statement hold no values of their own (the meeting's id is bound when it runs), so each
is built once: building them anew cost a few hundred Python calls on every agenda, run page and chair's desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from lehc.extensions import db
from lehc.models import Action, AgendaItem, Discussion, Family, Meeting


def meeting_with_agenda(meeting_id: int, *, minutes: bool = False, checks: bool = False) -> Meeting | None:
    """A meeting with everything its page shows, in the same few statements whatever the agenda's length;
    with `checks`, also the items' agency checks; with `minutes`, those and each discussion's scores and actions."""
    statement = _meeting_with_agenda(bool(minutes), bool(checks or minutes))  # minutes come with the checks
    return db.session.scalar(statement, {"meeting_id": meeting_id})


@cache
def _meeting_with_agenda(minutes: bool, checks: bool) -> Select:
    query = select(Meeting).where(Meeting.id == bindparam("meeting_id"))
    return query.options(*agenda_options(minutes=minutes, checks=checks))


def agenda_options(*, minutes: bool = False, checks: bool = False) -> tuple:
    """The loader options of meeting_with_agenda."""
    items = selectinload(Meeting.items)
    discussion = items.joinedload(AgendaItem.discussion)
    options = [*readiness_options(), joinedload(Meeting.organiser), discussion]
    if minutes or checks:
        options.append(items.selectinload(AgendaItem.agency_checks))
    if minutes:
        options += [
            discussion.joinedload(Discussion.scores),
            discussion.selectinload(Discussion.actions).joinedload(Action.owner),
        ]
    return tuple(options)


@cache
def readiness_options() -> tuple:
    """The loader options for a chair's desk: what an agenda's readiness reads (each item's family and its
    consents, presenter and call-on members; the meeting's replies), not the rest of the agenda page."""
    items = selectinload(Meeting.items)
    return (
        joinedload(Meeting.responses),
        items.joinedload(AgendaItem.presenter),
        items.joinedload(AgendaItem.family).joinedload(Family.consents),
        items.selectinload(AgendaItem.call_on_members),
    )


@dataclass(frozen=True)
class Slot:
    item: AgendaItem
    starts_at: datetime
    ends_at: datetime


def agenda_slots(meeting: Meeting) -> list[Slot]:
    """Each item's start and end, in agenda order, from the meeting's start and the items' durations."""
    slots, cursor = [], meeting.starts_at
    for item in sorted(meeting.items, key=lambda item: item.position):
        end = cursor + timedelta(minutes=item.duration_minutes)
        slots.append(Slot(item, cursor, end))
        cursor = end
    return slots


def overrun(meeting: Meeting, slots: list[Slot] | None = None) -> str:
    """What the agenda page and the chair's desk say when the items take longer than the meeting ("The agenda runs
    30 minutes past the end of the meeting"), or "" when the agenda fits; from the meeting's agenda_slots, which
    a caller that has them passes."""
    slots = agenda_slots(meeting) if slots is None else slots
    over = int((slots[-1].ends_at - meeting.ends_at).total_seconds() // 60) if slots else 0
    if over <= 0:
        return ""
    return f"The agenda runs {over} minute{'' if over == 1 else 's'} past the end of the meeting"
