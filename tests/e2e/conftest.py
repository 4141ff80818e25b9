"""Browser journeys: Debian's Chromium driven by Playwright against one served app for the whole run.

The served app is built the way `make run` builds it: Alembic migrations from an empty SQLite file, then
the demo data.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_migrate import upgrade
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from lehc.demo import load_demo_data
from lehc.extensions import db
from lehc.models import User
from tests.conftest import make_test_app
from tests.support.external import require
from tests.support.postgres import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "journey demo password"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# Authenticator secrets of the demo accounts, as their phones would hold them (the admin enrols in a journey).
SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}
NOT_ENROLLED = {"admin@example.org"}


@pytest.fixture(scope="session")
def served_app(tmp_path_factory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("served") / "lehc.db"
    app = make_test_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=True, DEMO_PASSWORD=DEMO_PASSWORD, TOTP_REQUIRED=True)
    with app.app_context():
        upgrade()
        load_demo_data(db.session, DEMO_PASSWORD)
        for user in db.session.scalars(select(User)):
            if user.email not in NOT_ENROLLED:
                user.totp_secret = SECRETS[user.email] = pyotp.random_base32()
        db.session.commit()
        db.session.remove()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


def authenticator_code(email: str) -> str:
    """The code the user's phone shows, never one already used (the server refuses replays)."""
    totp = pyotp.TOTP(SECRETS[email])
    current = int(time.time() // 30)
    step = max(current, _LAST_STEP.get(email, 0) + 1)
    if step > current + 1:  # both usable steps are spent: wait for the next one
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    _LAST_STEP[email] = step
    return totp.at(step * 30)


def sign_in(page, base_url: str, email: str) -> None:
    """Password, then the authenticator code: the whole sign-in as a person does it."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(email))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def choose_person(page, label: str, typed: str) -> str:
    """Use a person picker as a person does: type part of a name or agency into the type-ahead and choose the first
    suggestion. Returns what was chosen ("name, agency")."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("role", "combobox")  # the <select> was enhanced
    field.fill(typed)
    option = page.locator(".autocomplete__option:not(.autocomplete__option--no-results)").first
    expect(option).to_be_visible()
    chosen = option.inner_text()
    option.click()
    expect(field).to_have_value(chosen)
    return chosen


def lehc_rows(table):
    """A locality's meetings table's LEHC rows: every demo locality also holds weekly step up / step down meetings,
    so its tables name each meeting's kind."""
    return table.locator("tbody tr").filter(has_text="LEHC")


def choose_family(page, reference: str) -> None:
    """Choose a family on the agenda's item form by its reference (the option says more after it)."""
    select = page.get_by_label("Family", exact=True)
    select.select_option(value=select.locator("option", has_text=reference).get_attribute("value"))


@pytest.fixture(scope="session")
def base_url(served_app) -> str:
    expect.set_options(timeout=5_000)  # a journey step that takes longer than this is a failure, not a wait
    return served_app


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require(CHROMIUM.exists(), "Chromium (Debian package chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves a full-page PNG under test-artifacts/screenshots/ for a person to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(page, axe):
    """Run axe-core (WCAG 2.x A and AA) on the current page and fail with its report on any violation."""

    def check() -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"
        # GOV.UK pattern axe does not enforce: every group of radios, checkboxes or date boxes has a visible legend
        legends = page.locator("fieldset.govuk-fieldset").evaluate_all(
            "sets => sets.map(set => (set.querySelector('legend') || {}).textContent || '').map(t => t.trim())"
        )
        assert all(legends), f"a fieldset without a legend on {page.url}: {legends}"

    return check
