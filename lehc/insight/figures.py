"""Insight: what the meetings of one kind (the LEHCs, the step up / step down meetings) did over a period, per
locality or county-wide, computed in the database.

Every figure is an aggregate; nothing here returns a family, a name or a free-text field. Periods are whole
Europe/London days, both ends included.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, distinct, func, select

from lehc import policy
from lehc.dates import LONDON, to_london
from lehc.extensions import db
from lehc.families.moves import MOVES, Direction
from lehc.insight.forums import ForumFigures, forum_figures
from lehc.meetings.services import kind_seat_ids, meeting_kind
from lehc.models import (
    LEHC,
    Action,
    ActionStatus,
    Agency,
    AgencySector,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Discussion,
    DiscussionType,
    Family,
    Locality,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipKind,
    ScalingScore,
    ScoreView,
    Seat,
    User,
)
from lehc.reference_data import all_localities

HELD = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
REFERRAL_GROUPS = {AgencySector.EDUCATION: "Education", AgencySector.HEALTH: "Health"}  # the rest: "Other"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as a half-open UTC range [start of first day, start of the day after the last)."""

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)

        return midnight(self.start), midnight(self.end + timedelta(days=1))


@dataclass
class ScoreChange:
    families: int = 0  # families discussed in the period with at least two group scores
    improved: int = 0
    same: int = 0
    worse: int = 0
    median_change: float | None = None


@dataclass
class AgencyAttendance:
    agency: str
    attended: int  # held meetings at which someone from the agency's core seat(s) was present or sent a deputy
    held: int

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.held) if self.held else 0


@dataclass(frozen=True)
class MonthMoves:
    """Families stepped up and stepped down in one locality in one month."""

    month: date  # its first day
    locality: str
    up: int
    down: int


@dataclass
class Moves:
    """What the meetings that record moves (step up / step down) decided: counts per locality and month, and the
    days from a step-down decision to the family's handover meeting."""

    by_month: list[MonthMoves] = field(default_factory=list)
    handovers: int = 0  # step downs with a handover date
    median_days_to_handover: float | None = None

    @property
    def up(self) -> int:
        return sum(line.up for line in self.by_month)

    @property
    def down(self) -> int:
        return sum(line.down for line in self.by_month)


@dataclass
class Insight:
    scope: str
    period: Period
    kind_name: str  # "Locality Early Help Conversation"
    meetings_held: int = 0
    discussions: dict[str, int] = field(default_factory=dict)  # by type: New, Review, Anonymous consultation
    families_discussed: int = 0
    referrals: dict[str, int] = field(default_factory=dict)  # families by referring sector: Education/Health/Other
    decisions: dict[str, int] = field(default_factory=dict)
    actions_due: int = 0
    actions_on_time: int = 0
    median_days_to_discussion: float | None = None
    families_first_discussed: int = 0
    score_change: ScoreChange = field(default_factory=ScoreChange)
    attendance: list[AgencyAttendance] = field(default_factory=list)
    moves: Moves | None = None  # for a kind that records moves
    forum: ForumFigures | None = None  # for an area's forum, in place of the family figures

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.actions_on_time / self.actions_due) if self.actions_due else None


def _held_meetings(locality: Locality | None, period: Period, kind_code: str) -> Select:
    start, end = period.bounds()
    query = select(Meeting.id).where(
        Meeting.status.in_(HELD), Meeting.kind_code == kind_code, Meeting.starts_at >= start, Meeting.starts_at < end
    )
    if locality is not None:
        query = query.where(Meeting.locality_id == locality.id)
    return query


def _discussions(held: Select) -> Select:
    """Discussions recorded at the held meetings (the base of the family figures)."""
    return (
        select(Discussion.id, Discussion.family_id, Discussion.decision, AgendaItem.discussion_type)
        .join(AgendaItem, Discussion.item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id.in_(held))
    )


