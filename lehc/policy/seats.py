"""Who sits at a meeting of a kind that names its own seats (the weekly step up / step down meeting): the holders
of those seats in the meeting's locality, core or call-on at the LEHC (the Children's Social Care team manager is
called on at the LEHC, but sits at every step meeting). A kind with no seats (the LEHC) seats the locality's core
members, as it always has. The SQL twin is kind_seat_clause."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from lehc.extensions import db
from lehc.models import KindSeat, Meeting, MeetingKind, MembershipKind, Seat, User
from lehc.request_cache import once_per_request


@dataclass(frozen=True)
class SeatTable:
    seats: list[Seat]  # every seat, in table order
    kind_seats: dict[tuple[str, int | None], set[int]]  # seat ids by (kind code, locality id); None: the default
    kinds: dict[str, MeetingKind]  # the kinds that name seats, by code


def seat_table() -> SeatTable:
    """The seats and the kind_seat table (reference data: a few dozen rows), read once per request in one
    statement. The kinds that name seats come with them, and stay in the session while the request lasts, so
    meetings.meeting_kind finds them without another statement."""

    def read() -> SeatTable:
        seats: dict[int, Seat] = {}
        kind_seats: dict[tuple[str, int | None], set[int]] = {}
        kinds: dict[str, MeetingKind] = {}
        for seat, kind_code, locality_id, kind in db.session.execute(_seat_table_query()):
            seats[seat.id] = seat
            if kind is not None:
                kinds[kind.code] = kind
                kind_seats.setdefault((kind_code, locality_id), set()).add(seat.id)
        return SeatTable(list(seats.values()), kind_seats, kinds)

    return once_per_request(("kind seats",), read)


@cache
def _seat_table_query() -> Select:
    """Built once: it has no values."""
    return (
        select(Seat, KindSeat.kind_code, KindSeat.locality_id, MeetingKind)
        .outerjoin(KindSeat, KindSeat.seat_id == Seat.id)
        .outerjoin(MeetingKind, MeetingKind.code == KindSeat.kind_code)
        .order_by(Seat.position, Seat.id)
    )


def seated_at(kind_code: str, locality_id: int) -> list[Seat]:
    """The seats a meeting of this kind in this locality fills, in table order: the kind's own, else the core
    seats (the LEHC's table)."""
    chosen = kind_seat_ids(kind_code, locality_id)
    if chosen:
        return [seat for seat in seat_table().seats if seat.id in chosen]
    return [seat for seat in seat_table().seats if seat.kind is MembershipKind.CORE]


def kind_seat_ids(kind_code: str, locality_id: int) -> set[int]:
    """The seats invited to the whole of a kind's meetings in a locality: the locality's own choice if it made one,
    else the kind's default. Empty for a kind that names no seats (the LEHC)."""
    table = seat_table().kind_seats
    return set(table.get((kind_code, locality_id)) or table.get((kind_code, None)) or ())


def holds_kind_seat(user: User, meeting: Meeting) -> bool:
    """The user holds one of the seats the meeting's kind names in its locality."""
    memberships = [m for m in getattr(user, "memberships", ()) if m.locality_id == meeting.locality_id and m.seat_id]
    return bool(memberships) and any(
        m.seat_id in kind_seat_ids(meeting.kind_code, meeting.locality_id) for m in memberships
    )


def kind_seat_places(user: User) -> list[tuple[str, int]]:
    """(kind code, locality id) of every kind's meetings where the user holds one of the kind's seats."""
    seated = [m for m in getattr(user, "memberships", ()) if m.seat_id is not None]
    if not seated:
        return []
    kinds = sorted({kind for kind, _ in seat_table().kind_seats})
    return [(kind, m.locality_id) for kind in kinds for m in seated if m.seat_id in kind_seat_ids(kind, m.locality_id)]


def kind_seat_clause(user: User, meeting: type[Meeting] | Meeting) -> ColumnElement[bool]:
    """SQL twin of holds_kind_seat, over a Meeting (or an alias of it)."""
    places = kind_seat_places(user)
    if not places:
        return false()
    return or_(*(and_(meeting.kind_code == kind, meeting.locality_id == locality) for kind, locality in places))


def core_table_clause(user: User, meeting: type[Meeting] | Meeting) -> ColumnElement[bool]:
    """SQL: the meetings the user is invited to whole as a core member (meetings.meeting_core_members): their core
    localities' meetings of every kind that names no seats there (the LEHC, not the step meeting)."""
    kinds = sorted({kind for kind, _ in seat_table().kind_seats})
    places = []
    for membership in getattr(user, "memberships", ()):
        if membership.kind is MembershipKind.CORE:
            seated = [kind for kind in kinds if kind_seat_ids(kind, membership.locality_id)]
            places.append(and_(meeting.locality_id == membership.locality_id, meeting.kind_code.not_in(seated)))
    return or_(false(), *places)
