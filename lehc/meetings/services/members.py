"""Who sits at a locality's table: its core and call-on members, read once per request; and who is invited to the
whole of a meeting of a kind that names its own seats (the step up / step down meeting), and who may be called on
there. Whom that lets see the meeting and its families is lehc.policy (sits_at_meeting)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from lehc.extensions import db
from lehc.models import Locality, Meeting, Membership, MembershipKind, User
from lehc.policy import kind_seat_ids
from lehc.request_cache import once_per_request


def _members(locality: Locality, kind: MembershipKind | None = None) -> list[Membership]:
    """The locality's active members by name, of one kind or all (read in one statement, once per request)."""

    def read() -> list[Membership]:
        return list(db.session.scalars(_members_query(), {"locality_id": locality.id}))

    return [m for m in once_per_request(("members", locality.id), read) if kind is None or m.kind is kind]


@cache
def _members_query() -> Select:
    """Built once, the locality bound when it runs."""
    return (
        select(Membership)
        .join(User)
        .where(Membership.locality_id == bindparam("locality_id"), User.active.is_(True))
        .options(contains_eager(Membership.user), joinedload(Membership.seat))
        .order_by(User.name)
    )


def call_on_members(locality: Locality) -> list[Membership]:
    return _members(locality, MembershipKind.CALL_ON)


def core_members(locality: Locality) -> list[Membership]:
    return _members(locality, MembershipKind.CORE)


def meeting_core_members(meeting: Meeting) -> list[Membership]:
    """Who is invited to the whole meeting: the locality's core members (every locality's in the area, at an area's
    meeting: the forum); at a kind that names its seats, the holders of those seats, core or call-on at the LEHC
    (the weekly step up / step down meeting is not the whole LEHC table, and seats Children's Social Care, which
    the LEHC calls on). One membership per person, by name."""
    localities = meeting.area.localities if meeting.area_id is not None else [meeting.locality]
    chosen: dict[int, Membership] = {}
    for locality in localities:
        seats = kind_seat_ids(meeting.kind_code, locality.id)
        members = _members(locality) if seats else core_members(locality)
        for membership in members:
            if not seats or membership.seat_id in seats:
                chosen.setdefault(membership.user_id, membership)
    return sorted(chosen.values(), key=lambda m: m.user.name)


def meeting_call_on_members(meeting: Meeting) -> list[Membership]:
    """Who may be called on for an item: the locality's call-on members, and at a kind that names its seats every
    other member not in those seats (the lead practitioners concerned). Nobody at a kind that discusses no
    family."""
    if not meeting.kind.discusses_families:
        return []
    seats = kind_seat_ids(meeting.kind_code, meeting.locality_id)
    if not seats:
        return call_on_members(meeting.locality)
    return [m for m in _members(meeting.locality) if m.seat_id not in seats]
