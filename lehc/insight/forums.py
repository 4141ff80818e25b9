"""The Early Help Forums' figures: how many were held and who came, by sector (issue 15). The people counted are
professionals at a meeting that discusses no family, so no count here is hidden as small."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from lehc.dates import to_london
from lehc.extensions import db
from lehc.models import (
    Agency,
    AgencySector,
    Attendance,
    AttendanceStatus,
    GuestAttendance,
    Locality,
    Meeting,
    MeetingStatus,
    User,
)

HELD = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
CAME = (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)


@dataclass
class ForumLine:
    day: date
    area: str
    members: int  # LEHC members present, or sending a deputy
    guests: int  # everyone else recorded


@dataclass
class ForumFigures:
    forums: list[ForumLine] = field(default_factory=list)
    by_sector: dict[str, int] = field(default_factory=dict)  # every sector, in order: people at the forums

    @property
    def people(self) -> int:
        return sum(self.by_sector.values())


def forum_figures(
    locality: Locality | None, start: datetime, end: datetime, kind_code: str
) -> tuple[int, ForumFigures]:
    """(forums held, their figures) between the UTC bounds `start` and `end`: a locality's area's forums, or the
    county's."""
    query = select(Meeting).where(
        Meeting.status.in_(HELD), Meeting.kind_code == kind_code, Meeting.starts_at >= start, Meeting.starts_at < end
    )
    if locality is not None:
        query = query.where(Meeting.area_id == locality.area_id)
    forums = list(db.session.scalars(query.order_by(Meeting.starts_at)))
    ids = [forum.id for forum in forums]
    members = db.session.execute(
        select(Attendance.meeting_id, Agency.sector)
        .join(User, Attendance.user_id == User.id)
        .outerjoin(Agency, User.agency_id == Agency.id)
        .where(Attendance.meeting_id.in_(ids), Attendance.status.in_(CAME))
    ).all()
    guests = db.session.execute(
        select(GuestAttendance.meeting_id, GuestAttendance.sector).where(GuestAttendance.meeting_id.in_(ids))
    ).all()
    sectors = Counter((sector or AgencySector.OTHER) for _, sector in [*members, *guests])
    per_members, per_guests = Counter(m for m, _ in members), Counter(m for m, _ in guests)
    figures = ForumFigures(
        forums=[
            ForumLine(to_london(forum.starts_at).date(), forum.place, per_members[forum.id], per_guests[forum.id])
            for forum in forums
        ],
        by_sector={sector.label: sectors.get(sector, 0) for sector in AgencySector},
    )
    return len(forums), figures
