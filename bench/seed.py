"""Seed a production-size LEHC dataset into an empty, migrated database, fast.

Scale 1 is a county's ten years: 7 localities, about 1,800 fortnightly meetings, 25,000 families, 120,000
discussions, 300,000 actions and 600 users. Rows go in with ids chosen here, so relationships need no round
trips: on SQLite by SQLAlchemy Core bulk inserts (executemany), on PostgreSQL by COPY; PostgreSQL sequences are
moved on afterwards.

Two records per locality are shaped the same at every scale, so the benchmark compares like with like:
the next meeting (published, 12 items, two with a called-on police officer) and the last one held (12
discussions, minutes approved). Every other past meeting carries the density the issue asks for.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table, insert, select, text

from lehc.extensions import db
from lehc.models import (
    LEHC,
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Consent,
    ConsentMethod,
    Decision,
    Discussion,
    DiscussionType,
    Family,
    FamilyMember,
    FamilyNeed,
    FamilyStatus,
    ItemKind,
    Locality,
    Meeting,
    MeetingStatus,
    MemberKind,
    Membership,
    MembershipKind,
    Outcome,
    Role,
    ScalingScore,
    ScoreView,
    Seat,
    User,
    agenda_item_call_on,
)
from lehc.models.people import utcnow
from lehc.reference_data import MEETING_KINDS

TARGETS = {"meetings": 1800, "families": 25_000, "discussions": 120_000, "actions": 300_000, "users": 600}
CHUNK = 5_000
BENCH_ITEMS = 12  # the shaped meetings' discussion items
PASSWORD = "bench-password-2026"  # noqa: S105  (a throwaway dataset on a throwaway database)


@dataclass
class Seeded:
    """What the benchmark needs to find its way around the dataset."""

    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    chair_id: int = 0
    member_id: int = 0
    upcoming_meeting_id: int = 0
    held_meeting_id: int = 0
    family_id: int = 0
    locality_id: int = 0


class Ids:
    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value


def _bulk(table: Table, rows: list[dict]) -> None:
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(table, rows)
        return
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _copy(table: Table, rows: list[dict]) -> None:
    """PostgreSQL's COPY FROM STDIN, in the session's transaction: the whole seed at scale 10 took 500 s, against
    13–23 minutes by multi-row INSERTs. What an INSERT through SQLAlchemy would do to each row is done here: the
    columns a row leaves out take their Python-side defaults (all plain values or functions of nothing), and every
    value goes through its column type's bind processor (an enum to its stored value, a UTC datetime checked for
    its offset)."""
    dialect = db.session.get_bind().dialect
    given = list(rows[0])
    defaults = [
        column
        for column in table.columns
        if column.name not in rows[0] and column.default is not None and not column.default.is_sequence
    ]
    columns = [table.c[name] for name in given] + defaults
    processors = [column.type.bind_processor(dialect) or (lambda value: value) for column in columns]
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(column.name) for column in columns)
    connection = db.session.connection().connection  # the DBAPI connection in the session's transaction
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {preparer.format_table(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = [row[name] for name in given]
            values += [
                column.default.arg(None) if column.default.is_callable else column.default.arg for column in defaults
            ]
            copy.write_row([process(value) for process, value in zip(processors, values, strict=True)])


NAMES = ["Ava", "Noah", "Mia", "Leo", "Isla", "Alfie", "Ivy", "Jack", "Rosie", "Harry", "Lily", "Oscar"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Robinson", "Hall"]
STANDING = next(spec.standing_items for spec in MEETING_KINDS if spec.code == LEHC)  # the LEHC's standing items


# The seed's tables by the names its rows are kept under, in foreign-key order
TABLES = {
    "user": User.__table__,
    "membership": Membership.__table__,
    "meeting": Meeting.__table__,
    "attendance": Attendance.__table__,
    "family": Family.__table__,
    "family_member": FamilyMember.__table__,
    "consent": Consent.__table__,
    "family_need": FamilyNeed.__table__,
    "agenda_item": AgendaItem.__table__,
    "call_on": agenda_item_call_on,
    "discussion": Discussion.__table__,
    "scaling_score": ScalingScore.__table__,
    "action": Action.__table__,
}


@dataclass
class Team:
    chair: list[int] = field(default_factory=list)
    coordinator: list[int] = field(default_factory=list)
    core: list[int] = field(default_factory=list)
    call_on: list[int] = field(default_factory=list)


class Seeder:
    """Builds every row in memory with ids chosen here, then writes each table in bulk."""

    def __init__(self, scale: float, today: date, rng_seed: int) -> None:
        self.scale, self.today, self.now = scale, today, utcnow()
        self.rng = random.Random(rng_seed)
        self.ids = Ids()
        self.rows: dict[str, list[dict]] = {}
        self.localities = list(db.session.scalars(select(Locality).order_by(Locality.id)))
        self.seats = list(db.session.scalars(select(Seat).order_by(Seat.position)))
        self.agency_ids = sorted({seat.agency_id for seat in self.seats})
        self.staff: dict[int, Team] = {}
        self.agency_of: dict[int, int] = {}
        self.practitioners: list[int] = []
        self.past: dict[int, list[dict]] = {}
        self.upcoming: dict[int, dict] = {}
        template = User(name="x", email="x@example.org")
        template.set_password(PASSWORD)  # one argon2 hash, shared: hashing 600 would take most of a minute
        self.password_hash = template.password_hash

    def add(self, table: str, row: dict) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

    # ------------------------------------------------------------ people

    def person(self, name: str, email: str, role: Role, agency_id: int) -> int:
        user_id = self.ids.take("user")
        self.add(
            "user",
            {
                "id": user_id,
                "name": name,
                "email": email,
                "job_title": "Practitioner",
                "role": role,
                "active": True,
                "password_hash": self.password_hash,
                "agency_id": agency_id,
                "calendar_token": uuid.uuid4().hex,
                "session_version": 1,
                "created_at": self.now,
            },
        )
        self.agency_of[user_id] = agency_id
        return user_id

    def people(self) -> None:
        """Per locality a chair, a coordinator, one member per core and call-on seat; the rest practitioners."""
        core_seats = [seat for seat in self.seats if seat.kind is MembershipKind.CORE]
        call_on_seats = [seat for seat in self.seats if seat.kind is MembershipKind.CALL_ON]
        for locality in self.localities:
            slug = locality.name.lower().replace(" ", "-")
            team = self.staff[locality.id] = Team()
            places = [(Role.CHAIR, "chair", core_seats[0]), (Role.COORDINATOR, "coordinator", core_seats[0])]
            places += [(Role.MEMBER, "core", seat) for seat in core_seats]
            places += [(Role.MEMBER, "call_on", seat) for seat in call_on_seats]
            for number, (role, key, seat) in enumerate(places, start=1):
                user_id = self.person(
                    f"{seat.name} {locality.name}", f"{key}{number}.{slug}@bench.example", role, seat.agency_id
                )
                kind = MembershipKind.CALL_ON if key == "call_on" else MembershipKind.CORE
                self.add(
                    "membership", {"user_id": user_id, "locality_id": locality.id, "seat_id": seat.id, "kind": kind}
                )
                getattr(team, key).append(user_id)
        wanted = max(int(TARGETS["users"] * self.scale), len(self.rows["user"]) + 7)
        while len(self.rows["user"]) < wanted:
            number = len(self.practitioners) + 1
            agency = self.rng.choice(self.agency_ids)
            self.practitioners.append(
                self.person(f"Practitioner {number}", f"practitioner{number}@bench.example", Role.MEMBER, agency)
            )

    # ------------------------------------------------------------ meetings

    def meetings(self) -> None:
        """Fortnightly meetings per locality: the held past, the next one (published), three scheduled."""
        per_locality = max(int(TARGETS["meetings"] * self.scale / len(self.localities)), 6)
        for index, locality in enumerate(self.localities):
            first_upcoming = self.today + timedelta(days=7 + index % 5)
            team = self.staff[locality.id]
            past = self.past[locality.id] = []
            for number in range(per_locality):
                offset = number - (per_locality - 4)  # 0: the next meeting; negative: held
                day = first_upcoming + timedelta(weeks=2 * offset)
                row = self.meeting(locality, day, offset, team.coordinator[0])
                if offset < 0:
                    past.append(row)
                    self.attendance(row, team.chair + team.core)
                elif offset == 0:
                    self.upcoming[locality.id] = row

    def meeting(self, locality: Locality, day: date, offset: int, organiser: int) -> dict:
        starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
        status = {True: MeetingStatus.MINUTES_APPROVED, False: MeetingStatus.SCHEDULED}[offset < 0]
        row = self.add(
            "meeting",
            {
                "id": self.ids.take("meeting"),
                "locality_id": locality.id,
                "starts_at": starts,
                "day": day,  # 9:30 UTC is the same date in London
                "ends_at": starts + timedelta(minutes=150),
                "venue": f"{locality.name} Family Hub",
                "online_link": "",
                "status": MeetingStatus.AGENDA_PUBLISHED if offset == 0 else status,
                "cancelled_reason": "",
                "uid": uuid.uuid4().hex,
                "sequence": 0,
                "agenda_published_at": starts - timedelta(days=7) if offset <= 0 else None,
                "organiser_id": organiser,
                "minutes_notes": "",
                "amendment_reason": "",
            },
        )
        for position, (title, minutes) in enumerate(STANDING, start=1):
            self.add("agenda_item", _item(self.ids, row["id"], position, ItemKind.STANDING, title, minutes))
        return row

    def attendance(self, meeting: dict, people: list[int]) -> None:
        for user_id in people:
            status = AttendanceStatus.PRESENT if self.rng.random() < 0.85 else AttendanceStatus.APOLOGIES
            self.add(
                "attendance", {"meeting_id": meeting["id"], "user_id": user_id, "status": status, "deputy_name": ""}
            )

    # ------------------------------------------------------------ families and their discussions

    def families(self) -> None:
        per_locality = max(int(TARGETS["families"] * self.scale / len(self.localities)), BENCH_ITEMS * 2)
        visits_each = TARGETS["discussions"] / TARGETS["families"]  # 4.8
        for locality in self.localities:
            past = self.past[locality.id]
            last_held = past[-1]
            positions = {row["id"]: len(STANDING) for row in past}
            for number in range(per_locality):
                visits = int(visits_each) + (self.rng.random() < visits_each % 1)
                held = self.visits(past, number, per_locality, visits)
                if number < BENCH_ITEMS:  # the shaped last meeting: twelve families, each discussed before
                    held = [row for row in held if row is not last_held][:3] + [last_held]
                else:
                    held = [row for row in held if row is not last_held]
                if held:
                    self.family(locality, number, held, positions)

    @staticmethod
    def visits(past: list[dict], number: int, per_locality: int, visits: int) -> list[dict]:
        """Families spread evenly over the years; each comes back every eight weeks (closer when few meetings)."""
        spacing = 4 if len(past) > 4 * visits else max(1, len(past) // visits)
        room = max(len(past) - spacing * (visits - 1), 1)
        start = int(number * room / per_locality)
        return [past[i] for i in range(start, min(start + spacing * visits, len(past)), spacing)]

    def family(self, locality: Locality, number: int, held: list[dict], positions: dict[int, int]) -> None:
        team = self.staff[locality.id]
        owners = team.chair + team.core
        family_id = self.ids.take("family")
        requested = held[0]["starts_at"].date() - timedelta(days=self.rng.randint(10, 60))
        surname = SURNAMES[number % len(SURNAMES)]
        family = self.add(
            "family",
            {
                "id": family_id,
                "reference": f"{locality.code}-{requested.year}-{number:05d}",
                "locality_id": locality.id,
                "presenter_id": self.rng.choice(self.practitioners),
                "presenter_agency_id": self.rng.choice(self.agency_ids),
                "requested_on": requested,
                "summary": "School and health visitor are worried about attendance and a parent's health.",
                "lead_practitioner_id": self.rng.choice(owners),
                "status": FamilyStatus.OPEN,
                "closure_reason": "",
                "created_at": self.now,
            },
        )
        for child in range(1 + number % 3):
            born = requested - timedelta(days=365 * (3 + (number + child * 4) % 12))
            self.add(
                "family_member", _member(family_id, MemberKind.CHILD, f"{NAMES[(number + child) % 12]} {surname}", born)
            )
        self.add("family_member", _member(family_id, MemberKind.ADULT, f"Sam {surname}", None))
        self.add(
            "consent",
            {
                "family_id": family_id,
                "given_by_name": f"Sam {surname}",
                "given_by_relationship": "Parent",
                "given_on": requested,
                "method": ConsentMethod.WRITTEN,
                "covers_discussion": True,
                "covers_sharing": True,
                "expires_on": max(requested + timedelta(days=365 * 3), self.today + timedelta(days=120)),
                "recorded_by_id": owners[0],
                "recorded_at": self.now,
                "withdrawal_note": "",
            },
        )
        self.add("family_need", {"family_id": family_id, "outcome": list(Outcome)[number % len(Outcome)]})
        score = self.rng.randint(2, 6)
        for visit, meeting in enumerate(held):
            positions[meeting["id"]] += 1
            score = max(0, min(10, score + self.rng.choice((-1, 0, 1, 1, 2))))
            self.discussion(family, meeting, positions[meeting["id"]], visit, visit == len(held) - 1, score, owners)

    def discussion(
        self, family: dict, meeting: dict, position: int, visit: int, latest: bool, score: int, owners: list[int]
    ) -> None:
        item = _item(self.ids, meeting["id"], position, ItemKind.DISCUSSION, "Worries about attendance", 20)
        item.update(
            family_id=family["id"],
            reference=family["reference"],
            discussion_type=DiscussionType.NEW if visit == 0 else DiscussionType.REVIEW,
            presenter_id=family["presenter_id"],
        )
        self.add("agenda_item", item)
        discussion_id = self.ids.take("discussion")
        self.add("discussion", _discussion(discussion_id, item["id"], family["id"], latest, self.now))
        self.add("scaling_score", {"discussion_id": discussion_id, "view": ScoreView.GROUP, "score": score})
        self.add(
            "scaling_score", {"discussion_id": discussion_id, "view": ScoreView.FAMILY, "score": min(10, score + 1)}
        )
        held_on = meeting["starts_at"].date()
        recent = held_on >= self.today - timedelta(weeks=12)  # open actions: about 1,000 a locality at any scale
        extra = TARGETS["actions"] / TARGETS["discussions"] - 2  # 2.5 actions a discussion
        for number in range(2 + (self.rng.random() < extra)):
            due = held_on + timedelta(days=14 + 7 * number)
            if recent:
                status = ActionStatus.OPEN if number % 2 else ActionStatus.IN_PROGRESS
            else:
                status = ActionStatus.CANCELLED if self.rng.random() < 0.05 else ActionStatus.DONE
            owner = self.rng.choice(owners)
            done = due - timedelta(days=self.rng.randint(-5, 10)) if status is ActionStatus.DONE else None
            self.add(
                "action",
                {
                    "discussion_id": discussion_id,
                    "meeting_id": meeting["id"],
                    "locality_id": meeting["locality_id"],
                    "description": "Agree an attendance plan with the family and school",
                    "owner_id": owner,
                    "owner_agency_id": self.agency_of[owner],
                    "due_on": due,
                    "status": status,
                    "status_reason": "",
                    "completed_on": done,
                    "created_at": self.now,
                },
            )

    def next_meetings(self) -> None:
        """Each locality's next meeting: twelve of its families back for review, two with the police called on."""
        for locality in self.localities:
            upcoming = self.upcoming[locality.id]
            chosen = [row for row in self.rows["family"] if row["locality_id"] == locality.id][:BENCH_ITEMS]
            for position, family in enumerate(chosen, start=len(STANDING) + 1):
                item = _item(self.ids, upcoming["id"], position, ItemKind.DISCUSSION, "Worries about attendance", 15)
                item.update(
                    family_id=family["id"],
                    reference=family["reference"],
                    discussion_type=DiscussionType.REVIEW,
                    presenter_id=family["presenter_id"],
                )
                self.add("agenda_item", item)
                if position < len(STANDING) + 3:
                    self.add("call_on", {"item_id": item["id"], "user_id": self.staff[locality.id].call_on[0]})

    def write(self) -> None:
        for name, table in TABLES.items():
            _bulk(table, self.rows.get(name, []))
        _move_sequences()
        db.session.commit()
        _analyse()

    def result(self, seconds: float) -> Seeded:
        first = self.localities[0]
        team = self.staff[first.id]
        counts = {name: len(self.rows.get(name, [])) for name in ("user", "meeting", "family", "discussion", "action")}
        return Seeded(
            scale=self.scale,
            counts={
                "localities": len(self.localities),
                "users": counts["user"],
                "meetings": counts["meeting"],
                "families": counts["family"],
                "discussions": counts["discussion"],
                "actions": counts["action"],
                "agenda_items": len(self.rows["agenda_item"]),
            },
            seconds=round(seconds, 1),
            chair_id=team.chair[0],
            member_id=team.core[1],
            upcoming_meeting_id=self.upcoming[first.id]["id"],
            held_meeting_id=self.past[first.id][-1]["id"],
            family_id=next(row["id"] for row in self.rows["family"] if row["locality_id"] == first.id),
            locality_id=first.id,
        )


