"""Two people saving the same shared record at the same moment (issue 9, finding 6): threads against one real
database (SQLite here, PostgreSQL in CI). Both requests read the record before either writes (a barrier holds each
at its first write); then the database decides. One save wins, the other is told on the form with its own text
kept; nothing is lost silently and nothing answers 500."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from lehc.meetings import services as meeting_services
from lehc.models import AgendaItem, Discussion, Family, Meeting, Role
from tests.conftest import parse, sign_in_as

WRITES = ("INSERT", "UPDATE", "DELETE")


class BothReadFirst:
    """Holds each of two request threads at its first write until both have reached one."""

    def __init__(self, engine):
        self.engine, self.barrier, self.held = engine, threading.Barrier(2, timeout=20), threading.local()

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        worker = threading.current_thread().name.startswith("saver-")
        if worker and statement.lstrip().upper().startswith(WRITES) and not getattr(self.held, "done", False):
            self.held.done = True
            self.barrier.wait()


def save_at_once(app, posts: list[tuple]) -> list:
    """Run each (client, url, data) POST in its own thread, both reading before either writes."""
    responses: list = [None, None]
    errors: list = []

    def run(index, client, url, data):
        try:
            responses[index] = client.post(url, data=data)
        except Exception as error:  # noqa: BLE001 - reported below with the test's failure
            errors.append(error)

    with BothReadFirst(_engine(app)):
        threads = [
            threading.Thread(target=run, args=(index, *post), name=f"saver-{index}") for index, post in enumerate(posts)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    return responses


def _engine(app):
    with app.app_context():
        from lehc.extensions import db

        return db.engine


@pytest.fixture
def people(app, factories, db):
    chair = factories.user(Role.CHAIR, locality="DUR", name="Alice Chair")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR", name="Bob Coordinator")
    family = factories.family("DUR", reference="DUR-2026-0301", summary="As it was")
    meeting = factories.meeting("DUR", organiser=coordinator)
    meeting.starts_at = datetime.now(UTC) - timedelta(hours=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    presenter = factories.user(Role.MEMBER, locality="DUR", name="Pat Presenter")
    item = factories.item(meeting, family=family, title="Attendance")
    item.presenter = presenter
    meeting_services.publish_agenda(meeting, coordinator)
    db.session.commit()
    alice, bob = sign_in_as(app.test_client(), chair), sign_in_as(app.test_client(), coordinator)
    return {"alice": alice, "bob": bob, "family": family, "meeting": meeting, "item": item, "presenter": presenter}


def _outcome(responses, texts: dict[str, str], kept_in) -> str:
    """Which of the two saved: one redirect, one form showing the conflict with the loser's own text in it."""
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302], [parse(r).select_one(".govuk-error-summary") for r in responses]
    winner = next(name for name, response in zip(texts, responses, strict=True) if response.status_code == 302)
    loser = next(name for name in texts if name != winner)
    page = parse(responses[list(texts).index(loser)])
    assert "Someone else" in page.select_one(".govuk-error-summary").get_text()
    assert kept_in(page) == texts[loser]  # the loser's text is still in the form, ready to save again
    return winner


def test_two_simultaneous_family_edits_keep_one_and_tell_the_other(app, db, people):
    family = people["family"]
    url = f"/families/{family.id}/edit"
    version = parse(people["alice"].get(url)).select_one("input[name=version]")["value"]

    def form(summary):
        return {"summary": summary, "requested_on": ["1", "9", "2026"], "lead_practitioner_id": "0", "version": version}

    texts = {"alice": "Alice's summary", "bob": "Bob's summary"}
    responses = save_at_once(app, [(people[name], url, form(text)) for name, text in texts.items()])

    winner = _outcome(responses, texts, lambda page: page.select_one("#summary").get_text())
    db.session.expire_all()
    assert db.session.get(Family, family.id).summary == texts[winner]
    loser_page = parse(responses[0] if winner == "bob" else responses[1])
    assert texts[winner] in loser_page.select_one("[data-testid=conflict-saved]").get_text()


def test_two_simultaneous_item_edits_keep_one_and_tell_the_other(app, db, people):
    meeting, item = people["meeting"], people["item"]
    url = f"/meetings/{meeting.id}/items/{item.id}/edit"
    page = parse(people["bob"].get(url))
    base = {
        "version": page.select_one("input[name=version]")["value"],
        "family_id": str(item.family_id),
        "discussion_type": "new",
        "presenter_id": str(people["presenter"].id),
        "duration_minutes": "20",
    }
    texts = {"alice": "Attendance and a young carer", "bob": "Attendance and housing"}
    responses = save_at_once(app, [(people[name], url, {**base, "title": text}) for name, text in texts.items()])

    winner = _outcome(responses, texts, lambda page: page.select_one("#title")["value"])
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).title == texts[winner]


BLANK_ACTIONS = {
    f"new_actions-{n}-{field}": value
    for n in (0, 1)
    for field, value in (("description", ""), ("owner_id", "0"), ("owner_agency_id", "0"))
}


def discussion(worries: str, version: str) -> dict:
    return {"worries": worries, "version": version, "decision": "taf", **BLANK_ACTIONS}


@pytest.mark.parametrize("existing", [False, True], ids=["first save", "later save"])
def test_two_simultaneous_discussion_saves_keep_one_and_tell_the_other(app, db, people, existing):
    meeting, item = people["meeting"], people["item"]
    url = f"/meetings/{meeting.id}/items/{item.id}/discussion"
    if existing:
        assert people["bob"].post(url, data=discussion("First words", "0")).status_code == 302
    version = parse(people["alice"].get(url)).select_one("input[name=version]")["value"]
    texts = {"alice": "Alice's worries", "bob": "Bob's worries"}
    responses = save_at_once(
        app,
        [(people[name], url, discussion(text, version)) for name, text in texts.items()],
    )

    winner = _outcome(responses, texts, lambda page: page.select_one("#worries").get_text())
    db.session.expire_all()
    discussions = db.session.query(Discussion).filter_by(item_id=item.id).all()
    assert [d.worries for d in discussions] == [texts[winner]]


def test_two_simultaneous_notes_saves_keep_one_and_tell_the_other(app, db, people):
    meeting = people["meeting"]
    original = parse(people["alice"].get(f"/meetings/{meeting.id}/run")).select_one("input[name=original]")["value"]
    url = f"/meetings/{meeting.id}/minutes/notes"
    texts = {"alice": "Alice's AOB", "bob": "Bob's AOB"}
    responses = save_at_once(
        app, [(people[name], url, {"original": original, "minutes_notes": text}) for name, text in texts.items()]
    )

    winner = _outcome(responses, texts, lambda page: page.select_one("#minutes_notes").get_text())
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).minutes_notes == texts[winner]


def test_two_simultaneous_reschedules_keep_one_and_tell_the_other(app, db, people):
    meeting = people["meeting"]
    url = f"/meetings/{meeting.id}/reschedule"
    version = parse(people["bob"].get(url)).select_one("input[name=version]")["value"]
    day = meeting.starts_at.date() + timedelta(days=14)
    texts = {"alice": "Sedgefield Hub", "bob": "Spennymoor Library"}

    def form(venue):
        return {
            "day": [str(day.day), str(day.month), str(day.year)],
            "start_time": "9:30",
            "duration_minutes": "120",
            "venue": venue,
            "version": version,
        }

    responses = save_at_once(app, [(people[name], url, form(text)) for name, text in texts.items()])

    winner = _outcome(responses, texts, lambda page: page.select_one("#venue")["value"])
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).venue == texts[winner]