def compute(locality: Locality | None, period: Period, today: date, kind_code: str = LEHC) -> Insight:
    kind = meeting_kind(kind_code)
    insight = Insight(scope=locality.name if locality else "County Durham", period=period, kind_name=kind.name)
    if kind.meets_per_area:  # the forums discuss no family: who came, by sector
        insight.meetings_held, insight.forum = forum_figures(locality, *period.bounds(), kind_code)
        return insight
    held = _held_meetings(locality, period, kind_code)
    insight.meetings_held = db.session.scalar(select(func.count()).select_from(held.subquery())) or 0
    discussions = _discussions(held).subquery()

    by_type = dict(
        db.session.execute(
            select(discussions.c.discussion_type, func.count()).group_by(discussions.c.discussion_type)
        ).all()
    )
    insight.discussions = {kind.label: by_type.get(kind, 0) for kind in DiscussionType}
    insight.families_discussed = db.session.scalar(select(func.count(distinct(discussions.c.family_id)))) or 0

    sectors = db.session.execute(
        select(Agency.sector, func.count(distinct(Family.id)))
        .select_from(Family)
        .outerjoin(Agency, Family.presenter_agency_id == Agency.id)
        .where(Family.id.in_(select(discussions.c.family_id)))
        .group_by(Agency.sector)
    )
    referrals = {"Education": 0, "Health": 0, "Other": 0}
    for sector, count in sectors:
        referrals[REFERRAL_GROUPS.get(sector, "Other")] += count
    insight.referrals = referrals

    decided = dict(
        db.session.execute(select(discussions.c.decision, func.count()).group_by(discussions.c.decision)).all()
    )
    # the kind's decisions, and any other that was recorded (one the kind offered once and no longer does)
    offered = kind.decisions
    others = [d for d in Decision if d not in offered and decided.get(d)]
    insight.decisions = {d.label: decided.get(d, 0) for d in offered + others}  # in the order the form offers them
    insight.decisions["No decision recorded"] = decided.get(None, 0)

    _actions(insight, locality, period, today, kind_code)
    _days_to_discussion(insight, locality, period, kind_code)
    _score_change(insight, discussions, period, kind_code)
    _attendance(insight, locality, held, kind_code)
    if kind.records_moves:
        insight.moves = _moves(held)
    return insight


