"""Browser journeys: Debian's Chromium driven by Playwright against one served app for the whole run.

The served app is built the way `make run` builds it: Alembic migrations from an empty SQLite file, then
the demo data.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lehc.demo import load_demo_data
from lehc.extensions import db
from tests.conftest import make_test_app
from tests.support.external import require
from tests.support.postgres import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "journey demo password"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def served_app(tmp_path_factory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("served") / "lehc.db"
    app = make_test_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=True, DEMO_PASSWORD=DEMO_PASSWORD)
    with app.app_context():
        upgrade()
        load_demo_data(db.session, DEMO_PASSWORD)
        db.session.commit()
        db.session.remove()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


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
