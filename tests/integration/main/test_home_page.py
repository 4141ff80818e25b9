"""The home page and the small things a chair, a coordinator and a member met on their first day (issue 12)."""

from datetime import date, timedelta

from lehc.models import Action, Role
from tests.conftest import parse, sign_in_as


def test_a_coordinator_is_told_what_they_coordinate_not_that_they_hold_a_seat(app, factories):
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    text = parse(sign_in_as(app.test_client(), coordinator).get("/")).select_one("main").get_text(" ", strip=True)
    assert "You coordinate Durham LEHC" in text and "core member" not in text
    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    text = parse(sign_in_as(app.test_client(), member).get("/")).select_one("main").get_text(" ", strip=True)
    assert "You sit at Durham LEHC (core member, CAMHS)." in text


def test_my_actions_say_which_family_and_which_are_overdue(app, db, factories):
    member = factories.user(Role.MEMBER, locality="DUR")
    meeting = factories.meeting("DUR")
    item = factories.item(meeting, reference="DUR-2026-0042")
    from lehc.families import services as family_services

    family_services.record_discussion(
        item,
        mapping={"worries": "Worries"},
        scores={},
        decision=None,
        decision_notes="",
        review_on=None,
        new_actions=[
            {"description": "Call the school", "owner_id": member.id, "owner_agency_id": None, "due_on": date.today()}
        ],
        by=meeting.organiser,
    )
    db.session.add(
        Action(meeting=meeting, description="Book the room", owner=member, due_on=date.today() - timedelta(days=2))
    )
    db.session.commit()
    rows = parse(sign_in_as(app.test_client(), member).get("/")).select("[data-testid=my-actions] li")
    texts = [row.get_text(" ", strip=True) for row in rows]
    assert texts[0].startswith("Book the room (Meeting action), by") and texts[0].endswith("Overdue")
    assert texts[1].startswith("Call the school (DUR-2026-0042), by") and "Overdue" not in texts[1]


def test_dates_of_birth_carry_no_weekday(app, factories):
    presenter = factories.user(Role.MEMBER, locality=None)
    family = factories.family("DUR", presenter=presenter, children=[("Kayden Smith", date(2018, 5, 4))])
    page = parse(sign_in_as(app.test_client(), presenter).get(f"/families/{family.id}"))
    members = page.select_one("[data-testid=members]").get_text(" ", strip=True)
    assert "4 May 2018" in members and "Friday" not in members
