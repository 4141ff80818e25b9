"""What the dashboard shows a signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lehc.extensions import db
from lehc.models import Membership, User


@dataclass
class Dashboard:
    memberships: list[Membership]
    meetings: list = field(default_factory=list)
    actions: list = field(default_factory=list)  # filled by the actions area (issue 4)


def dashboard_for(user: User) -> Dashboard:
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.locality), joinedload(Membership.seat))
        .order_by(Membership.id)
    ).all()
    from lehc.meetings.services import meetings_for_user

    return Dashboard(memberships=list(memberships), meetings=meetings_for_user(user, limit=10))
