"""`make bench`: seed production-size data, then measure LEHC through its real WSGI app.

    python -m bench.run [--scale 0.1 --scale 1] [--backend sqlite --backend postgresql] [--requests 40]

For each backend and scale: a fresh database, migrated with Alembic and seeded by bench/seed.py (timed). Then,
for each backend, p50 and p95 latency of each page of every scale through the Flask app's WSGI interface (the
test client calls the same WSGI callable a server does; no network), each page requested of every scale in
turn, round after round, so that a slow spell of the machine falls on all of them alike and the growth from
scale 1 is the data's; SQL statements per request (counted by an engine event), which must be
the same at every scale; Python calls per request (cProfile), a measure of work that does not depend on how busy
the machine is; then, at the largest scale, requests per second under gunicorn with 4 workers for
the agenda page and for a bare route rendering a trivial template, in the same run. Results go to
bench/results/latest.json and latest.md; the table is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, select

from bench.app import build
from bench.seed import Seeded, seed
from lehc import page_cache
from lehc.extensions import db
from lehc.models import User
from lehc.reference_data import seed_reference_data

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
WORK = ROOT / "tmp"

# name, path template, who asks, target p95 in ms
PAGES = [
    ("Dashboard", "/", "chair", 50),
    ("Locality page", "/localities/{locality_id}", "chair", 50),
    ("Meeting agenda (12 items), first view", "/meetings/{upcoming_meeting_id}", "chair", 50),
    ("Meeting agenda (12 items), again", "/meetings/{upcoming_meeting_id}", "chair", 50),
    ("Run the meeting (12 items)", "/meetings/{held_meeting_id}/run", "chair", 50),
    ("Family page", "/families/{family_id}", "chair", 50),
    ("Action tracker (filtered, page 2)", "/actions?scope=all&locality={locality_id}&status=any&page=2", "chair", 50),
    ("Minutes .docx (12 items)", "/meetings/{held_meeting_id}/minutes.docx", "chair", 300),
    ("Tracker .docx (1,000 actions)", "/actions.docx?scope=all&locality={locality_id}&status=open", "chair", 2000),
    ("Calendar feed", "/calendar/{token}.ics", "member", 50),
]
# pages measured as a first view: lehc.page_cache is emptied before each request
FIRST_VIEWS = {"Meeting agenda (12 items), first view"}
STATEMENT_LIMIT = 12
THROUGHPUT_TARGET = 0.40


def fresh_database(backend: str, scale: float, cluster) -> str:
    if backend == "postgresql":
        return cluster.create_database(f"lehc_bench_{str(scale).replace('.', '_')}")
    WORK.mkdir(exist_ok=True)
    path = WORK / f"lehc-bench-{scale}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def seed_database(url: str, scale: float) -> Seeded:
    app = build(url)
    with app.app_context():
        upgrade(directory=str(ROOT.parent / "migrations"))
        seed_reference_data(db.session)
        db.session.commit()
        seeded = seed(scale)
        _publish(seeded)
        db.session.remove()
        db.engine.dispose()
    return seeded


def _publish(seeded: Seeded) -> None:
    """The next meeting's agenda goes out through the app itself, so its agency checks and invites exist."""
    from lehc.meetings import services
    from lehc.models import Meeting

    meeting = db.session.get(Meeting, seeded.upcoming_meeting_id)
    services.publish_agenda(meeting, db.session.get(User, seeded.chair_id))
    db.session.commit()


def signed_in_client(app, user_id: int):
    from lehc.auth.sessions import SESSION_KEY, open_server_session
    from lehc.models.people import utcnow

    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
        identity = user.get_id()
        key = open_server_session(user)
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = identity
        session[SESSION_KEY] = key
        session["_fresh"] = True
        session["signed_in_at"] = session["last_seen_at"] = utcnow().timestamp()
    return client


