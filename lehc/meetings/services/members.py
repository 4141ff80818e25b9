"""Who sits at a locality's table: its core and call-on members, read once per request."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from lehc.extensions import db
from lehc.models import Locality, Membership, MembershipKind, User
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
