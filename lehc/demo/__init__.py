"""Demo data for development and the browser tests (`flask demo-data`), and the rules that keep it away from real
people: refused on a database with real accounts, and production refuses to start while demo accounts are active."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from lehc.demo.people import LOCALITY_PEOPLE, DemoPassword, demo_email, demo_name, ensure_user
from lehc.demo.records import demo_forums, demo_meetings, demo_terms
from lehc.models import Agency, Locality, Membership, Role, Seat, User
from lehc.reference_data import seed_reference_data


class DemoDataRefused(RuntimeError):
    """Demo accounts (published password, no second factor in development) and real people do not mix."""


def real_accounts(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.demo_account.is_(False))) or 0


def active_demo_accounts(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.demo_account.is_(True), User.active.is_(True))
    return session.scalar(query) or 0


def refuse_demo_accounts_in_production(app) -> None:
    """Production does not start while active demo accounts exist: their password is published, and a password
    alone sets up the second factor at a first sign-in. `flask remove-demo-accounts` deactivates them."""
    if app.config["LEHC_ENV"] != "production":
        return
    from lehc.extensions import db

    with app.app_context():
        if "user_account" not in inspect(db.engine).get_table_names():
            return
        count = active_demo_accounts(db.session)
    if count:
        raise DemoDataRefused(
            f"{count} demo accounts are active in this production database: run `flask remove-demo-accounts`"
        )


def load_demo_data(session: Session, password: str) -> list[tuple[str, str, str, str]]:
    """Create (or bring up to date) the demo people. Returns (email, role, locality, seat) rows to print. Refused
    on a database that holds real accounts."""
    if real_accounts(session):
        raise DemoDataRefused(
            "This database has real accounts: demo data (with its published password) is for an empty or demo "
            "database only"
        )
    seed_reference_data(session)
    demo_terms(session, date.today())
    agencies = {agency.name: agency for agency in session.scalars(select(Agency))}
    seats = {seat.name: seat for seat in session.scalars(select(Seat))}
    localities = list(session.scalars(select(Locality).order_by(Locality.code)))
    demo_password = DemoPassword(password)

    admin = ensure_user(
        session,
        email=demo_email("admin"),
        name="Alex Administrator",
        role=Role.ADMIN,
        job_title="LEHC System Administrator",
        agency=agencies["One Point Service (Durham County Council)"],
        password=demo_password,
    )
    rows = [(admin.email, admin.role.value, "–", "–")]
    for locality_index, locality in enumerate(localities):
        for person_index, person in enumerate(LOCALITY_PEOPLE):
            user = ensure_user(
                session,
                email=demo_email(person.prefix, locality),
                name=demo_name(locality_index * len(LOCALITY_PEOPLE) + person_index),
                role=person.role,
                job_title=person.job_title,
                agency=agencies[person.agency],
                password=demo_password,
            )
            session.flush()
            seat = seats[person.seat] if person.seat else None
            if not session.scalar(
                select(Membership).where(Membership.user_id == user.id, Membership.locality_id == locality.id)
            ):
                session.add(Membership(user=user, locality=locality, kind=person.kind, seat=seat))
            rows.append((user.email, user.role.value, locality.name, seat.name if seat else "No seat"))
            if user.calendar_token is None:
                user.regenerate_calendar_token()
        session.flush()
        demo_meetings(session, locality, locality_index)
    session.flush()
    demo_forums(session, date.today())
    session.flush()
    return rows