@dataclass
class Pages:
    """One database's pages, ready to be timed: its app, and each page's path, signed-in client and whether the
    page cache is emptied before each request; `results` holds what one request of each showed."""

    app: Flask
    pages: list[tuple[str, str, FlaskClient, Callable[[], None] | None]]
    results: dict[str, dict]
    timings: dict[str, list[float]] = field(default_factory=dict)


def prepare_pages(url: str, seeded: Seeded) -> Pages:
    """Each page's status, size, statements and Python calls, after a warm-up (templates compiled, caches filled,
    connections open)."""
    app = build(url)
    with app.app_context():
        token = db.session.scalar(select(User.calendar_token).where(User.id == seeded.member_id))
        statements = {"count": 0}
        event.listen(
            db.engine, "before_cursor_execute", lambda *args: statements.__setitem__("count", statements["count"] + 1)
        )
    clients = {"chair": signed_in_client(app, seeded.chair_id), "member": signed_in_client(app, seeded.member_id)}
    values = {**asdict(seeded), "token": token}
    cache = page_cache.cache_of(app)
    pages = [
        (name, template, template.format(**values), clients[who], cache.clear if name in FIRST_VIEWS else None, target)
        for name, template, who, target in PAGES
    ]
    pages.append((BARE, "/bench/bare", "/bench/bare", clients["chair"], None, None))
    results = {}
    for name, template, path, client, forget, target in pages:
        for _ in range(3):  # warm-up: templates compiled, caches filled, connections open
            client.get(path).get_data()
        if forget:
            forget()
        statements["count"] = 0
        response = client.get(path)
        results[name] = {
            "path": template,
            "status": response.status_code,
            "bytes": len(response.get_data()),
            "statements": statements["count"],  # the bare route's too: the sign-in check of its signed-in client
            "python_calls": _python_calls(client, path, forget),
            "target_p95_ms": target,
        }
    timed = [(name, path, client, forget) for name, _template, path, client, forget, _target in pages]
    return Pages(app, timed, results, {name: [] for name, *_ in timed})


def time_pages(databases: list[Pages], requests: int) -> None:
    """p50 and p95 of each page of each database. Round after round, each page (the bare route among them) is
    requested of every database in turn, the database that goes first moving on each round: a slow spell of this
    shared machine, or the garbage a heavy page leaves behind, falls on every scale alike, so a page's growth from
    scale 1 is the data's, not the machine's. (Timing one scale's pages after another's put each scale's first
    pages always behind the previous scale's heaviest, the tracker .docx.)"""
    for round_number in range(requests):
        first = round_number % len(databases)
        order = databases[first:] + databases[:first]
        for index in range(len(order[0].pages)):
            for database in order:
                name, path, client, forget = database.pages[index]
                if forget:
                    forget()
                started = time.perf_counter()
                client.get(path).get_data()
                database.timings[name].append((time.perf_counter() - started) * 1000)
    for database in databases:
        for name, measured in database.timings.items():
            database.results[name].update(p50_ms=round(statistics.median(measured), 1), p95_ms=_p95(measured))
        with database.app.app_context():
            db.session.remove()
            db.engine.dispose()