def _moves(held: Select) -> Moves:
    """Step ups and step downs decided at the held meetings, per locality and month, and for each step down with a
    handover date, the days from the meeting that decided it to the handover meeting."""
    query = (
        select(Locality.name, Meeting.day, Discussion.decision, Discussion.handover_on)
        .select_from(Discussion)
        .join(AgendaItem, Discussion.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .join(Locality, Meeting.locality_id == Locality.id)
        .where(AgendaItem.meeting_id.in_(held), Discussion.decision.in_(list(MOVES)))
    )
    counts: dict[tuple[date, str], dict[Direction, int]] = {}
    days = []
    for locality, day, decision, handover_on in db.session.execute(query):
        line = counts.setdefault((day.replace(day=1), locality), dict.fromkeys(Direction, 0))
        line[MOVES[decision]] += 1
        if MOVES[decision] is Direction.DOWN and handover_on is not None:
            days.append((handover_on - day).days)
    return Moves(
        by_month=[
            MonthMoves(month, locality, line[Direction.UP], line[Direction.DOWN])
            for (month, locality), line in sorted(counts.items())
        ],
        handovers=len(days),
        median_days_to_handover=statistics.median(days) if days else None,
    )


def _actions(insight: Insight, locality: Locality | None, period: Period, today: date, kind_code: str) -> None:
    """Of the actions agreed at meetings of the kind and due in the period (up to today), how many were done by
    their due date."""
    last_day = min(period.end, today)
    query = (
        select(
            func.count(),
            func.count().filter(and_(Action.status == ActionStatus.DONE, Action.completed_on <= Action.due_on)),
        )
        .select_from(Action)
        .join(Meeting, Action.meeting_id == Meeting.id)
        .where(Meeting.kind_code == kind_code, Action.due_on >= period.start, Action.due_on <= last_day)
    )
    if locality is not None:
        query = query.where(Meeting.locality_id == locality.id)
    insight.actions_due, insight.actions_on_time = db.session.execute(query).one()


def _days_to_discussion(insight: Insight, locality: Locality | None, period: Period, kind_code: str) -> None:
    """For families first discussed at a meeting of the kind in the period: days from the request to that first
    discussion."""
    start, end = period.bounds()
    first = (
        select(Discussion.family_id, func.min(Meeting.starts_at).label("first_at"))
        .join(AgendaItem, Discussion.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.status.in_(HELD), Meeting.kind_code == kind_code)
        .group_by(Discussion.family_id)
        .subquery()
    )
    query = (
        select(Family.requested_on, first.c.first_at)
        .join(first, first.c.family_id == Family.id)
        .where(first.c.first_at >= start, first.c.first_at < end)
    )
    if locality is not None:
        query = query.where(Family.locality_id == locality.id)
    days = [(to_london(first_at).date() - requested).days for requested, first_at in db.session.execute(query)]
    insight.families_first_discussed = len(days)
    insight.median_days_to_discussion = statistics.median(days) if days else None


def _score_change(insight: Insight, discussions, period: Period, kind_code: str) -> None:
    """For families discussed in the period: the group score at their latest discussion at a meeting of the kind
    (up to the period's end) against the one at their first."""
    _, end = period.bounds()
    query = (
        select(Discussion.family_id, Meeting.starts_at, ScalingScore.score)
        .join(ScalingScore, ScalingScore.discussion_id == Discussion.id)
        .join(AgendaItem, Discussion.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(
            ScalingScore.view == ScoreView.GROUP,
            Meeting.status.in_(HELD),
            Meeting.kind_code == kind_code,
            Meeting.starts_at < end,
            Discussion.family_id.in_(select(discussions.c.family_id)),
        )
        .order_by(Discussion.family_id, Meeting.starts_at)
    )
    scores: dict[int, list[int]] = {}
    for family_id, _, score in db.session.execute(query):
        scores.setdefault(family_id, []).append(score)
    changes = [series[-1] - series[0] for series in scores.values() if len(series) >= 2]
    insight.score_change = ScoreChange(
        families=len(changes),
        improved=sum(1 for change in changes if change > 0),
        same=sum(1 for change in changes if change == 0),
        worse=sum(1 for change in changes if change < 0),
        median_change=statistics.median(changes) if changes else None,
    )


def _attendance(insight: Insight, locality: Locality | None, held: Select, kind_code: str) -> None:
    """Per agency: at how many held meetings one of its core members (or their deputy) was there; at a kind that
    names its seats, its members in those seats, core or call-on (for the county, the seats any locality names for
    the kind)."""
    scope = [locality] if locality is not None else all_localities()
    seats = set().union(*(kind_seat_ids(kind_code, place.id) for place in scope))
    agency_id = policy.member_agency_column()
    present = (
        select(Agency.name, func.count(distinct(Attendance.meeting_id)))
        .select_from(Attendance)
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .join(User, Attendance.user_id == User.id)
        .join(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.locality_id == Meeting.locality_id,
                Membership.seat_id.in_(seats) if seats else Membership.kind == MembershipKind.CORE,
            ),
        )
        .outerjoin(Seat, Membership.seat_id == Seat.id)
        .join(Agency, Agency.id == agency_id)
        .where(
            Attendance.meeting_id.in_(held),
            Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY]),
        )
        .group_by(Agency.name)
    )
    attended = dict(db.session.execute(present).all())
    seated = Seat.id.in_(seats) if seats else Seat.kind == MembershipKind.CORE
    core_agencies = select(Agency.name).join(Seat, Seat.agency_id == Agency.id).where(seated)
    names = sorted(set(db.session.scalars(core_agencies)) | set(attended))
    insight.attendance = [AgencyAttendance(name, attended.get(name, 0), insight.meetings_held) for name in names]
