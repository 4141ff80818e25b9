"""Who sits at a locality's table: its core and call-on members, read once per request; and who is invited to the
whole of a meeting of a kind that names its own seats (the step up / step down meeting), and who may be called on
there. Who may see a family is the locality's rule whatever the kind (lehc.policy.families)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload

from lehc.extensions import db
from lehc.models import KindSeat, Locality, Meeting, Membership, MembershipKind, User
from lehc.request_cache import once_per_request


def _members(locality: Locality, kind: MembershipKind) -> list[Membership]:
    """The locality's active members of one kind (all kinds read in one statement, once per request)."""

    def read() -> list[Membership]:
        query = (
            select(Membership)
            .join(User)
            .where(Membership.locality_id == locality.id, User.active.is_(True))
            .options(contains_eager(Membership.user), joinedload(Membership.seat))
            .order_by(User.name)
        )
        return list(db.session.scalars(query))

    return [m for m in once_per_request(("members", locality.id), read) if m.kind is kind]


def call_on_members(locality: Locality) -> list[Membership]:
    return _members(locality, MembershipKind.CALL_ON)


def core_members(locality: Locality) -> list[Membership]:
    return _members(locality, MembershipKind.CORE)


def kind_seat_ids(kind_code: str, locality_id: int) -> set[int]:
    """The seats invited to the whole of a kind's meetings in a locality: the locality's own choice if it made one,
    else the kind's default. Empty for a kind that names no seats (the LEHC)."""

    def read() -> set[int]:
        query = select(KindSeat.locality_id, KindSeat.seat_id).where(
            KindSeat.kind_code == kind_code, or_(KindSeat.locality_id == locality_id, KindSeat.locality_id.is_(None))
        )
        rows = db.session.execute(query).all()
        own = {seat_id for owner, seat_id in rows if owner is not None}
        return own or {seat_id for owner, seat_id in rows if owner is None}

    return once_per_request(("kind seats", kind_code, locality_id), read)


def meeting_core_members(meeting: Meeting) -> list[Membership]:
    """Who is invited to the whole meeting: the locality's core members (every locality's in the area, at an area's
    meeting: the forum), only those in the kind's seats at a kind that names its seats (the weekly step up / step
    down meeting is not the whole LEHC table). One membership per person, by name."""
    localities = meeting.area.localities if meeting.area_id is not None else [meeting.locality]
    chosen: dict[int, Membership] = {}
    for locality in localities:
        seats = kind_seat_ids(meeting.kind_code, locality.id)
        for membership in core_members(locality):
            if not seats or membership.seat_id in seats:
                chosen.setdefault(membership.user_id, membership)
    return sorted(chosen.values(), key=lambda m: m.user.name)


def meeting_call_on_members(meeting: Meeting) -> list[Membership]:
    """Who may be called on for an item: the locality's call-on members, and at a kind that names its seats its
    other core members too (the lead practitioners concerned). Nobody at a kind that discusses no family."""
    if not meeting.kind.discusses_families:
        return []
    seats = kind_seat_ids(meeting.kind_code, meeting.locality_id)
    others = [m for m in core_members(meeting.locality) if m.seat_id not in seats] if seats else []
    return sorted(others + call_on_members(meeting.locality), key=lambda m: m.user.name)