def cpu_ticks() -> tuple[int, int] | None:
    """(stolen, wanted) CPU ticks since boot, from /proc/stat: ticks this virtual machine's CPUs were busy or
    wanted to be (user, nice, system, irq, softirq, steal), and of those the ticks the host gave to other guests
    (steal). None where there is no /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in first[1:9])
    except (OSError, ValueError):
        return None
    return steal, user + nice + system + irq + softirq + steal


def stolen_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share of the CPU time wanted between two cpu_ticks readings that other guests took: a slow spell of
    this shared machine shows here, where the p95 of every page, the bare route's among them, goes up with it."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round((after[0] - before[0]) / (after[1] - before[1]), 3)


def _python_calls(client, path: str, forget) -> int:
    """Function calls (Python and built-in) in one request, counted by cProfile: the work a page does, the same
    however busy the machine is, so runs on different days compare."""
    if forget:
        forget()
    profile = cProfile.Profile()
    profile.enable()
    client.get(path).get_data()
    profile.disable()
    return pstats.Stats(profile).total_calls


BARE = "Bare route (the machine's yardstick)"


def _p95(timings: list[float]) -> float:
    return round(statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0], 1)


# ---------------------------------------------------------------- throughput under gunicorn


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(url: str, user_id: int) -> str:
    app = build(url)
    client = signed_in_client(app, user_id)
    name = app.config["SESSION_COOKIE_NAME"]
    return f"{name}={client.get_cookie(name).value}"


def _hammer(base: str, path: str, cookie: str, seconds: float, threads: int) -> dict:
    done, failed = [0], [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker() -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
                    response.read()
                    ok = response.status == 200
            except Exception:  # noqa: BLE001 (any failure counts as one)
                ok = False
            with lock:
                (done if ok else failed)[0] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests": done[0], "failed": failed[0], "per_second": round(done[0] / elapsed, 1)}


def start_gunicorn(url: str, workers: int = 4, **settings: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "LEHC_BENCH_DATABASE_URL": url, "PYTHONPATH": str(ROOT.parent), **settings}
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--no-control-socket",  # two servers side by side would share one socket path
            "bench.app:wsgi()",
        ],
        env=env,
        cwd=ROOT.parent,
        start_new_session=True,  # its own process group, so the crash test can SIGKILL master and workers
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def measure_throughput(url: str, seeded: Seeded, seconds: float) -> dict:
    """The chair's agenda against the bare route, in the same server; then the agenda once more with the page
    cache switched off (every request renders it afresh), to show what the cache is worth."""
    cookie = _session_cookie(url, seeded.chair_id)
    agenda = f"/meetings/{seeded.upcoming_meeting_id}"
    server, base = start_gunicorn(url)
    try:
        _hammer(base, agenda, cookie, 2, 4)  # warm every worker
        _hammer(base, "/bench/bare", cookie, 2, 4)
        bare = _hammer(base, "/bench/bare", cookie, seconds, 8)
        page = _hammer(base, agenda, cookie, seconds, 8)
    finally:
        server.terminate()
        server.wait(timeout=30)
    server, base = start_gunicorn(url, LEHC_PAGE_CACHE_SIZE="0")
    try:
        _hammer(base, agenda, cookie, 2, 4)
        uncached = _hammer(base, agenda, cookie, seconds, 8)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "workers": 4,
        "client_threads": 8,
        "seconds": seconds,
        "bare": bare,
        "agenda": page,
        "ratio": _ratio(page, bare),
        "agenda_uncached": uncached,
        "ratio_uncached": _ratio(uncached, bare),
    }


def _ratio(page: dict, bare: dict) -> float:
    return round(page["per_second"] / bare["per_second"], 3) if bare["per_second"] else 0


# ---------------------------------------------------------------- report


# The bare route under gunicorn (4 workers) on 24 November 2026, when the targets were first met: the machine's
# speed varies from day to day, and this says by how much.
REFERENCE_DAY = "24 November 2026"
REFERENCE_BARE_PER_SECOND = {"sqlite": 1122, "postgresql": 728}
GROWTH_LIMIT = 1.5  # p95 at a larger scale may be at most this multiple of scale 1's
GROWTH_NOISE_MS = 2.0  # ... unless within this many milliseconds of it (timer and scheduler noise)


def growth(run: dict, all_runs: list[dict], name: str) -> float | None:
    """p95 at this run's scale over p95 at scale 1 on the same backend (None without a scale-1 run)."""
    base = next((r for r in all_runs if r["backend"] == run["backend"] and r["scale"] == 1), None)
    if base is None or not base["pages"][name]["p95_ms"]:
        return None
    return round(run["pages"][name]["p95_ms"] / base["pages"][name]["p95_ms"], 2)


