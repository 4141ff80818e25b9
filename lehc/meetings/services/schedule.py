"""Scheduling: closure dates, series and single meetings, rescheduling, cancelling and marking held; which meetings
a locality or a member has."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from lehc import concurrency, policy
from lehc.dates import format_date, format_datetime, format_time
from lehc.extensions import db
from lehc.meetings.scheduling import PlannedDate, local_to_utc
from lehc.meetings.services.invites import send_cancellations, send_invites
from lehc.models import (
    LEHC,
    AgendaItem,
    Area,
    ClosureDate,
    ItemKind,
    Locality,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Membership,
    MembershipKind,
    User,
    agenda_item_call_on,
)
from lehc.models.people import utcnow
from lehc.terms import term_of


def closures_for(locality: Locality) -> dict[date, str]:
    rows = db.session.scalars(select(ClosureDate).where(ClosureDate.locality_id == locality.id))
    return {row.day: row.reason for row in rows}


def meetings_at(
    locality: Locality, first: date, last: date, at: time, minutes: int, *, besides: Meeting | None = None
) -> dict[date, str]:
    """Days from `first` to `last` on which the locality already has a meeting (not cancelled; other than
    `besides`, the one being moved) overlapping `at` for `minutes`, with what to say about it: a meeting there
    would double-book the table."""
    taken = {}
    query = select(Meeting).where(
        Meeting.locality_id == locality.id,
        Meeting.day >= first,
        Meeting.day <= last,
        Meeting.status != MeetingStatus.CANCELLED,
    )
    if besides is not None:
        query = query.where(Meeting.id != besides.id)
    for meeting in db.session.scalars(query):
        starts = local_to_utc(meeting.day, at)
        if starts < meeting.ends_at and meeting.starts_at < starts + timedelta(minutes=minutes):
            taken[meeting.day] = f"Already a meeting at {format_time(meeting.starts_at)}"
    return taken


def double_booking(locality: Locality, day: date, at: time, minutes: int, *, besides: Meeting | None = None) -> str:
    """What to tell someone placing one meeting where the locality already meets ('' when the time is free)."""
    taken = meetings_at(locality, day, day, at, minutes, besides=besides).get(day)
    return f"{taken} on that day. Choose another day or time." if taken else ""


def forum_day_problem(area: Area | None, kind: MeetingKind, day: date, *, besides: Meeting | None = None) -> str:
    """What to tell someone placing an area's forum on a day ('' when it may go there, and for a locality's meeting,
    with no area): a forum meets once in each school term the administrator keeps (lehc.terms)."""
    if area is None:
        return ""
    term = term_of(day)
    if term is None:
        return "Date must be in a school term: choose a day from the terms listed"
    query = select(Meeting).where(
        Meeting.area_id == area.id,
        Meeting.kind_code == kind.code,
        Meeting.status != MeetingStatus.CANCELLED,
        Meeting.day >= term.starts_on,
        Meeting.day <= term.ends_on,
    )
    if besides is not None:
        query = query.where(Meeting.id != besides.id)
    other = db.session.scalars(query.limit(1)).first()
    if other is not None:
        return f"{area.name} already has an {kind.name} in the {term.name}, on {format_date(other.starts_at)}"
    return ""


def closure_dates(locality: Locality) -> list[ClosureDate]:
    query = select(ClosureDate).where(ClosureDate.locality_id == locality.id).order_by(ClosureDate.day)
    return list(db.session.scalars(query))


def add_closure(locality: Locality, day: date, reason: str) -> ClosureDate | None:
    """None when the locality already has a closure that day."""
    if any(closure.day == day for closure in closure_dates(locality)):
        return None
    closure = ClosureDate(locality=locality, day=day, reason=reason.strip())
    db.session.add(closure)
    return closure


def meetings_for_locality(locality: Locality) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past) meetings of a locality, nearest first in each."""
    now = utcnow()
    base = select(Meeting).where(Meeting.locality_id == locality.id)
    upcoming = db.session.scalars(base.where(Meeting.not_over(now)).order_by(Meeting.starts_at)).all()
    past = db.session.scalars(base.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc()).limit(50)).all()
    return list(upcoming), list(past)


