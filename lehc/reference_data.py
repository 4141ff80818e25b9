"""The county's reference data and the idempotent function that seeds it."""

from __future__ import annotations

import string
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from lehc.extensions import db
from lehc.models import (
    FORUM,
    LEHC,
    STEP,
    Agency,
    AgencySector,
    Area,
    Decision,
    Frequency,
    KindSeat,
    Locality,
    MeetingKind,
    MeetingKindDecision,
    MeetingKindItem,
    Membership,
    MembershipKind,
    Role,
    Seat,
    User,
)
from lehc.text import contains_pattern

# (code, default name). Codes are stable and appear in family references; names are editable by an admin.
LOCALITIES: list[tuple[str, str]] = [
    ("CLS", "Chester-le-Street"),
    ("DWS", "Derwentside"),
    ("DUR", "Durham"),
    ("EAS", "Easington"),
    ("SED", "Sedgefield"),
    ("TEE", "Teesdale"),
    ("WVA", "Wear Valley"),
]

# The Early Help Forums' areas as first set up (name, locality codes); an administrator renames them and moves
# localities between them (Administration > Areas), and seeding never undoes that.
AREAS: list[tuple[str, list[str]]] = [
    ("North Durham", ["CLS", "DWS"]),
    ("Central and East Durham", ["DUR", "EAS"]),
    ("South Durham", ["SED", "TEE", "WVA"]),
]

AGENCIES: list[tuple[str, AgencySector]] = [
    ("One Point Service (Durham County Council)", AgencySector.COUNCIL),
    ("0-25 Family Health Service", AgencySector.HEALTH),
    ("VCS Alliance", AgencySector.VOLUNTARY),
    ("Schools and education settings", AgencySector.EDUCATION),
    ("Council Housing Solutions", AgencySector.COUNCIL),
    ("SEND and Inclusion Service", AgencySector.EDUCATION),
    ("CAMHS", AgencySector.HEALTH),
    ("Attendance Improvement Service", AgencySector.EDUCATION),
    ("Durham Constabulary", AgencySector.JUSTICE),
    ("Drug and Alcohol Recovery Service", AgencySector.HEALTH),
    ("Probation Service", AgencySector.JUSTICE),
    ("Children's Disabilities Team", AgencySector.COUNCIL),
    ("Adult Mental Health Single Point of Access", AgencySector.HEALTH),
    ("Durham Works", AgencySector.COUNCIL),
    ("Children's Social Care", AgencySector.COUNCIL),
]

# (seat name, kind, agency). Order is the order the seats are listed at the table.
SEATS: list[tuple[str, MembershipKind, str]] = [
    ("Family Hub Team Manager", MembershipKind.CORE, "One Point Service (Durham County Council)"),
    ("0-25 Family Health Service Manager", MembershipKind.CORE, "0-25 Family Health Service"),
    ("VCS Alliance Worker", MembershipKind.CORE, "VCS Alliance"),
    ("One Point Early Help Advisor", MembershipKind.CORE, "One Point Service (Durham County Council)"),
    ("Education representative", MembershipKind.CORE, "Schools and education settings"),
    ("Council Housing", MembershipKind.CORE, "Council Housing Solutions"),
    ("SEND and Inclusion", MembershipKind.CORE, "SEND and Inclusion Service"),
    ("CAMHS", MembershipKind.CORE, "CAMHS"),
    ("Attendance Improvement Officer", MembershipKind.CORE, "Attendance Improvement Service"),
    ("Neighbourhood Police Team", MembershipKind.CALL_ON, "Durham Constabulary"),
    ("Drug and Alcohol Service", MembershipKind.CALL_ON, "Drug and Alcohol Recovery Service"),
    ("Probation", MembershipKind.CALL_ON, "Probation Service"),
    ("Disabilities Team", MembershipKind.CALL_ON, "Children's Disabilities Team"),
    (
        "Adult Mental Health Single Point of Access",
        MembershipKind.CALL_ON,
        "Adult Mental Health Single Point of Access",
    ),
    ("Durham Works", MembershipKind.CALL_ON, "Durham Works"),
    # called on at the LEHC when a family may need social care; sits at every step up / step down meeting
    ("Children's Social Care Team Manager", MembershipKind.CALL_ON, "Children's Social Care"),
]


@dataclass(frozen=True)
class KindSpec:
    """A kind of meeting as the county first sets it up; an administrator's later changes are kept (seeding adds
    missing kinds only)."""

    code: str
    name: str
    short_name: str
    default_frequency: Frequency
    discusses_families: bool
    records_moves: bool
    standing_items: list[tuple[str, int]]  # (title, minutes)
    decisions: list[Decision]
    agenda_title: str
    minutes_title: str
    seats: list[str]  # whose core members are invited to the whole meeting (KindSeat); none: every core member
    meets_per_area: bool = False  # an area's meeting, hosted by one of its localities (the forum)