def verdicts(run: dict, all_runs: list[dict]) -> list[str]:
    """Every scale is judged: each page's p95 against its target, its statements against the limit and the other
    scales, and, above scale 1, its growth from scale 1."""
    problems = []
    if run["seed_seconds"] > 120 * max(run["scale"], 1):
        problems.append(f"seeding took {run['seed_seconds']} s (target {120 * max(run['scale'], 1):.0f} s)")
    for name, page in run["pages"].items():
        if page["status"] != 200:
            problems.append(f"{name}: HTTP {page['status']}")
        if page["target_p95_ms"] is None:
            continue
        if page["p95_ms"] > page["target_p95_ms"]:
            problems.append(f"{name}: p95 {page['p95_ms']} ms (target {page['target_p95_ms']} ms)")
        grew = growth(run, all_runs, name)
        base_p95 = page["p95_ms"] / grew if grew else 0
        if run["scale"] > 1 and grew and grew > GROWTH_LIMIT and page["p95_ms"] - base_p95 > GROWTH_NOISE_MS:
            problems.append(f"{name}: p95 {grew}× scale 1's (limit {GROWTH_LIMIT}×)")
        if page["statements"] > STATEMENT_LIMIT:
            problems.append(f"{name}: {page['statements']} statements (limit {STATEMENT_LIMIT})")
        others = {r["pages"][name]["statements"] for r in all_runs if r["backend"] == run["backend"]}
        if len(others) > 1:
            problems.append(f"{name}: statements differ across scales {sorted(others)}")
    throughput = run.get("throughput")
    if throughput and throughput["ratio"] < THROUGHPUT_TARGET:
        problems.append(f"agenda throughput {throughput['ratio']:.0%} of the bare route (target 40%)")
    return problems