@dataclass(frozen=True)
class MeetingFilter:
    """What the meetings list shows: upcoming (nearest first), past (latest first) or all; optionally one kind of
    meeting, one locality, one status, and a range of meeting days."""

    when: str = "upcoming"  # upcoming | past | all
    kind_code: str | None = None
    locality_id: int | None = None
    status: MeetingStatus | None = None
    since: date | None = None
    until: date | None = None


def find_meetings(user: User, chosen: MeetingFilter, *, offset: int = 0, limit: int = 50) -> tuple[int, list[Meeting]]:
    """(how many, one page of) the meetings the user may see that the filter picks."""
    now = utcnow()
    query = select(Meeting).where(policy.visible_meeting_clause(user))
    if chosen.when == "upcoming":
        query = query.where(Meeting.not_over(now))
    elif chosen.when == "past":
        query = query.where(Meeting.ends_at < now)
    if chosen.kind_code is not None:
        query = query.where(Meeting.kind_code == chosen.kind_code)
    if chosen.locality_id is not None:
        query = query.where(Meeting.locality_id == chosen.locality_id)
    if chosen.status is not None:
        query = query.where(Meeting.status == chosen.status)
    if chosen.since is not None:
        query = query.where(Meeting.day >= chosen.since)
    if chosen.until is not None:
        query = query.where(Meeting.day <= chosen.until)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = Meeting.starts_at if chosen.when == "upcoming" else Meeting.starts_at.desc()
    page = db.session.scalars(query.order_by(order, Meeting.id).offset(offset).limit(limit)).all()
    return total, list(page)


def discussion_counts(meetings: Iterable[Meeting]) -> dict[int, int]:
    """How many discussion items each meeting has, in one statement."""
    ids = [meeting.id for meeting in meetings]
    query = (
        select(AgendaItem.meeting_id, func.count())
        .where(AgendaItem.meeting_id.in_(ids), AgendaItem.kind == ItemKind.DISCUSSION)
        .group_by(AgendaItem.meeting_id)
    )
    return dict(db.session.execute(query).all()) if ids else {}


def meetings_for_user(
    user: User, *, upcoming_only: bool = True, limit: int | None = 20, since: datetime | None = None
) -> list[Meeting]:
    """The meetings the user is invited to, soonest first (user_meetings_query says which)."""
    return list(db.session.scalars(user_meetings_query(user, upcoming_only=upcoming_only, limit=limit, since=since)))


def user_meetings_query(
    user: User, *, upcoming_only: bool = True, limit: int | None = 20, since: datetime | None = None
) -> Select[tuple[Meeting]]:
    """The query of meetings_for_user, the meetings the user is invited to: of localities where they are a core
    member, those of a kind that names no seats (policy.core_table_clause) and their areas' meetings (the
    forums); the meetings of a kind whose seat they hold (policy.kind_seat_clause); and meetings where they are
    called on. A core member who holds no seat at the step meeting is not invited to it, though they may see it."""
    core_localities = select(Membership.locality_id).where(
        Membership.user_id == user.id, Membership.kind == MembershipKind.CORE
    )
    core_areas = select(Locality.area_id).where(Locality.id.in_(core_localities), Locality.area_id.is_not(None))
    called_on = select(AgendaItem.meeting_id).join(agenda_item_call_on).where(agenda_item_call_on.c.user_id == user.id)
    query = (
        select(Meeting)
        .where(
            policy.core_table_clause(user, Meeting)
            | policy.kind_seat_clause(user, Meeting)
            | Meeting.id.in_(called_on)
            | Meeting.area_id.in_(core_areas)
        )
        .order_by(Meeting.starts_at)
    )
    if upcoming_only:
        query = query.where(Meeting.not_over(utcnow()))
    if since is not None:
        query = query.where(Meeting.starts_at >= since)
    if limit:
        query = query.limit(limit)
    return query


