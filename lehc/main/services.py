"""What the dashboard shows a signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lehc.extensions import db
from lehc.models import Membership, User


@dataclass
class Dashboard:
    memberships: list[Membership]
    meetings: list = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)  # rows as the tracker shows them: family reference, overdue


def dashboard_for(user: User) -> Dashboard:
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.locality), joinedload(Membership.seat))
        .order_by(Membership.id)
    ).all()
    from lehc.actions.services import ActionFilter, find_actions, rows
    from lehc.meetings.services import meetings_for_user

    actions = find_actions(user, ActionFilter(scope="mine"), today=date.today(), window_days=14, limit=10)
    return Dashboard(
        memberships=list(memberships), meetings=meetings_for_user(user, limit=10), actions=rows(actions, date.today())
    )
