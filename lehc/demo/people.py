"""Fictional demo people for development and the browser tests: one of each kind per locality. Every name here
is invented."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehc.models import (
    Agency,
    Locality,
    MembershipKind,
    Role,
    User,
)
from lehc.models.people import password_hasher

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
    DemoRole(  # called on at the LEHC; sits at the weekly step up / step down meeting
        "socialcare",
        Role.MEMBER,
        MembershipKind.CALL_ON,
        "Children's Social Care Team Manager",
        "Team Manager, Children's Social Care",
        "Children's Social Care",
    ),
]


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def demo_email(prefix: str, locality: Locality | None = None) -> str:
    return f"{prefix}.{_slug(locality.name)}@{DEMO_DOMAIN}" if locality else f"{prefix}@{DEMO_DOMAIN}"


def demo_name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"


class DemoPassword:
    """The published demo password, hashed once per run for every demo account that needs it.

    Argon2 takes a quarter of a second by design, and hashing or verifying sixty-odd accounts one by one took most
    of `flask demo-data`. The accounts share one hash (their password is published, so a shared salt hides
    nothing), and a stored hash is verified once however many accounts hold it."""

    def __init__(self, password: str) -> None:
        self.password = password
        self._hash: str | None = None
        self._matches: dict[str, bool] = {}

    def give_to(self, user: User) -> None:
        stored = user.password_hash
        if stored and stored not in self._matches:
            self._matches[stored] = user.check_password(self.password)
        if stored and self._matches[stored]:
            return
        if self._hash is None:
            self._hash = password_hasher.hash(self.password)
        user.password_hash = self._hash


def ensure_user(
    session: Session, *, email: str, name: str, role: Role, job_title: str, agency: Agency, password: DemoPassword
) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role, job_title=job_title, agency=agency, demo_account=True)
        session.add(user)
    user.demo_account = True
    password.give_to(user)
    return user
