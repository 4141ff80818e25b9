"""The agenda served again from lehc.page_cache: never stale, never someone else's, never an old CSRF token."""

import re
import time as clock
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from lehc import page_cache
from lehc.extensions import db as _db
from lehc.meetings import services
from lehc.models import AgendaItem, AuditEvent, Meeting, MembershipKind, ResponseKind, Role
from tests.conftest import make_test_app, parse, sign_in_as

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')  # as the page is served
TOKEN_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')  # as the parser writes it back, attributes sorted


@pytest.fixture
def meeting(factories, db):
    """A published Durham meeting: the Smith item for core members, the Jones item also for the police officer."""
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, name="Pat Police")
    meeting = factories.meeting("DUR")
    factories.item(meeting, reference="DUR-2026-0001", title="Smith family: attendance worries")
    factories.item(meeting, reference="DUR-2026-0002", title="Jones family: exploitation risk", call_on=[police])
    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    meeting.police = police
    return meeting


def version(db) -> int:
    return page_cache.current_version(db.session)


def statements_of(app) -> dict:
    counted = {"n": 0}
    with app.app_context():
        event.listen(_db.engine, "before_cursor_execute", lambda *_: counted.__setitem__("n", counted["n"] + 1))
    return counted


def agenda_text(response) -> str:
    return parse(response).select_one("[data-testid=agenda]").get_text(" ", strip=True)


def main_content(response) -> str:
    """The page's own content, without the per-response CSRF tokens (the layout's CSP nonce is per response too)."""
    return TOKEN_INPUT.sub("", str(parse(response).select_one("main")))


def test_the_data_version_moves_on_with_each_committed_change_and_only_then(app, db, meeting):
    start = version(db)
    meeting.venue = "Seaham Family Hub"
    db.session.commit()
    assert version(db) == start + 1

    db.session.commit()  # nothing changed
    meeting.venue = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert version(db) == start + 1

    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(venue="Stanley Hub"))
    db.session.commit()
    assert version(db) == start + 2

    db.session.add(AuditEvent(action="view", object_type="family"))  # written on reads; no cached part shows it
    db.session.commit()
    assert version(db) == start + 2

    client = sign_in_as(app.test_client(), meeting.organiser)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert client.get("/").status_code == 200
    assert version(db) == start + 2  # reading changes nothing


def test_a_repeat_view_is_served_from_the_cache_unchanged_and_with_fewer_queries(app, meeting):
    counted = statements_of(app)
    client = sign_in_as(app.test_client(), meeting.organiser)
    first = client.get(f"/meetings/{meeting.id}")
    rendering = counted["n"]
    counted["n"] = 0
    second = client.get(f"/meetings/{meeting.id}")
    assert first.status_code == second.status_code == 200
    assert main_content(second) == main_content(first)
    assert "Publish" not in agenda_text(second) and "Smith family: attendance worries" in agenda_text(second)
    # the user, the session check, the meeting (access is decided on the route, before the cache) and the data version
    assert counted["n"] <= 4 < rendering
    assert len(page_cache.cache_of(app)) == 1


def test_each_person_gets_their_own_view(app, meeting):
    chair = sign_in_as(app.test_client(), meeting.organiser)
    police = sign_in_as(app.test_client(), meeting.police)
    for _ in range(2):
        chair_page, police_page = chair.get(f"/meetings/{meeting.id}"), police.get(f"/meetings/{meeting.id}")
        assert "Smith family: attendance worries" in agenda_text(chair_page)
        assert "DUR-2026-0001: not shared with you" in agenda_text(police_page)
        assert "Jones family: exploitation risk" in agenda_text(police_page)
        assert "Cancel meeting" in chair_page.get_data(as_text=True)
        assert "Cancel meeting" not in police_page.get_data(as_text=True)