def planned(scale: float, today: date, rng_seed: int = 2026) -> Seeder:
    """Every row the seed writes, chosen in memory (`seeder.rows`, by table), not yet written."""
    seeder = Seeder(scale, today, rng_seed)
    seeder.people()
    seeder.meetings()
    seeder.families()
    seeder.next_meetings()
    return seeder


def seed(scale: float, *, today: date | None = None, rng_seed: int = 2026) -> Seeded:
    started = time.perf_counter()
    seeder = planned(scale, today or date.today(), rng_seed)
    seeder.write()
    return seeder.result(time.perf_counter() - started)


def _member(family_id: int, kind: MemberKind, name: str, born: date | None) -> dict:
    return {
        "family_id": family_id,
        "kind": kind,
        "name": name,
        "date_of_birth": born,
        "school_or_setting": "",
        "send": False,
        "relationship_to_child": "" if kind is MemberKind.CHILD else "Parent",
    }


def _item(ids: Ids, meeting_id: int, position: int, kind: ItemKind, title: str, minutes: int) -> dict:
    return {
        "id": ids.take("agenda_item"),
        "meeting_id": meeting_id,
        "position": position,
        "kind": kind,
        "title": title,
        "reference": "",
        "discussion_type": None,
        "presenter_id": None,
        "family_id": None,
        "duration_minutes": minutes,
        "uid": uuid.uuid4().hex,
        "sequence": 0,
    }


