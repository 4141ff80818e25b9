"""Administration: users, their memberships, the localities' names and the seats of each kind of meeting."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import selectinload

from lehc.extensions import db
from lehc.models import (
    Area,
    AuditEvent,
    Family,
    KindSeat,
    Locality,
    Membership,
    MembershipKind,
    RecoveryCode,
    Role,
    SchoolTerm,
    Seat,
    User,
)
from lehc.models.people import normalise_email, utcnow
from lehc.reference_data import all_localities
from lehc.request_cache import forget


def all_seats() -> list[Seat]:
    return list(db.session.scalars(select(Seat).order_by(Seat.position)))


def get_seat(seat_id: int) -> Seat:
    return db.get_or_404(Seat, seat_id)


def users_for_admin() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .options(selectinload(User.memberships).joinedload(Membership.locality), selectinload(User.agency))
            .order_by(User.active.desc(), func.lower(User.name))
        )
    )


def email_taken(email: str | None, excluding_user_id: int | None = None) -> bool:
    if not email:
        return False
    query = select(User.id).where(User.email == normalise_email(email))
    if excluding_user_id is not None:
        query = query.where(User.id != excluding_user_id)
    return db.session.scalar(query) is not None


def membership_exists(user_id: int, locality_id: int) -> bool:
    query = select(Membership.id).where(Membership.user_id == user_id, Membership.locality_id == locality_id)
    return db.session.scalar(query) is not None


def locality_name_taken(name: str | None, excluding_id: int) -> bool:
    if not name:
        return False
    query = select(Locality.id).where(func.lower(Locality.name) == name.strip().lower(), Locality.id != excluding_id)
    return db.session.scalar(query) is not None


def create_user(*, name: str, email: str, job_title: str, agency_id: int, role: Role, password: str) -> User:
    user = User(name=name.strip(), email=email, job_title=job_title.strip(), agency_id=agency_id, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, name: str, email: str, job_title: str, agency_id: int, role: Role) -> list[str]:
    """Save the details; returns what changed, for the audit trail (role changes say from what to what)."""
    changes = [f"role {user.role.value} to {role.value}"] if role is not user.role else []
    changes += [
        label
        for label, old, new in (
            ("name", user.name, name.strip()),
            ("email", user.email, normalise_email(email)),
            ("job title", user.job_title, job_title.strip()),
            ("agency", user.agency_id, agency_id),
        )
        if old != new
    ]
    user.name = name.strip()
    user.email = email
    user.job_title = job_title.strip()
    user.agency_id = agency_id
    user.role = role
    return changes


def reset_two_factor(user: User) -> None:
    """For a lost phone: clear the authenticator secret and recovery codes and end the user's sessions."""
    user.totp_secret, user.totp_last_step = None, None
    for code in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(code)
    user.end_all_sessions()


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        user.end_all_sessions()


def add_membership(user: User, *, locality_id: int, kind: MembershipKind, seat_id: int | None) -> Membership:
    membership = Membership(user=user, locality_id=locality_id, kind=kind, seat_id=seat_id or None)
    forget("members", locality_id)
    db.session.add(membership)
    db.session.flush()
    return membership


def describe_membership(membership: Membership) -> str:
    locality = membership.locality or db.session.get(Locality, membership.locality_id)
    seat = membership.seat or (db.session.get(Seat, membership.seat_id) if membership.seat_id else None)
    return f"{locality.code} {membership.kind.value}" + (f", {seat.name}" if seat else "")


def remove_membership(user: User, membership_id: int) -> Membership | None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        return None
    db.session.delete(membership)
    forget("members", membership.locality_id)
    return membership


def update_locality(locality: Locality, name: str, agenda_deadline_days: int | None) -> None:
    locality.name = name.strip()
    if agenda_deadline_days is not None:
        locality.agenda_deadline_days = agenda_deadline_days


AUDIT_PAGE_SIZE = 100


