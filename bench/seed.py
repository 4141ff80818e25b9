"""Seed a production-size LEHC dataset into an empty, migrated database, fast.

Scale 1 is a county's ten years: 7 localities, about 1,800 fortnightly meetings, 25,000 families, 120,000
discussions, 300,000 actions and 600 users. Rows go in with SQLAlchemy Core bulk inserts (executemany) with
ids chosen here, so relationships need no round trips; PostgreSQL sequences are moved on afterwards.

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

from sqlalchemy import func, insert, select, text

from lehc.extensions import db
from lehc.models import (
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


def _bulk(table, rows: list[dict]) -> int:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])
    return len(rows)


def seed(scale: float, *, today: date | None = None, rng_seed: int = 2026) -> Seeded:
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    today = today or date.today()
    now = utcnow()
    ids = Ids()
    result = Seeded(scale=scale)
    localities = list(db.session.scalars(select(Locality).order_by(Locality.id)))
    seats = list(db.session.scalars(select(Seat).order_by(Seat.position)))
    core_seats = [seat for seat in seats if seat.kind is MembershipKind.CORE]
    call_on_seats = [seat for seat in seats if seat.kind is MembershipKind.CALL_ON]
    password_hash = User(name="x", email="x@example.org")
    password_hash.set_password(PASSWORD)  # one argon2 hash, shared: hashing 600 would take most of a minute
    hashed = password_hash.password_hash

    # ------------------------------------------------------------ people
    users, memberships = [], []
    staff: dict[int, dict[str, list[int]]] = {}
    agency_of: dict[int, int] = {}

    def person(name: str, email: str, role: Role, agency_id: int) -> int:
        user_id = ids.take("user")
        users.append(
            {
                "id": user_id,
                "name": name,
                "email": email,
                "job_title": "Practitioner",
                "role": role,
                "active": True,
                "password_hash": hashed,
                "agency_id": agency_id,
                "calendar_token": uuid.uuid4().hex,
                "session_version": 1,
                "created_at": now,
            }
        )
        agency_of[user_id] = agency_id
        return user_id

    for locality in localities:
        slug = locality.name.lower().replace(" ", "-")
        team = {"chair": [], "coordinator": [], "core": [], "call_on": []}
        for role, key in ((Role.CHAIR, "chair"), (Role.COORDINATOR, "coordinator")):
            user_id = person(
                f"{key.title()} {locality.name}", f"{key}.{slug}@bench.example", role, core_seats[0].agency_id
            )
            memberships.append(
                {
                    "user_id": user_id,
                    "locality_id": locality.id,
                    "seat_id": core_seats[0].id,
                    "kind": MembershipKind.CORE,
                }
            )
            team[key].append(user_id)
        for kind, seat_list, key in (
            (MembershipKind.CORE, core_seats, "core"),
            (MembershipKind.CALL_ON, call_on_seats, "call_on"),
        ):
            for number, seat in enumerate(seat_list, start=1):
                user_id = person(
                    f"{seat.name} {locality.name}", f"{key}{number}.{slug}@bench.example", Role.MEMBER, seat.agency_id
                )
                memberships.append({"user_id": user_id, "locality_id": locality.id, "seat_id": seat.id, "kind": kind})
                team[key].append(user_id)
        staff[locality.id] = team
    practitioners = []
    agency_ids = sorted({seat.agency_id for seat in seats})
    wanted_users = max(int(TARGETS["users"] * scale), len(users) + 7)
    while len(users) < wanted_users:
        number = len(practitioners) + 1
        practitioners.append(
            person(f"Practitioner {number}", f"practitioner{number}@bench.example", Role.MEMBER, rng.choice(agency_ids))
        )
    _bulk(User.__table__, users)
    _bulk(Membership.__table__, memberships)

    # ------------------------------------------------------------ meetings
    per_locality = max(int(TARGETS["meetings"] * scale / len(localities)), 6)
    future = 3  # scheduled meetings after the next one
    meetings, items, call_on_rows, attendance = [], [], [], []
    past_by_locality: dict[int, list[dict]] = {}
    upcoming_by_locality: dict[int, dict] = {}
    for index, locality in enumerate(localities):
        first_upcoming = today + timedelta(days=7 + index % 5)
        rows = []
        for number in range(per_locality):
            offset = number - (per_locality - future - 1)  # 0: the next meeting; negative: held
            day = first_upcoming + timedelta(weeks=2 * offset)
            starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
            status = MeetingStatus.MINUTES_APPROVED if offset < 0 else MeetingStatus.SCHEDULED
            published = starts - timedelta(days=7) if offset <= 0 else None
            if offset == 0:
                status = MeetingStatus.AGENDA_PUBLISHED
            row = {
                "id": ids.take("meeting"),
                "locality_id": locality.id,
                "starts_at": starts,
                "ends_at": starts + timedelta(minutes=150),
                "venue": f"{locality.name} Family Hub",
                "online_link": "",
                "status": status,
                "cancelled_reason": "",
                "uid": uuid.uuid4().hex,
                "sequence": 0,
                "agenda_published_at": published,
                "organiser_id": staff[locality.id]["coordinator"][0],
                "minutes_notes": "",
                "amendment_reason": "",
            }
            rows.append(row)
            meetings.append(row)
            for position, (title, minutes) in enumerate(
                [("Welcome, introductions and apologies", 5), ("Review of actions from the last meeting", 10)], start=1
            ):
                items.append(_item(ids, row["id"], position, ItemKind.STANDING, title, minutes))
            if offset < 0:
                for user_id in staff[locality.id]["chair"] + staff[locality.id]["core"]:
                    status_ = AttendanceStatus.PRESENT if rng.random() < 0.85 else AttendanceStatus.APOLOGIES
                    attendance.append(
                        {"meeting_id": row["id"], "user_id": user_id, "status": status_, "deputy_name": ""}
                    )
        past_by_locality[locality.id] = [row for row in rows if row["status"] is MeetingStatus.MINUTES_APPROVED]
        upcoming_by_locality[locality.id] = next(row for row in rows if row["status"] is MeetingStatus.AGENDA_PUBLISHED)
    _bulk(Meeting.__table__, meetings)

    # ------------------------------------------------------------ families and their discussions
    families, members, consents, needs, discussions, scores, actions = [], [], [], [], [], [], []
    families_per_locality = max(int(TARGETS["families"] * scale / len(localities)), BENCH_ITEMS * 2)
    discussions_per_family = TARGETS["discussions"] / TARGETS["families"]  # 4.8
    actions_per_discussion = TARGETS["actions"] / TARGETS["discussions"]  # 2.5
    open_since = today - timedelta(weeks=12)
    names = ["Ava", "Noah", "Mia", "Leo", "Isla", "Alfie", "Ivy", "Jack", "Rosie", "Harry", "Lily", "Oscar"]
    surnames = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Robinson", "Hall"]
    for locality in localities:
        past = past_by_locality[locality.id]
        last_held = past[-1]
        team = staff[locality.id]
        owners = team["chair"] + team["core"]
        position_of = {row["id"]: 2 for row in past}
        for number in range(families_per_locality):
            family_id = ids.take("family")
            # Families spread evenly over the years; each comes back every eight weeks (closer when few meetings).
            visits = int(discussions_per_family) + (1 if rng.random() < discussions_per_family % 1 else 0)
            spacing = 4 if len(past) > 4 * visits else max(1, len(past) // visits)
            room = max(len(past) - spacing * (visits - 1), 1)
            start = int(number * room / families_per_locality)
            held = [past[i] for i in range(start, min(start + spacing * visits, len(past)), spacing)]
            if number < BENCH_ITEMS:  # the shaped last meeting: twelve families, each discussed before
                held = [row for row in held if row is not last_held][:3] + [last_held]
            elif any(row is last_held for row in held):
                held = [row for row in held if row is not last_held]
            if not held:
                continue
            requested = held[0]["starts_at"].date() - timedelta(days=rng.randint(10, 60))
            surname = surnames[number % len(surnames)]
            families.append(
                {
                    "id": family_id,
                    "reference": f"{locality.code}-{requested.year}-{number:05d}",
                    "locality_id": locality.id,
                    "presenter_id": rng.choice(practitioners),
                    "presenter_agency_id": rng.choice(agency_ids),
                    "requested_on": requested,
                    "summary": "School and health visitor are worried about attendance and a parent's health.",
                    "lead_practitioner_id": rng.choice(owners),
                    "status": FamilyStatus.OPEN,
                    "closure_reason": "",
                    "created_at": now,
                }
            )
            for child in range(1 + number % 3):
                members.append(
                    {
                        "family_id": family_id,
                        "kind": MemberKind.CHILD,
                        "name": f"{names[(number + child) % len(names)]} {surname}",
                        "date_of_birth": requested - timedelta(days=365 * (3 + (number + child * 4) % 12)),
                        "school_or_setting": f"{locality.name} Primary",
                        "send": False,
                        "relationship_to_child": "",
                    }
                )
            members.append(
                {
                    "family_id": family_id,
                    "kind": MemberKind.ADULT,
                    "name": f"Sam {surname}",
                    "date_of_birth": None,
                    "school_or_setting": "",
                    "send": False,
                    "relationship_to_child": "Parent",
                }
            )
            consents.append(
                {
                    "family_id": family_id,
                    "given_by_name": f"Sam {surname}",
                    "given_by_relationship": "Parent",
                    "given_on": requested,
                    "method": ConsentMethod.WRITTEN,
                    "covers_discussion": True,
                    "covers_sharing": True,
                    "expires_on": max(requested + timedelta(days=365 * 3), today + timedelta(days=120)),
                    "recorded_by_id": owners[0],
                    "recorded_at": now,
                    "withdrawal_note": "",
                }
            )
            needs.append({"family_id": family_id, "outcome": list(Outcome)[number % len(Outcome)]})
            score = rng.randint(2, 6)
            for visit, meeting in enumerate(held):
                position_of[meeting["id"]] += 1
                item = _item(
                    ids, meeting["id"], position_of[meeting["id"]], ItemKind.DISCUSSION, "Worries about attendance", 20
                )
                item.update(
                    family_id=family_id,
                    reference=families[-1]["reference"],
                    discussion_type=DiscussionType.NEW if visit == 0 else DiscussionType.REVIEW,
                    presenter_id=families[-1]["presenter_id"],
                )
                items.append(item)
                discussion_id = ids.take("discussion")
                discussions.append(_discussion(discussion_id, item["id"], family_id, visit == len(held) - 1, now))
                score = max(0, min(10, score + rng.choice((-1, 0, 1, 1, 2))))
                scores.append({"discussion_id": discussion_id, "view": ScoreView.GROUP, "score": score})
                scores.append({"discussion_id": discussion_id, "view": ScoreView.FAMILY, "score": min(10, score + 1)})
                held_on = meeting["starts_at"].date()
                for action_number in range(2 + (rng.random() < actions_per_discussion - 2)):
                    due = held_on + timedelta(days=14 + 7 * action_number)
                    recent = held_on >= open_since
                    status = (
                        (ActionStatus.OPEN if action_number % 2 else ActionStatus.IN_PROGRESS)
                        if recent
                        else (ActionStatus.CANCELLED if rng.random() < 0.05 else ActionStatus.DONE)
                    )
                    owner = rng.choice(owners)
                    actions.append(
                        {
                            "discussion_id": discussion_id,
                            "meeting_id": meeting["id"],
                            "description": "Agree an attendance plan with the family and school",
                            "owner_id": owner,
                            "owner_agency_id": agency_of[owner],
                            "due_on": due,
                            "status": status,
                            "status_reason": "",
                            "completed_on": due - timedelta(days=rng.randint(-5, 10))
                            if status is ActionStatus.DONE
                            else None,
                            "created_at": now,
                        }
                    )
        # The next meeting: twelve of the locality's families back for review, two with the police called on.
        upcoming = upcoming_by_locality[locality.id]
        recent_families = [row for row in families if row["locality_id"] == locality.id][:BENCH_ITEMS]
        for position, family in enumerate(recent_families, start=3):
            item = _item(ids, upcoming["id"], position, ItemKind.DISCUSSION, "Worries about attendance", 15)
            item.update(
                family_id=family["id"],
                reference=family["reference"],
                discussion_type=DiscussionType.REVIEW,
                presenter_id=family["presenter_id"],
            )
            items.append(item)
            if position < 5:
                call_on_rows.append({"item_id": item["id"], "user_id": team["call_on"][0]})
        if locality is localities[0]:
            result.locality_id = locality.id
            result.chair_id = team["chair"][0]
            result.member_id = team["core"][1]
            result.upcoming_meeting_id = upcoming["id"]
            result.held_meeting_id = last_held["id"]
            result.family_id = recent_families[0]["id"]

    _bulk(Family.__table__, families)
    _bulk(FamilyMember.__table__, members)
    _bulk(Consent.__table__, consents)
    _bulk(FamilyNeed.__table__, needs)
    _bulk(AgendaItem.__table__, items)
    _bulk(agenda_item_call_on, call_on_rows)
    _bulk(Discussion.__table__, discussions)
    _bulk(ScalingScore.__table__, scores)
    _bulk(Action.__table__, actions)
    _bulk(Attendance.__table__, attendance)
    _move_sequences()
    db.session.commit()
    result.counts = {
        "localities": len(localities),
        "users": len(users),
        "meetings": len(meetings),
        "families": len(families),
        "discussions": len(discussions),
        "actions": len(actions),
        "agenda_items": len(items),
    }
    result.seconds = round(time.perf_counter() - started, 1)
    return result


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


def row_counts() -> dict[str, int]:
    return {
        name: db.session.scalar(select(func.count()).select_from(model))
        for name, model in (
            ("meetings", Meeting),
            ("families", Family),
            ("discussions", Discussion),
            ("actions", Action),
        )
    }