def markdown(results: dict) -> str:
    lines = []
    verdict = [
        f"{r['backend']} scale {r['scale']}: " + (f"{len(r['problems'])} missed" if r["problems"] else "all met")
        for r in results["runs"]
    ]
    lines.append("Targets, every scale run: " + "; ".join(verdict) + ".")
    lines.append("")
    for run in results["runs"]:
        counts = run["counts"]
        lines += [
            f"### {run['backend']}, scale {run['scale']} — {counts['meetings']:,} meetings, {counts['families']:,} "
            f"families, {counts['discussions']:,} discussions, {counts['actions']:,} actions; seeded in "
            f"{run['seed_seconds']} s",
            "",
            "| Page | p50 ms | p95 ms | target p95 | growth from scale 1 | × bare route | SQL statements | "
            "Python calls |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        bare = run["pages"].get(BARE, {}).get("p95_ms")
        for name, page in run["pages"].items():
            grew = run.get("growth", {}).get(name)
            times = f"{page['p95_ms'] / bare:.1f}" if bare else "–"
            calls = f"{page['python_calls']:,}" if "python_calls" in page else "–"  # runs before 1 December lack it
            lines.append(
                f"| {name} | {page['p50_ms']} | {page['p95_ms']} | {page['target_p95_ms'] or '–'} | "
                f"{f'{grew}×' if grew is not None else '–'} | {times} | {page['statements']} | {calls} |"
            )
        throughput = run.get("throughput")
        if throughput:
            lines += [
                "",
                f"gunicorn, {throughput['workers']} workers, {throughput['client_threads']} client threads, "
                f"{throughput['seconds']} s each: bare route {throughput['bare']['per_second']} req/s, agenda "
                f"{throughput['agenda']['per_second']} req/s — **{throughput['ratio']:.0%}** of bare; with the "
                f"page cache off, agenda {throughput['agenda_uncached']['per_second']} req/s — "
                f"{throughput['ratio_uncached']:.0%} (failed: "
                f"{sum(throughput[k]['failed'] for k in ('bare', 'agenda', 'agenda_uncached'))}).",
            ]
            reference = REFERENCE_BARE_PER_SECOND.get(run["backend"])
            if reference and throughput["bare"]["per_second"]:
                lines.append(
                    f"The bare route served {reference:,} req/s here on {REFERENCE_DAY}: this machine ran "
                    f"{reference / throughput['bare']['per_second']:.1f}× as slow as then."
                )
        if run.get("cpu_stolen") is not None:
            lines += [
                "",
                f"While the pages of every scale were timed, other guests of this machine's host took "
                f"{run['cpu_stolen']:.0%} of the CPU time it wanted (steal, from /proc/stat).",
            ]
        problems = run["problems"]
        lines += ["", f"Targets at scale {run['scale']}: " + ("all met." if not problems else "; ".join(problems)), ""]
    return "\n".join(lines)


CODE = ("lehc", "bench", "migrations", "wsgi.py", "requirements.txt")


def code_version() -> str:
    """The commit measured, recorded beside the figures ("+changes" when the code run, the app's or the bench's,
    differs from it)."""
    git = shutil.which("git")
    if git is None:
        return "unknown"
    head = subprocess.run([git, "rev-parse", "--short", "HEAD"], cwd=ROOT.parent, capture_output=True, text=True)  # noqa: S603
    changed = subprocess.run(  # noqa: S603
        [git, "status", "--porcelain", "--untracked-files=no", "--", *CODE, ":!bench/results"],
        cwd=ROOT.parent,
        capture_output=True,
        text=True,
    )
    if head.returncode:
        return "unknown"
    return head.stdout.strip() + ("+changes" if changed.stdout.strip() else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, action="append", help="dataset scale (repeatable); default 0.1, 1, 10")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--seconds", type=float, default=10, help="seconds per throughput measurement")
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args(argv)
    scales = sorted(args.scale or [0.1, 1, 10])
    backends = args.backend or ["sqlite"] + (["postgresql"] if _postgres_available() else [])
    results = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": code_version(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": [],
    }
    for backend in backends:
        cluster = _start_postgres() if backend == "postgresql" else None
        try:
            runs, databases = [], []
            for scale in scales:
                url = fresh_database(backend, scale, cluster)
                print(f"[bench] {backend} scale {scale}: seeding", flush=True)
                seeded = seed_database(url, scale)
                print(f"[bench]   seeded in {seeded.seconds} s: {seeded.counts}", flush=True)
                runs.append(
                    {"backend": backend, "scale": scale, "counts": seeded.counts, "seed_seconds": seeded.seconds}
                )
                databases.append((url, seeded))
            print(f"[bench] {backend}: measuring the pages of every scale in turn", flush=True)
            prepared = [prepare_pages(url, seeded) for url, seeded in databases]
            before = cpu_ticks()
            time_pages(prepared, args.requests)
            stolen = stolen_share(before, cpu_ticks())
            for run, pages in zip(runs, prepared, strict=True):
                run["pages"] = pages.results
                run["cpu_stolen"] = stolen
            if not args.no_throughput:
                print(f"[bench] {backend} scale {scales[-1]}: throughput under gunicorn", flush=True)
                runs[-1]["throughput"] = measure_throughput(*databases[-1], args.seconds)
            for run in runs:
                run["growth"] = {name: growth(run, runs, name) for name in run["pages"]}
                run["problems"] = verdicts(run, runs)
            results["runs"] += runs
        finally:
            if cluster is not None:
                cluster.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    heading = f"# LEHC benchmark, {results['started']}, at {results['commit']}"
    (RESULTS / "latest.md").write_text(f"{heading}\n\n{table}\n")
    print(table)
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


def _postgres_available() -> bool:
    from tests.support.postgres import find_bindir

    return bool(os.environ.get("DATABASE_URL", "").startswith("postgresql")) or find_bindir() is not None


def _start_postgres():
    from tests.support.postgres import start_cluster

    return start_cluster()


if __name__ == "__main__":
    sys.exit(main())