def _discussion(discussion_id: int, item_id: int, family_id: int, latest: bool, now: datetime) -> dict:
    return {
        "id": discussion_id,
        "item_id": item_id,
        "family_id": family_id,
        "worries": "Attendance has dropped to 80% this term; the child is often late and tired.",
        "worry_statement": "If nothing changes, the child will fall behind and become isolated.",
        "complicating_factors": "A parent's health condition; a recent house move.",
        "strengths": "The family engage well with school and want help.",
        "existing_wellbeing": "A grandparent helps with the school run twice a week.",
        "wellbeing_goals": "Attendance above 90% and the child feels settled.",
        "next_steps": "Family Hub support and a school attendance plan.",
        "decision": Decision.REVIEW if not latest else Decision.TAF,
        "decision_notes": "",
        "step_up_prompt": "",
        "step_up_answer": "",
        "step_up_reason": "",
        "updated_at": now,
        "version": 1,
    }


def _analyse() -> None:
    """Planner statistics, and on PostgreSQL the visibility map, as a database in use has them (PostgreSQL's
    autovacuum, SQLite's ANALYZE). Vacuumed now, freshly loaded tables are not vacuumed by autovacuum while the
    pages are timed, on one of the machine's two cores, and index-only scans need not visit the table."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        # Fold the seed's write-ahead log into the database now, not during the first measured request.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _move_sequences() -> None:
    """Ids were chosen here: on PostgreSQL, move each table's sequence past the largest."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in (
        "user_account",
        "membership",
        "meeting",
        "agenda_item",
        "family",
        "family_member",
        "consent",
        "discussion",
        "scaling_score",
        "action",
        "attendance",
    ):
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")  # noqa: S608
        )