def audit_events(
    *, user_email: str = "", action: str = "", family_reference: str = "", page: int = 1
) -> tuple[list[AuditEvent], bool]:
    """Newest first, filtered; returns (events, has_more)."""
    query = select(AuditEvent).options(selectinload(AuditEvent.user)).order_by(AuditEvent.id.desc())
    if user_email:
        query = query.join(User, AuditEvent.user_id == User.id).where(User.email == normalise_email(user_email))
    if action:
        query = query.where(AuditEvent.action == action)
    if family_reference:
        family_id = db.session.scalar(select(Family.id).where(Family.reference == family_reference.strip().upper()))
        query = query.where(AuditEvent.family_id == (family_id or -1))
    rows = list(db.session.scalars(query.offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)))
    return rows[:AUDIT_PAGE_SIZE], len(rows) > AUDIT_PAGE_SIZE


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def family_references(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Family.id, Family.reference).where(Family.id.in_(ids))).all())


def access_by_locality() -> list[tuple[Locality, list[Membership]]]:
    memberships = db.session.scalars(
        select(Membership)
        .join(User)
        .options(selectinload(Membership.user).selectinload(User.agency), selectinload(Membership.seat))
        .order_by(Membership.locality_id, Membership.kind, func.lower(User.name))
    ).all()
    by_locality: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_locality.setdefault(membership.locality_id, []).append(membership)
    return [(locality, by_locality.get(locality.id, [])) for locality in all_localities()]


def admins() -> list[User]:
    """Administrators, with their memberships: an administrator who also sits in a locality can reach its families,
    which the access review shows as a warning."""
    query = select(User).where(User.role == Role.ADMIN).options(selectinload(User.memberships)).order_by(User.name)
    return list(db.session.scalars(query))


ACCESS_CHANGES = (
    "create_user",
    "update_user",
    "deactivate_user",
    "reactivate_user",
    "grant_membership",
    "revoke_membership",
)


def recent_access_changes(days: int = 90, limit: int = 50) -> list[AuditEvent]:
    """Who changed whose access, newest first, for the access review."""
    since = utcnow() - timedelta(days=days)
    query = (
        select(AuditEvent)
        .where(AuditEvent.action.in_(ACCESS_CHANGES), AuditEvent.at >= since)
        .options(selectinload(AuditEvent.user))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def family_by_reference(reference: str) -> Family | None:
    return db.session.scalar(select(Family).where(Family.reference == reference))


def _at_level(kind_code: str, locality_id: int | None) -> ColumnElement[bool]:
    """A kind's seat rows at one level: a locality's own choice, or (None) the kind's default."""
    where = KindSeat.locality_id == locality_id if locality_id is not None else KindSeat.locality_id.is_(None)
    return and_(KindSeat.kind_code == kind_code, where)


def kind_seats(kind_code: str, locality_id: int | None) -> list[Seat]:
    """The seats a kind names at one level: a locality's own choice, or (None) the kind's default."""
    query = select(Seat).join(KindSeat, KindSeat.seat_id == Seat.id).where(_at_level(kind_code, locality_id))
    return list(db.session.scalars(query.order_by(Seat.position)))


def set_kind_seats(kind_code: str, locality_id: int | None, seat_ids: list[int]) -> None:
    """Replace the seats a kind names at one level; none: a locality follows the default again, and a default of
    none invites every core member."""
    for row in db.session.scalars(select(KindSeat).where(_at_level(kind_code, locality_id))):
        db.session.delete(row)
    db.session.flush()
    for seat_id in dict.fromkeys(seat_ids):
        db.session.add(KindSeat(kind_code=kind_code, locality_id=locality_id, seat_id=seat_id))
    db.session.flush()
    forget("kind seats")


def area_name_taken(name: str | None, excluding_id: int | None) -> bool:
    if not name:
        return False
    query = select(Area.id).where(func.lower(Area.name) == name.strip().lower())
    if excluding_id is not None:
        query = query.where(Area.id != excluding_id)
    return db.session.scalar(query) is not None


def save_area(area: Area, name: str, locality_ids: list[int]) -> None:
    """Name the area and give it exactly these localities (taking each from the area it was in)."""
    area.name = name.strip()
    db.session.add(area)
    chosen = set(locality_ids)
    for locality in all_localities():
        if locality.id in chosen:
            locality.area = area
        elif locality.area is area:
            locality.area = None
    db.session.flush()


def save_term(term: SchoolTerm, name: str, starts_on: date, ends_on: date) -> None:
    term.name, term.starts_on, term.ends_on = name.strip(), starts_on, ends_on
    db.session.add(term)
    db.session.flush()