LEHC_DECISIONS = [
    Decision.ADVICE,
    Decision.UNIVERSAL,
    Decision.TAF,
    Decision.STEP_UP,
    Decision.SOCIAL_CARE,
    Decision.REVIEW,
    Decision.NO_FURTHER_ACTION,
]

# The LEHC is the first kind of meeting; the weekly step up / step down meeting moves families between early help
# and Children's Social Care.
MEETING_KINDS: list[KindSpec] = [
    KindSpec(
        code=LEHC,
        name="Locality Early Help Conversation",
        short_name="LEHC",
        default_frequency=Frequency.FORTNIGHTLY,
        discusses_families=True,
        records_moves=False,
        standing_items=[("Welcome, introductions and apologies", 5), ("Review of actions from the last meeting", 10)],
        decisions=LEHC_DECISIONS,
        agenda_title="Locality Early Help Conversation: agenda",
        minutes_title="Locality Early Help Conversation: minutes",
        seats=[],
    ),
    KindSpec(
        code=STEP,
        name="Step up and step down meeting",
        short_name="step up / step down",
        default_frequency=Frequency.WEEKLY,
        discusses_families=True,
        records_moves=True,
        standing_items=[("Welcome and apologies", 5), ("Actions from last week", 10)],
        decisions=[Decision.SOCIAL_CARE, Decision.STEP_DOWN, Decision.TAF, Decision.NO_FURTHER_ACTION],
        agenda_title="Step up and step down meeting: agenda",
        minutes_title="Step up and step down meeting: minutes",
        # the Family Hub team manager, the Children's Social Care team manager and the Early Help Advisor; the lead
        # practitioners concerned are called on for their families' items
        seats=["Family Hub Team Manager", "Children's Social Care Team Manager", "One Point Early Help Advisor"],
    ),
    KindSpec(  # the line between the safeguarding partnership and front-line practitioners
        code=FORUM,
        name="Early Help Forum",
        short_name="Early Help Forum",
        default_frequency=Frequency.TERMLY,
        discusses_families=False,
        records_moves=False,
        standing_items=[("Welcome and introductions", 10), ("Safeguarding partnership update", 20)],
        decisions=[],
        agenda_title="Early Help Forum: agenda",
        minutes_title="Early Help Forum: minutes",
        seats=[],
        meets_per_area=True,
    ),
]


def new_kind(spec: KindSpec) -> MeetingKind:
    return MeetingKind(
        code=spec.code,
        name=spec.name,
        short_name=spec.short_name,
        default_frequency=spec.default_frequency,
        discusses_families=spec.discusses_families,
        records_moves=spec.records_moves,
        meets_per_area=spec.meets_per_area,
        agenda_title=spec.agenda_title,
        minutes_title=spec.minutes_title,
        standing_items=[
            MeetingKindItem(position=n, title=title, duration_minutes=m)
            for n, (title, m) in enumerate(spec.standing_items, 1)
        ],
        decision_rows=[MeetingKindDecision(position=n, decision=d) for n, d in enumerate(spec.decisions, 1)],
    )


def all_agencies() -> list[Agency]:
    """Every partner agency, by name: the choices wherever an agency is picked."""
    return list(db.session.scalars(select(Agency).order_by(Agency.name)))


def all_areas() -> list[Area]:
    """The areas the Early Help Forums meet for, by name, with their localities."""
    return list(db.session.scalars(select(Area).options(selectinload(Area.localities)).order_by(Area.name)))


def all_localities() -> list[Locality]:
    """The seven localities, by name."""
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def seed_reference_data(session: Session) -> dict[str, int]:
    """Insert whatever localities, agencies, seats and meeting kinds are missing (a new kind with its default seats);
    never rename or duplicate. Returns counts added."""
    added = {"localities": 0, "agencies": 0, "seats": 0, "meeting kinds": 0, "kind seats": 0, "areas": 0}
    known_kinds = set(session.scalars(select(MeetingKind.code)))
    new_kinds = [spec for spec in MEETING_KINDS if spec.code not in known_kinds]
    for spec in new_kinds:
        session.add(new_kind(spec))
        added["meeting kinds"] += 1
    known_codes = set(session.scalars(select(Locality.code)))
    for code, name in LOCALITIES:
        if code not in known_codes:
            session.add(Locality(code=code, name=name))
            added["localities"] += 1

    agencies = {agency.name: agency for agency in session.scalars(select(Agency))}
    for name, sector in AGENCIES:
        if name not in agencies:
            agencies[name] = Agency(name=name, sector=sector)
            session.add(agencies[name])
            added["agencies"] += 1

    known_seats = set(session.scalars(select(Seat.name)))
    for position, (name, kind, agency_name) in enumerate(SEATS, start=1):
        if name not in known_seats:
            session.add(Seat(name=name, kind=kind, position=position, agency=agencies[agency_name]))
            added["seats"] += 1
    session.flush()
    added["kind seats"] = _seed_kind_seats(session, new_kinds)
    added["areas"] = _seed_areas(session)
    return added