def meeting_kind(code: str = LEHC) -> MeetingKind:
    """A kind of meeting by its code (reference data: read once per session)."""
    kind = db.session.get(MeetingKind, code)
    if kind is None:
        raise LookupError(f"no meeting kind {code!r}: run `flask --app lehc seed-reference`")
    return kind


def meeting_kinds(*, per_area: bool | None = None) -> list[MeetingKind]:
    """Every kind of meeting, the LEHC first: the choices wherever a kind is picked. per_area: only the kinds that
    meet for an area (the forum), or only a locality's own (False)."""
    query = select(MeetingKind).order_by(MeetingKind.code != LEHC, MeetingKind.name)
    if per_area is not None:
        query = query.where(MeetingKind.meets_per_area.is_(per_area))
    return list(db.session.scalars(query))


def _add_standing_items(meeting: Meeting) -> None:
    """Every agenda opens with its kind's standing items, in the kind's order."""
    for position, standing in enumerate(meeting.kind.standing_items, start=1):
        meeting.items.append(
            AgendaItem(
                position=position,
                kind=ItemKind.STANDING,
                title=standing.title,
                duration_minutes=standing.duration_minutes,
            )
        )


def new_meeting(
    locality: Locality,
    day: date,
    start: time,
    duration_minutes: int,
    *,
    venue: str,
    online_link: str,
    organiser: User,
    kind: MeetingKind | None = None,
    area: Area | None = None,
) -> Meeting:
    """A meeting of the locality's (or, with an area, the area's, hosted by the locality: the forum)."""
    starts_at = local_to_utc(day, start)
    meeting = Meeting(
        kind=kind or meeting_kind(),
        locality=locality,
        area=area,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration_minutes),
        venue=venue.strip(),
        online_link=online_link.strip(),
        organiser=organiser,
        status=MeetingStatus.SCHEDULED,
        sequence=0,
    )
    _add_standing_items(meeting)
    db.session.add(meeting)
    return meeting


def create_series(series: MeetingSeries, planned: Iterable[PlannedDate], organiser: User) -> list[Meeting]:
    db.session.add(series)
    meetings = []
    for plan in planned:
        if plan.resolved is None:
            continue
        meeting = new_meeting(
            series.locality,
            plan.resolved,
            series.start_time,
            series.duration_minutes,
            venue=series.venue,
            online_link=series.online_link,
            organiser=organiser,
            kind=series.kind or meeting_kind(series.kind_code or LEHC),
        )
        meeting.series = series
        meetings.append(meeting)
    db.session.flush()
    return meetings


def record_change(meeting: Meeting, by: User, description: str) -> None:
    meeting.changes.append(MeetingChange(changed_by=by, description=description))


def reschedule(
    meeting: Meeting, day: date, start: time, duration_minutes: int, *, venue: str, online_link: str, by: User
) -> None:
    before = format_datetime(meeting.starts_at)
    meeting.starts_at = local_to_utc(day, start)
    meeting.ends_at = meeting.starts_at + timedelta(minutes=duration_minutes)
    meeting.venue, meeting.online_link = venue.strip(), online_link.strip()
    meeting.sequence += 1
    concurrency.touch(meeting)
    for item in meeting.items:
        item.sequence += 1
    record_change(meeting, by, f"Rescheduled from {before} to {format_datetime(meeting.starts_at)}")
    if meeting.is_published:
        send_invites(meeting, update=True)


def cancel(meeting: Meeting, reason: str, by: User) -> None:
    was_published = meeting.is_published
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.sequence += 1
    for item in meeting.items:
        item.sequence += 1
    record_change(meeting, by, "Cancelled")
    if was_published:
        send_cancellations(meeting)


def mark_held(meeting: Meeting) -> None:
    meeting.status = MeetingStatus.HELD
