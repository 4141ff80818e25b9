"""Resilience: many users at once, and a server killed mid-write.

    python -m bench.load [--backend sqlite --backend postgresql] [--users 50] [--seconds 60]

1. Load: gunicorn (4 workers) on a seeded database; `--users` simulated users, each signed in as a chair or
   coordinator, mix reads (agenda, tracker, family, dashboard) and writes (a meeting action, a new meeting,
   a response to an invitation) on loopback for `--seconds`. Every request must succeed, and every write the
   server acknowledged must be in the database afterwards (each write carries a unique marker).
2. Crash: a write-heavy run (new meetings, published at once so invites are queued); the whole server is
   killed with SIGKILL in the middle; it is started again. The database must pass its integrity checks,
   hold no half-saved meeting (each has its standing items), and hold every write acknowledged before the
   kill. Then the outbox is sent to a real SMTP server (aiosmtpd); the sender is itself killed part-way and
   run again: every queued invite must arrive once, none twice.
3. Two servers (PostgreSQL only): two gunicorn servers on different loopback ports over one PostgreSQL database
   and one Redis (Debian's redis-server, started here). A sign-in limit of N a minute must hold across both
   together; an agenda changed through one server must be changed on the other at its next request (page cache
   and all); then `--users` users spread across both for `--seconds`, one server SIGKILLed half-way: its users
   go to the other (as a load balancer would send them), no request to the surviving server may fail, and every
   write either server acknowledged must be in the database.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select, text

from bench.app import build
from bench.run import RESULTS, WORK, _session_cookie, code_version, fresh_database, seed_database, start_gunicorn
from lehc.extensions import db
from lehc.models import LEHC, Action, AgendaItem, Meeting, Membership, OutboxMessage, OutboxStatus, Role, User

SCALE = 0.1  # resilience is about concurrency, not size: a year of data is plenty


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is the acknowledgement: do not follow it
        return None


OPENER = urllib.request.build_opener(NoRedirect)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    failed: list[str] = field(default_factory=list)
    timings: list[float] = field(default_factory=list)
    acknowledged: dict[str, set[str]] = field(default_factory=lambda: {"action": set(), "meeting": set()})
    published: set[int] = field(default_factory=set)

    def record(self, ok: bool, what: str, ms: float) -> None:
        with self.lock:
            self.requests += 1
            self.timings.append(ms)
            if not ok:
                self.failed.append(what)


def request(base: str, path: str, cookie: str, data: dict | None = None, **headers: str) -> tuple[int, str]:
    """GET (or POST `data`) without following redirects: the status, and the Location of a redirect (the
    acknowledgement of a write) or else the page itself."""
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, headers={"Cookie": cookie, **headers})
    try:
        with OPENER.open(req, timeout=30) as response:  # noqa: S310 (loopback only)
            return response.status, response.headers.get("Location", "") or response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


@dataclass
class Actor:
    """One simulated user: a chair or coordinator of one locality, with that locality's ids to hand."""

    name: str
    cookie: str
    locality_id: int
    meeting_id: int  # the next meeting: actions are added to it
    family_id: int
    counter: int = 0

    def marker(self, kind: str) -> str:
        self.counter += 1
        return f"load-{kind}-{self.name}-{self.counter}"


def actors(url: str, count: int) -> list[Actor]:
    app = build(url)
    with app.app_context():
        managers = db.session.execute(
            select(User.id, Membership.locality_id)
            .join(Membership, Membership.user_id == User.id)
            .where(User.role.in_([Role.CHAIR, Role.COORDINATOR]))
            .order_by(User.id)
        ).all()
        places = {}
        for _, locality_id in managers:  # the latest published meeting with a family on it (not one a run made)
            places[locality_id] = db.session.execute(
                select(AgendaItem.meeting_id, AgendaItem.family_id)
                .join(Meeting, Meeting.id == AgendaItem.meeting_id)
                .where(Meeting.locality_id == locality_id, Meeting.agenda_published_at.is_not(None))
                .where(AgendaItem.family_id.is_not(None))
                .order_by(Meeting.starts_at.desc())
                .limit(1)
            ).one()
        db.session.remove()
        db.engine.dispose()
    cookies = {user_id: _session_cookie(url, user_id) for user_id, _ in managers}
    chosen = []
    for number in range(count):
        user_id, locality_id = managers[number % len(managers)]
        meeting, family = places[locality_id]
        chosen.append(Actor(f"u{number}", cookies[user_id], locality_id, meeting, family))
    return chosen


