"""Fictional demo people for development and the browser tests. Every name here is invented."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehc.models import Agency, Locality, Membership, MembershipKind, Role, Seat, User
from lehc.reference_data import seed_reference_data

DEMO_DOMAIN = "example.org"

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Erin",
    "Femi",
    "Grace",
    "Harry",
    "Imogen",
    "Jack",
    "Kiran",
    "Lucy",
    "Mo",
    "Nina",
    "Owen",
    "Priya",
    "Rory",
    "Sana",
    "Tom",
    "Una",
    "Vik",
    "Willa",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Armstrong",
    "Bell",
    "Charlton",
    "Dodds",
    "Elliott",
    "Forster",
    "Gibson",
    "Hall",
    "Iveson",
    "Jobling",
    "Kirkup",
    "Liddle",
    "Milburn",
    "Nattrass",
    "Oliver",
    "Pattinson",
    "Robson",
    "Surtees",
    "Tweddle",
    "Urwin",
    "Walton",
    "Younger",
]


@dataclass(frozen=True)
class DemoRole:
    """One demo person per locality: their e-mail prefix, application role, membership kind and seat."""

    prefix: str
    role: Role
    kind: MembershipKind
    seat: str | None
    job_title: str
    agency: str


LOCALITY_PEOPLE = [
    DemoRole(
        "chair",
        Role.CHAIR,
        MembershipKind.CORE,
        "Family Hub Team Manager",
        "Family Hub Team Manager",
        "One Point Service (Durham County Council)",
    ),
    DemoRole(
        "coordinator",
        Role.COORDINATOR,
        MembershipKind.CORE,
        None,
        "Business Support Officer",
        "One Point Service (Durham County Council)",
    ),
    DemoRole(
        "school",
        Role.MEMBER,
        MembershipKind.CORE,
        "Education representative",
        "Designated Safeguarding Lead",
        "Schools and education settings",
    ),
    DemoRole(
        "health",
        Role.MEMBER,
        MembershipKind.CORE,
        "0-25 Family Health Service Manager",
        "Health Visitor Team Lead",
        "0-25 Family Health Service",
    ),
    DemoRole("camhs", Role.MEMBER, MembershipKind.CORE, "CAMHS", "CAMHS Practitioner", "CAMHS"),
    DemoRole(
        "police",
        Role.MEMBER,
        MembershipKind.CALL_ON,
        "Neighbourhood Police Team",
        "Police Community Support Officer",
        "Durham Constabulary",
    ),
]


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def demo_email(prefix: str, locality: Locality | None = None) -> str:
    return f"{prefix}.{_slug(locality.name)}@{DEMO_DOMAIN}" if locality else f"{prefix}@{DEMO_DOMAIN}"


def _demo_name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"


def _ensure_user(
    session: Session, *, email: str, name: str, role: Role, job_title: str, agency: Agency, password: str
) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role, job_title=job_title, agency=agency)
        session.add(user)
    if not user.check_password(password):
        user.set_password(password)
    return user


def load_demo_data(session: Session, password: str) -> list[tuple[str, str, str, str]]:
    """Create (or bring up to date) the demo people. Returns (email, role, locality, seat) rows to print."""
    seed_reference_data(session)
    agencies = {agency.name: agency for agency in session.scalars(select(Agency))}
    seats = {seat.name: seat for seat in session.scalars(select(Seat))}
    localities = list(session.scalars(select(Locality).order_by(Locality.code)))

    admin = _ensure_user(
        session,
        email=demo_email("admin"),
        name="Alex Administrator",
        role=Role.ADMIN,
        job_title="LEHC System Administrator",
        agency=agencies["One Point Service (Durham County Council)"],
        password=password,
    )
    rows = [(admin.email, admin.role.value, "–", "–")]
    for locality_index, locality in enumerate(localities):
        for person_index, person in enumerate(LOCALITY_PEOPLE):
            user = _ensure_user(
                session,
                email=demo_email(person.prefix, locality),
                name=_demo_name(locality_index * len(LOCALITY_PEOPLE) + person_index),
                role=person.role,
                job_title=person.job_title,
                agency=agencies[person.agency],
                password=password,
            )
            session.flush()
            seat = seats[person.seat] if person.seat else None
            if not session.scalar(
                select(Membership).where(Membership.user_id == user.id, Membership.locality_id == locality.id)
            ):
                session.add(Membership(user=user, locality=locality, kind=person.kind, seat=seat))
            rows.append((user.email, user.role.value, locality.name, seat.name if seat else "No seat"))
    session.flush()
    return rows
