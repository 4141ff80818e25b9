"""LEHC behind a load balancer: two app servers (gunicorn, as in production) on different loopback ports over one
database (PostgreSQL in CI, an SQLite file here too) and one Redis. What one server knows, the other knows:
the sign-in rate limit is counted across both, a session opened on one is good on the other and ended on both,
and a change made through one is on the other's next page, page cache or not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup

from lehc.models import Role
from tests.conftest import TEST_PASSWORD
from tests.support.external import require_program
from tests.support.postgres import free_port
from tests.support.redis import RedisServer

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 4  # sign-in attempts per minute from one address, across every server


@pytest.fixture
def redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(require_program("redis-server"), tmp_path / "redis")
    server.start()
    yield server
    server.stop()


class AppServer:
    """`gunicorn wsgi:app` with the settings a second server in production would have."""

    def __init__(self, database_url: str, redis_url: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "LEHC_ENV": "test",
            "SECRET_KEY": "test-secret-key-at-least-32-bytes-long",  # the same on every server
            "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "LEHC_RATELIMIT_ENABLED": "true",
            "LEHC_SIGN_IN_RATE_LIMIT": f"{LIMIT} per minute",
            "LEHC_TRUSTED_PROXIES": "1",  # the load balancer says who the client is
            "LEHC_TOTP_REQUIRED": "false",
        }
        command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--no-control-socket"]
        command += ["--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the app server stopped"
            try:
                if requests.get(self.base + "/healthz", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.1)
        raise AssertionError("the app server did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def servers(db, database_url, redis) -> Iterator[tuple[AppServer, AppServer]]:
    db.session.commit()
    pair = (AppServer(database_url, redis.url), AppServer(database_url, redis.url))
    try:
        for server in pair:
            server.wait_until_up()
        yield pair
    finally:
        for server in pair:
            server.stop()


def browser(client_address: str) -> requests.Session:
    """One person's browser, arriving through the load balancer from `client_address`. Cookies are per host, not
    per port, so the browser carries the same session to either server."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = client_address
    return session


def csrf_token(page: requests.Response) -> str:
    return BeautifulSoup(page.text, "html.parser").select_one("input[name=csrf_token]")["value"]


def try_sign_in(session: requests.Session, server: AppServer, email: str, password: str) -> requests.Response:
    token = csrf_token(session.get(server.base + "/sign-in"))
    form = {"email": email, "password": password, "csrf_token": token}
    return session.post(server.base + "/sign-in", data=form, allow_redirects=False)


def test_the_sign_in_limit_is_counted_across_both_servers(servers):
    first, second = servers
    guesser = browser("203.0.113.7")
    answers = [
        try_sign_in(guesser, (first, second)[attempt % 2], f"nobody{attempt}@example.org", "wrong").status_code
        for attempt in range(LIMIT + 2)
    ]
    # N per minute in all, not N on each server (which would have answered 200 eight times)
    assert answers == [200] * LIMIT + [429, 429]
    # another address is not held back by it, on either server
    assert try_sign_in(browser("203.0.113.8"), second, "nobody@example.org", "wrong").status_code == 200


def test_a_session_opened_on_one_server_is_good_on_the_other_and_ends_on_both(servers, factories):
    first, second = servers
    chair = factories.user(Role.CHAIR, seat="Chair")
    person = browser("203.0.113.20")
    assert try_sign_in(person, first, chair.email, TEST_PASSWORD).status_code == 302

    dashboard = person.get(second.base + "/", allow_redirects=False)
    assert dashboard.status_code == 200 and "<h1" in dashboard.text and "Dashboard" in dashboard.text

    old_cookies = person.cookies.copy()
    signed_out = person.post(second.base + "/sign-out", data={"csrf_token": csrf_token(dashboard)})
    assert signed_out.status_code == 200
    # the old cookie, replayed to either server, is no longer a session: it was ended in the database
    replay = browser("203.0.113.20")
    replay.cookies.update(old_cookies)
    for server in (first, second):
        refused = replay.get(server.base + "/", allow_redirects=False)
        assert refused.status_code == 302 and "/sign-in" in refused.headers["Location"]


def test_a_change_through_one_server_is_on_the_others_next_page(servers, factories):
    first, second = servers
    coordinator = factories.user(Role.COORDINATOR, seat="Coordinator")
    meeting = factories.meeting(organiser=coordinator)
    item = factories.item(meeting, title="Attendance worries at the primary")
    person = browser("203.0.113.30")
    assert try_sign_in(person, first, coordinator.email, TEST_PASSWORD).status_code == 302
    agenda = f"/meetings/{meeting.id}"

    for _ in range(3):  # rendered once, then served from the second server's page cache
        page = person.get(second.base + agenda)
        assert page.status_code == 200 and "Attendance worries at the primary" in page.text

    removed = person.post(
        first.base + f"/meetings/{meeting.id}/items/{item.id}/remove",
        data={"csrf_token": csrf_token(page)},
        allow_redirects=False,
    )
    assert removed.status_code == 302
    after = person.get(second.base + agenda)
    assert after.status_code == 200
    assert "Attendance worries at the primary" not in after.text


def test_sign_in_still_answers_when_redis_is_gone(servers, redis, factories):
    """Limits then fall back to each server's own memory (and the database's throttle still counts failures):
    sign-in slows down less, but never fails."""
    first, _ = servers
    chair = factories.user(Role.CHAIR, seat="Chair")
    redis.stop()
    person = browser("203.0.113.40")
    assert try_sign_in(person, first, "nobody@example.org", "wrong").status_code == 200
    assert try_sign_in(person, first, chair.email, TEST_PASSWORD).status_code == 302
