"""One search box (issue 12): families by reference or name, meetings by date or reference, actions by words; every
result through the access rules of the page it links to, and names searched for audited but never written down."""

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lehc.meetings import services as meeting_services
from lehc.models import Action, AuditEvent, DiscussionType, MembershipKind, Role
from tests.conftest import parse, sign_in_as


@pytest.fixture
def world(db, factories):
    presenter = factories.user(Role.MEMBER, locality=None, name="Pat Presenter")
    core = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    meeting = factories.meeting("DUR", day=date.today() + timedelta(days=9))
    named = factories.family(
        "DUR", reference="DUR-2026-0101", presenter=presenter, children=[("Kayden Smith", date(2018, 5, 4))]
    )
    anonymous = factories.family(
        "DUR", reference="DUR-2026-0102", consent=False, children=[("Ruby Hartley", date(2020, 1, 1))]
    )
    withdrawn = factories.family("DUR", reference="DUR-2026-0103", children=[("Mason Withdrew", date(2019, 2, 2))])
    factories.item(meeting, family=named)
    factories.item(meeting, family=anonymous, discussion_type=DiscussionType.ANONYMOUS)
    factories.item(meeting, family=withdrawn)
    meeting_services.publish_agenda(meeting, meeting.organiser)
    withdrawn.consents[0].withdrawn_on = date.today() - timedelta(days=1)
    db.session.add(Action(meeting=meeting, description="Book the 100% bigger room", owner=core, due_on=date.today()))
    db.session.commit()
    return {"presenter": presenter, "core": core, "meeting": meeting, "named": named, "anonymous": anonymous}


def found(client, query: str) -> dict[str, list[str]]:
    page = parse(client.post("/search", data={"query": query}))
    return {
        kind: [
            " ".join(li.get_text(" ", strip=True).split()).replace(" ,", ",")
            for li in page.select(f"[data-testid={kind}-results] li")
        ]
        for kind in ("family", "meeting", "action")
    }


def test_a_family_is_found_by_reference_or_name_only_by_those_who_may_see_its_record(app, db, factories, world, caplog):
    caplog.set_level(logging.DEBUG)
    presenter = sign_in_as(app.test_client(), world["presenter"])
    assert found(presenter, "0101")["family"] == ["DUR-2026-0101, Durham"]
    [hit] = found(presenter, "kayden")["family"]
    assert hit.startswith("DUR-2026-0101") and "Matched: Kayden Smith" in hit

    core = sign_in_as(app.test_client(), world["core"])
    assert [hit.split(",")[0] for hit in found(core, "smith")["family"]] == ["DUR-2026-0101"]
    # known to core members only through an anonymous consultation: never found, by reference or by name
    assert found(core, "DUR-2026-0102")["family"] == [] and found(core, "Hartley")["family"] == []
    assert found(core, "Withdrew")["family"] == [] and found(core, "0103")["family"] == []  # consent withdrawn
    elsewhere = sign_in_as(app.test_client(), factories.user(Role.MEMBER, locality="EAS", seat="CAMHS"))
    assert found(elsewhere, "Smith") == {"family": [], "meeting": [], "action": []}
    called_on = sign_in_as(app.test_client(), factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON))
    assert found(called_on, "Kayden")["family"] == []

    trail = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "found_by_name")).all()
    assert {(event.user_id, event.family_id) for event in trail} == {
        (world["presenter"].id, world["named"].id),
        (world["core"].id, world["named"].id),
    }
    searches = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "search")).all()
    assert len(searches) >= 8 and "1 families (1 by name), 0 meetings, 0 actions" in searches  # each search, its counts
    everything = " ".join(f"{e.action} {e.object_type} {e.detail}" for e in db.session.scalars(select(AuditEvent)))
    assert "Kayden" not in everything and "kayden" not in everything and "Hartley" not in everything
    assert "ayden" not in caplog.text.lower() and "hartley" not in caplog.text.lower()  # nor in any log


def test_meetings_by_date_or_reference_and_actions_by_words(app, world):
    core = sign_in_as(app.test_client(), world["core"])
    meeting = world["meeting"]
    day = meeting.day
    for query in (f"{day.day}/{day.month}/{day.year}", day.isoformat(), f"{day.day} {day:%B %Y}", meeting.reference):
        [hit] = found(core, query)["meeting"]
        assert hit.startswith("Durham LEHC:"), query
    assert len(found(core, "Durham")["meeting"]) == 1
    assert found(core, "DUR-LEHC-20261399")["meeting"] == []

    [action] = found(core, "100% bigger")["action"]
    assert action.startswith("Book the 100% bigger room") and "Meeting action" in action
    assert found(core, "%%")["action"] == [] and found(core, "__")["family"] == []


def test_a_search_says_what_is_wrong_and_keeps_the_words_out_of_the_address(app, world):
    core = sign_in_as(app.test_client(), world["core"])
    page = parse(core.post("/search", data={"query": ""}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter what to search for"
    for too_short in ("K", "  K  ", " a b"[:2]):
        page = parse(core.post("/search", data={"query": too_short}))
        assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter between 2 and 100 characters"
    form = parse(core.get("/search")).select_one("form[role=search]")
    assert form["method"] == "post"