def _seed_areas(session: Session) -> int:
    """The first areas, once: a database that has any area keeps the administrator's."""
    if session.scalar(select(Area.id).limit(1)) is not None:
        return 0
    localities = {locality.code: locality for locality in session.scalars(select(Locality))}
    for name, codes in AREAS:
        area = Area(name=name)
        session.add(area)
        for code in codes:
            localities[code].area = area
    session.flush()
    return len(AREAS)


def _seed_kind_seats(session: Session, new_kinds: list[KindSpec]) -> int:
    """The default seats of the kinds just added; a kind that exists keeps whatever an administrator chose (even
    no seats at all). Migration b8c9d0e1f2a3 gave a kind that existed before seats its defaults."""
    seats = {seat.name: seat for seat in session.scalars(select(Seat))}
    rows = [
        KindSeat(kind_code=spec.code, locality_id=None, seat=seats[name]) for spec in new_kinds for name in spec.seats
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def _pickable():
    """Who may present an item, lead a family or own an action: the active users other than administrators."""
    return and_(User.active.is_(True), User.role != Role.ADMIN)


def possible_presenters(locality_id: int | None = None) -> list[User]:
    """A person picker's own list: the people of the given locality who may be picked (_pickable), by name. The
    rest of the county is found by typing (find_people, through the type-ahead); a list of the whole county
    would grow with it."""
    in_locality = exists().where(Membership.user_id == User.id, Membership.locality_id == locality_id)
    return list(db.session.scalars(select(User).where(_pickable(), in_locality).order_by(User.name, User.id)))


def pickable_person(user_id: int | None) -> User | None:
    """The person with this id if they may be picked (a choice found by the type-ahead, outside the list)."""
    if not user_id:
        return None
    return db.session.scalar(select(User).where(User.id == user_id, _pickable()))


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # SQLite's lower(): ASCII only


def person_labels(people: list[User]) -> dict[int, str]:
    """How a person picker names each person, by id: "name, agency". Where people who may be picked anywhere in
    the county share both (names compared without regard to capitals), each is told apart by job title and the
    localities they sit at, and where even those are the same, by e-mail address (unique). Namesakes are looked
    for in the whole county (one statement of ids and names), so a label is the same in a picker's own list and
    in the type-ahead, and choosing it chooses one person."""
    # lower() as PostgreSQL (every letter) and SQLite (ASCII letters) write it, so "Łukasz" is found on both
    names = {form for person in people for form in (person.name.lower(), person.name.translate(_ASCII_LOWER))}
    groups: dict[tuple[str, int | None], set[int]] = {}
    if names:
        found = select(User.id, User.name, User.agency_id).where(_pickable(), func.lower(User.name).in_(names))
        for user_id, name, agency_id in db.session.execute(found):
            groups.setdefault((name.casefold(), agency_id), set()).add(user_id)
    others = {person.id: groups.get((person.name.casefold(), person.agency_id), set()) for person in people}
    others = {person_id: alike - {person_id} for person_id, alike in others.items()}  # each person's namesakes
    namesakes = {}  # rare: read whole, with the localities they sit at, only when there are some
    if any(others.values()):
        alike = select(User).where(User.id.in_(set().union(*others.values())))
        namesakes = {user.id: user for user in db.session.scalars(alike.options(selectinload(User.memberships)))}

    def details(person: User) -> str:
        places = sorted(membership.locality.name for membership in person.memberships)
        return ", ".join(part for part in [person.job_title, *places] if part)

    labels = {}
    for person in people:
        label = person.label
        if others[person.id]:
            told = details(person)
            if not told or any(details(namesakes[other]) == told for other in others[person.id]):
                told = ", ".join(part for part in [told, person.email] if part)
            label += f" ({told})"
        labels[person.id] = label
    return labels


PEOPLE_FOUND = 20


def find_people(text: str) -> list[User]:
    """People who may be picked whose name or agency contains the text (at least two characters), by name: what
    the type-ahead offers beyond the locality's own list."""
    text = " ".join(text.split())
    if len(text) < 2:
        return []
    pattern = contains_pattern(text)
    matches = or_(User.name.ilike(pattern, escape="\\"), Agency.name.ilike(pattern, escape="\\"))
    query = select(User).outerjoin(Agency, User.agency_id == Agency.id).where(_pickable(), matches)
    return list(db.session.scalars(query.order_by(User.name, User.id).limit(PEOPLE_FOUND)))
