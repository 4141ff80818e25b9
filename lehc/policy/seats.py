"""Who sits at a meeting of a kind that names its own seats (the weekly step up / step down meeting): the holders
of those seats in the meeting's locality, core or call-on at the LEHC (the Children's Social Care team manager is
called on at the LEHC, but sits at every step meeting). A kind with no seats (the LEHC) seats the locality's core
members, as it always has. The SQL twin is kind_seat_clause."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select

from lehc.extensions import db
from lehc.models import KindSeat, Meeting, User
from lehc.request_cache import once_per_request


def _kind_seat_table() -> dict[tuple[str, int | None], set[int]]:
    """The whole kind_seat table (a few rows per kind and locality), read once per request: seat ids by (kind
    code, locality id), the kind's county default under locality None."""

    def read() -> dict[tuple[str, int | None], set[int]]:
        table: dict[tuple[str, int | None], set[int]] = {}
        for kind_code, locality_id, seat_id in db.session.execute(
            select(KindSeat.kind_code, KindSeat.locality_id, KindSeat.seat_id)
        ):
            table.setdefault((kind_code, locality_id), set()).add(seat_id)
        return table

    return once_per_request(("kind seats",), read)


def kind_seat_ids(kind_code: str, locality_id: int) -> set[int]:
    """The seats invited to the whole of a kind's meetings in a locality: the locality's own choice if it made one,
    else the kind's default. Empty for a kind that names no seats (the LEHC)."""
    table = _kind_seat_table()
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
    kinds = sorted({kind for kind, _ in _kind_seat_table()})
    return [(kind, m.locality_id) for kind in kinds for m in seated if m.seat_id in kind_seat_ids(kind, m.locality_id)]


def kind_seat_clause(user: User, meeting: type[Meeting] | Meeting) -> ColumnElement[bool]:
    """SQL twin of holds_kind_seat, over a Meeting (or an alias of it)."""
    places = kind_seat_places(user)
    if not places:
        return false()
    return or_(*(and_(meeting.kind_code == kind, meeting.locality_id == locality) for kind, locality in places))