def date_parts(day: date) -> list[str]:
    """A GOV.UK date input's three boxes: day, month, year."""
    return [str(day.day), str(day.month), str(day.year)]


FREE_DAYS = itertools.count(1000)  # each new meeting on a day of its own, after any the seed made


def new_meeting_form(venue: str) -> dict:
    """A meeting the form must accept: a random day could clash with the locality's other meetings and be refused."""
    day = date.today() + timedelta(days=next(FREE_DAYS))
    return {
        "kind_code": LEHC,
        "day": date_parts(day),
        "start_time": "9:30",
        "duration_minutes": "120",
        "venue": venue,
        "online_link": "",
    }


def act(base: str, actor: Actor, tally: Tally, *, write_share: float, publish: bool = False) -> None:
    """One request: a read, or (with probability write_share) a write whose acknowledgement is recorded."""
    started = time.perf_counter()
    roll = random.random()  # noqa: S311
    if roll < write_share / 2:
        marker = actor.marker("action")
        data = {
            "description": marker,
            "owner_id": "0",
            "owner_agency_id": "1",
            "due_on": date_parts(date.today() + timedelta(days=14)),
        }
        status, _ = request(base, f"/meetings/{actor.meeting_id}/minutes/actions", actor.cookie, data)
        ok, kind = status == 302, "action"
    elif roll < write_share:
        marker = actor.marker("meeting")
        status, location = request(
            base, f"/localities/{actor.locality_id}/meetings/new", actor.cookie, new_meeting_form(marker)
        )
        ok, kind = status == 302 and "/meetings/" in location, "meeting"
        if ok and publish:
            meeting_id = int(re.search(r"/meetings/(\d+)", location).group(1))
            published, _ = request(base, f"/meetings/{meeting_id}/publish", actor.cookie, {})
            if published == 302:
                with tally.lock:
                    tally.published.add(meeting_id)
    else:
        marker, kind = "", "read"
        path = random.choice(  # noqa: S311
            [
                f"/meetings/{actor.meeting_id}",
                f"/actions?scope=all&locality={actor.locality_id}&status=open",
                f"/families/{actor.family_id}",
                "/",
            ]
        )
        status, _ = request(base, path, actor.cookie)
        ok = status == 200
    tally.record(ok, f"{kind} {status}", (time.perf_counter() - started) * 1000)
    if ok and marker:
        with tally.lock:
            tally.acknowledged[kind].add(marker)