def test_a_change_committed_by_another_worker_is_seen_at_the_next_request(app, db, meeting):
    """The test's own session belongs to a second app on the same database: another worker, as in gunicorn."""
    chair = sign_in_as(app.test_client(), meeting.organiser)
    police = sign_in_as(app.test_client(), meeting.police)
    url = f"/meetings/{meeting.id}"
    chair.get(url), police.get(url)

    smith = db.session.scalar(select(AgendaItem).where(AgendaItem.title.startswith("Smith")))
    smith.title = "Smith family: attendance and housing"
    db.session.commit()
    assert "Smith family: attendance and housing" in agenda_text(chair.get(url))

    services.record_response(meeting, meeting.police, ResponseKind.APOLOGIES)
    db.session.commit()
    response = parse(police.get(url)).select_one("[data-testid=my-response]")
    assert response.get_text(" ", strip=True) == "Your response: Apologies"

    assert "Room flooded" not in chair.get(url).get_data(as_text=True)  # stored again, then a bulk statement:

    db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id).values(cancelled_reason="Room flooded", status="cancelled")
    )
    db.session.commit()
    assert "Room flooded" in chair.get(url).get_data(as_text=True)

    jones = db.session.scalar(select(AgendaItem).where(AgendaItem.title.startswith("Jones")))
    jones.call_on_members.remove(meeting.police)
    db.session.commit()
    assert police.get(url).status_code == 404  # no longer called on: the stored view is not served


def test_a_stored_page_carries_each_sessions_own_csrf_token(database_url, meeting):
    protected = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    first = sign_in_as(protected.test_client(), meeting.organiser)
    second = sign_in_as(protected.test_client(), meeting.organiser)  # signed in again elsewhere
    url = f"/meetings/{meeting.id}"
    first_page = first.get(url).get_data(as_text=True)
    second_page = second.get(url).get_data(as_text=True)  # served from the cache
    assert len(page_cache.cache_of(protected)) == 1
    assert page_cache.CSRF_PLACEHOLDER not in first_page + second_page
    first_token, second_token = TOKEN.findall(first_page)[0], TOKEN.findall(second_page)[0]
    assert first_token != second_token

    smith = parse(second.get(url)).select_one("form[action$='/move']")
    moved = second.post(smith["action"], data={"csrf_token": second_token, "direction": "down"})
    assert moved.status_code == 302
    assert first.post(smith["action"], data={"csrf_token": second_token, "direction": "up"}).status_code == 400


def test_the_run_the_meeting_button_appears_when_the_meeting_starts(app, db, meeting):
    chair = sign_in_as(app.test_client(), meeting.organiser)
    url = f"/meetings/{meeting.id}"
    chair.get(url)  # signed in and the page's templates compiled before the clock starts (CI's machine is slow)
    meeting.starts_at = datetime.now(UTC) + timedelta(seconds=3)
    db.session.commit()
    assert "Run the meeting" not in chair.get(url).get_data(as_text=True)
    assert "Run the meeting" not in chair.get(url).get_data(as_text=True)  # stored, until the start
    clock.sleep(max(0, (meeting.starts_at - datetime.now(UTC)).total_seconds()) + 0.1)
    assert "Run the meeting" in chair.get(url).get_data(as_text=True)


def test_nothing_is_stored_while_the_session_holds_uncommitted_changes(app, meeting):
    far = datetime.now(UTC) + timedelta(hours=1)
    with app.test_request_context():
        _db.session.get(Meeting, meeting.id).venue = "Not committed"
        part = page_cache.fetch(_db.session, ("test", 1), lambda: page_cache.Part("draft", far))
        assert part.html == "draft"
        assert len(page_cache.cache_of(app)) == 0
        _db.session.rollback()
        page_cache.fetch(_db.session, ("test", 1), lambda: page_cache.Part("clean", far))
        assert page_cache.fetch(_db.session, ("test", 1), lambda: page_cache.Part("again", far)).html == "clean"
        _db.session.remove()


def test_the_cache_can_be_switched_off(database_url, meeting):
    uncached = make_test_app(database_url, PAGE_CACHE_SIZE=0)
    counted = statements_of(uncached)
    chair = sign_in_as(uncached.test_client(), meeting.organiser)
    chair.get(f"/meetings/{meeting.id}")
    first, counted["n"] = counted["n"], 0
    assert "Smith family: attendance worries" in agenda_text(chair.get(f"/meetings/{meeting.id}"))
    assert counted["n"] == first
    assert len(page_cache.cache_of(uncached)) == 0