def drive(
    base: str,
    people: list[Actor],
    seconds: float,
    *,
    write_share: float,
    publish: bool = False,
    rounds: int = 0,
    tally: Tally | None = None,
    stop: threading.Event | None = None,
) -> Tally:
    """Every actor acts until `seconds` have passed (or, given `stop`, until it is set) and it has acted at least
    `rounds` times (so a test on a busy machine still gets its concurrency, however slow each request is). A
    `tally` passed in can be read while they act."""
    tally = tally or Tally()
    until = time.monotonic() + seconds

    def going_on() -> bool:
        return not stop.is_set() if stop is not None else time.monotonic() < until

    def loop(actor: Actor) -> None:
        done = 0
        while going_on() or done < rounds:
            done += 1
            try:
                act(base, actor, tally, write_share=write_share, publish=publish)
            except OSError as error:  # the server is gone (the crash test) or refused
                tally.record(False, f"connection: {error.__class__.__name__}", 0)
                time.sleep(0.05)

    threads = [threading.Thread(target=loop, args=(actor,)) for actor in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def stored(url: str) -> dict[str, set[str]]:
    app = build(url)
    with app.app_context():
        actions = set(db.session.scalars(select(Action.description).where(Action.description.like("load-%"))))
        meetings = set(db.session.scalars(select(Meeting.venue).where(Meeting.venue.like("load-%"))))
        db.session.remove()
        db.engine.dispose()
    return {"action": actions, "meeting": meetings}


def load_test(url: str, users: int, seconds: float, rounds: int = 0) -> dict:
    people = actors(url, users)
    server, base = start_gunicorn(url)
    try:
        tally = drive(base, people, seconds, write_share=0.3, rounds=rounds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    found = stored(url)
    lost = {kind: sorted(tally.acknowledged[kind] - found[kind]) for kind in found}
    return {
        "users": users,
        "seconds": seconds,
        "requests": tally.requests,
        "per_second": round(tally.requests / seconds, 1),
        "failed": len(tally.failed),
        "failures": sorted(set(tally.failed))[:10],
        "p50_ms": round(statistics.median(tally.timings), 1),
        "p95_ms": round(statistics.quantiles(tally.timings, n=20)[-1], 1),
        "writes_acknowledged": sum(len(v) for v in tally.acknowledged.values()),
        "writes_found": sum(len(tally.acknowledged[k] & found[k]) for k in found),
        "lost_writes": sum(len(v) for v in lost.values()),
    }


# ---------------------------------------------------------------- crash


def integrity(url: str) -> dict:
    app = build(url)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            check = db.session.execute(text("PRAGMA integrity_check")).scalar()
            foreign = db.session.execute(text("PRAGMA foreign_key_check")).all()
        else:
            check, foreign = "ok (PostgreSQL enforces constraints transactionally)", []
        standing = (
            select(AgendaItem.meeting_id, func.count().label("n"))
            .where(AgendaItem.kind == "standing")
            .group_by(AgendaItem.meeting_id)
            .subquery()
        )
        half_saved = db.session.scalar(
            select(func.count())
            .select_from(Meeting)
            .outerjoin(standing, standing.c.meeting_id == Meeting.id)
            .where(func.coalesce(standing.c.n, 0) < 2)
        )
        pending = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        )
        db.session.remove()
        db.engine.dispose()
    return {
        "integrity_check": check,
        "foreign_key_problems": len(foreign),
        "half_saved_meetings": half_saved,
        "outbox_pending": pending,
    }


def send_outbox_process(url: str, smtp_port: int) -> subprocess.Popen:
    code = (
        "from bench.app import build; from lehc.mail import send_outbox; from lehc.extensions import db\n"
        f"app = build({url!r}); app.config.update(SMTP_HOST='127.0.0.1', SMTP_PORT={smtp_port})\n"
        "with app.app_context():\n"
        "    while send_outbox(app.config, limit=20).sent: pass\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=RESULTS.parent.parent)  # noqa: S603


def writes_acknowledged(tally: Tally) -> int:
    with tally.lock:
        return sum(len(v) for v in tally.acknowledged.values()) + len(tally.published)


def crash_test(url: str, users: int = 20, before_kill: float = 6.0, *, kill_sender: bool = False) -> dict:
    """With kill_sender, the e-mail sender is SIGKILLed part-way too. Delivery is then at least once: the one
    message the SMTP server had accepted when the sender died, before the database recorded it, goes again,
    with the same Message-ID and calendar UID and SEQUENCE, so calendars still show one event."""
    from tests.support.smtp import SMTPServer

    people = actors(url, users)
    server, base = start_gunicorn(url)
    tally, stop = Tally(), threading.Event()
    runner = threading.Thread(
        target=drive, args=(base, people, 0), kwargs={"write_share": 0.9, "publish": True, "tally": tally, "stop": stop}
    )
    runner.start()
    time.sleep(before_kill)
    deadline = time.monotonic() + 120  # a busy machine: the kill waits for a first acknowledged write to put at risk
    while not writes_acknowledged(tally) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-write
    server.wait()
    time.sleep(3)  # the users go on trying the dead server
    stop.set()
    runner.join()
    after_kill = integrity(url)
    restarted, base = start_gunicorn(url)  # the app comes back on the same database
    restarted.terminate()
    restarted.wait(timeout=30)
    found = stored(url)
    lost = {kind: sorted(tally.acknowledged[kind] - found[kind]) for kind in found}

    app = build(url)
    with app.app_context():
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        unpublished = db.session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(Meeting.id.in_(tally.published), Meeting.agenda_published_at.is_(None))
        )
        db.session.remove()
        db.engine.dispose()
    smtp = SMTPServer()
    smtp.start()
    received_before = 0
    try:
        if kill_sender:
            sender = send_outbox_process(url, smtp.port)
            deadline = time.monotonic() + 60  # starting the process takes longer on a busy machine: wait for mail
            while not smtp.messages and sender.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            sender.send_signal(signal.SIGKILL)  # the sender dies part-way too
            sender.wait()
            received_before = len(smtp.messages)
        sender = send_outbox_process(url, smtp.port)
        sender.wait(timeout=300)
        ids = [message["Message-ID"] for message in smtp.messages]
    finally:
        smtp.stop()
    final = integrity(url)
    return {
        "writes_acknowledged": writes_acknowledged(tally),
        "lost_writes": sum(len(v) for v in lost.values()) + unpublished,
        "after_kill": after_kill,
        "after_sending": final,
        "invites_queued": queued,
        "invites_received": len(ids),
        "sender_killed": kill_sender,
        "received_before_sender_killed": received_before,
        "invites_received_twice": len(ids) - len(set(ids)),
        "invites_lost": queued - len(set(ids)),
    }


# ---------------------------------------------------------------- two servers

SIGN_IN_LIMIT = 10  # a minute, from one address, across every server


def sign_in_limit_across(bases: list[str]) -> dict:
    """Twice the limit of wrong sign-ins from one address, alternating between the servers: N must be answered
    (with the form's error) and the rest refused with 429, whichever server they reach."""
    answers = []
    for attempt in range(2 * SIGN_IN_LIMIT):
        form = {"email": f"nobody{attempt}@example.org", "password": "wrong"}
        status, _ = request(bases[attempt % len(bases)], "/sign-in", "", form, **{"X-Forwarded-For": "198.51.100.9"})
        answers.append(status)
    return {"limit_per_minute": SIGN_IN_LIMIT, "answered": answers.count(200), "refused": answers.count(429)}


def change_seen_across(url: str, bases: list[str], person: Actor) -> dict:
    """An item removed from an agenda through one server is gone from the other's agenda at its next request, though
    that server had the agenda in its page cache; once each way."""
    app = build(url)
    with app.app_context():
        items = db.session.execute(
            select(AgendaItem.id, AgendaItem.meeting_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(Meeting.locality_id == person.locality_id, Meeting.starts_at > func.now())
            .where(Meeting.agenda_published_at.is_not(None), AgendaItem.family_id.is_not(None))
            .order_by(Meeting.starts_at)
            .limit(2)
        ).all()
        db.session.remove()
        db.engine.dispose()
    checks = []
    for number, (item_id, meeting_id) in enumerate(items):
        writer, reader = bases[number % 2], bases[(number + 1) % 2]
        agenda, item = f"/meetings/{meeting_id}", f"/meetings/{meeting_id}/items/{item_id}/"  # its buttons' address
        before = [request(reader, agenda, person.cookie)[1] for _ in range(2)]  # the second from the cache
        removed, _ = request(writer, f"{item}remove", person.cookie, {})
        _, after = request(reader, agenda, person.cookie)
        checks.append(all(item in page for page in before) and removed == 302 and item not in after)
    return {"changes": len(checks), "seen_on_the_other_server": sum(checks)}


def two_server_test(url: str, users: int, seconds: float) -> dict:
    from tests.support.redis import RedisServer

    redis = RedisServer(shutil.which("redis-server") or "redis-server", WORK / "redis")
    redis.start()
    shared = {"RATELIMIT_STORAGE_URI": redis.url, "LEHC_SIGN_IN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per minute"}
    shared["LEHC_TRUSTED_PROXIES"] = "1"  # the client's address comes from the load balancer's header
    people = actors(url, users)
    started = [start_gunicorn(url, workers=2, **shared) for _ in range(2)]
    bases = [base for _, base in started]
    killed: set[str] = set()
    tallies = {base: Tally() for base in bases}
    cut_off = [0]
    try:
        limit = sign_in_limit_across(bases)
        coherence = change_seen_across(url, bases, people[0])
        stop = time.monotonic() + seconds

        def loop(number: int, actor: Actor) -> None:
            base = bases[number % 2]
            while time.monotonic() < stop:
                try:
                    act(base, actor, tallies[base], write_share=0.3)
                except (OSError, http.client.HTTPException) as error:
                    if base in killed:  # cut off by the kill: the load balancer sends this user to the survivor
                        cut_off[0] += 1
                        base = bases[0]
                    else:
                        tallies[base].record(False, f"connection: {error.__class__.__name__}", 0)

        threads = [threading.Thread(target=loop, args=pair) for pair in enumerate(people)]
        for thread in threads:
            thread.start()
        time.sleep(seconds / 2)
        victim, _ = started[1]
        killed.add(bases[1])
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        for thread in threads:
            thread.join()
    finally:
        for server, base in started:
            if base not in killed:
                server.terminate()
                server.wait(timeout=30)
        redis.stop()
    found = stored(url)
    acknowledged = {kind: set().union(*(t.acknowledged[kind] for t in tallies.values())) for kind in found}
    survivor, victim_tally = tallies[bases[0]], tallies[bases[1]]
    timings = survivor.timings + victim_tally.timings
    return {
        "servers": 2,
        "users": users,
        "seconds": seconds,
        "sign_in_limit": limit,
        "coherence": coherence,
        "requests": survivor.requests + victim_tally.requests,
        "requests_per_server": [survivor.requests, victim_tally.requests],
        "per_second": round((survivor.requests + victim_tally.requests) / seconds, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(statistics.quantiles(timings, n=20)[-1], 1),
        "failed_on_surviving_server": len(survivor.failed),
        "failures": sorted(set(survivor.failed))[:10],
        "failed_on_killed_server_before_kill": len(victim_tally.failed),
        "cut_off_by_the_kill": cut_off[0],
        "writes_acknowledged": sum(len(v) for v in acknowledged.values()),
        "lost_writes": sum(len(acknowledged[kind] - found[kind]) for kind in found),
    }


def two_server_problems(backend: str, run: dict) -> list[str]:
    limit, coherence = run["sign_in_limit"], run["coherence"]
    problems = [
        f"{backend}, two servers: {name}: {value}"
        for name, value in (
            ("failed requests on the surviving server", run["failed_on_surviving_server"]),
            ("failed requests before the kill", run["failed_on_killed_server_before_kill"]),
            ("lost writes", run["lost_writes"]),
        )
        if value
    ]
    if limit["answered"] != limit["limit_per_minute"]:
        problems.append(f"{backend}, two servers: {limit['answered']} sign-ins answered, limit {SIGN_IN_LIMIT}")
    if not coherence["changes"] or coherence["seen_on_the_other_server"] != coherence["changes"]:
        problems.append(f"{backend}, two servers: a change was not seen on the other server: {coherence}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    from bench.run import _postgres_available, _start_postgres

    backends = args.backend or ["sqlite"] + (["postgresql"] if _postgres_available() else [])
    commit = code_version()  # the code that runs, as it starts
    results = {}
    problems = []
    for backend in backends:
        cluster = _start_postgres() if backend == "postgresql" else None
        try:
            url = fresh_database(backend, SCALE, cluster)
            seed_database(url, SCALE)
            print(f"[load] {backend}: {args.users} users for {args.seconds} s", flush=True)
            loaded = load_test(url, args.users, args.seconds)
            print(f"[load]   {json.dumps(loaded)}", flush=True)
            print(f"[load] {backend}: crash test", flush=True)
            crashed = crash_test(url)
            print(f"[load]   {json.dumps(crashed)}", flush=True)
            results[backend] = {"load": {"servers": 1, **loaded}, "crash": crashed}
            if backend == "postgresql":
                print(f"[load] {backend}: two servers, {args.users} users for {args.seconds} s", flush=True)
                both = two_server_test(url, args.users, args.seconds)
                print(f"[load]   {json.dumps(both)}", flush=True)
                results[backend]["two_servers"] = both
                problems += two_server_problems(backend, both)
        finally:
            if cluster is not None:
                cluster.stop()
        for name, value in (
            ("failed requests", loaded["failed"]),
            ("lost writes under load", loaded["lost_writes"]),
            ("lost writes after SIGKILL", crashed["lost_writes"]),
            ("half-saved meetings", crashed["after_kill"]["half_saved_meetings"]),
            ("foreign key problems", crashed["after_kill"]["foreign_key_problems"]),
            ("invites sent twice", crashed["invites_received_twice"]),
            ("invites lost", crashed["invites_lost"]),
            ("invites still queued", crashed["after_sending"]["outbox_pending"]),
        ):
            if value:
                problems.append(f"{backend}: {name}: {value}")
        if not str(crashed["after_kill"]["integrity_check"]).startswith("ok"):
            problems.append(f"{backend}: integrity check: {crashed['after_kill']['integrity_check']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "resilience.json").write_text(
        json.dumps({"commit": commit, "results": results, "problems": problems}, indent=2) + "\n"
    )
    print("Resilience: " + ("all checks passed." if not problems else "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
