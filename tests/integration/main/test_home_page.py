"""The home page and the small things a chair, a coordinator and a member met on their first day (issue 12)."""

from datetime import date, timedelta

from lehc.dates import format_datetime
from lehc.models import FORUM, LEHC, STEP, Action, MembershipKind, Role
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
    assert texts[0].startswith("Book the room – Meeting action, due") and texts[0].endswith("Overdue")
    assert texts[1].startswith("Call the school – DUR-2026-0042, due") and "Overdue" not in texts[1]


def test_dates_of_birth_carry_no_weekday(app, factories):
    presenter = factories.user(Role.MEMBER, locality=None)
    family = factories.family("DUR", presenter=presenter, children=[("Kayden Smith", date(2018, 5, 4))])
    page = parse(sign_in_as(app.test_client(), presenter).get(f"/families/{family.id}"))
    members = page.select_one("[data-testid=members]").get_text(" ", strip=True)
    assert "4 May 2018" in members and "Friday" not in members


# ---------------------------------------------------------------- the home page as a to-do list


def _lines(page, testid: str) -> dict[str, tuple[str, str]]:
    """A to-do list's lines: link text -> (tag, link)."""
    found = {}
    for row in page.select(f"[data-testid={testid}] .govuk-summary-list__row"):
        link = row.select_one("a")
        found[link.get_text(" ", strip=True)] = (row.select_one(".govuk-tag").get_text(strip=True), link["href"])
    return found


def test_a_chairs_home_page_says_what_is_left_to_do_for_the_next_meeting_the_minutes_and_overdue_actions(
    app, db, factories
):
    from lehc.meetings import services as meeting_services

    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    camhs = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    last = factories.meeting("DUR", day=date.today() - timedelta(days=28), organiser=coordinator)
    meeting_services.mark_held(last)
    db.session.add(
        Action(meeting=last, description="Book the room", owner=coordinator, due_on=date.today() - timedelta(days=3))
    )
    upcoming = factories.meeting("DUR", organiser=coordinator)
    factories.item(upcoming, reference="DUR-2026-0007")
    db.session.commit()

    chair_client = sign_in_as(app.test_client(), chair)
    page = parse(chair_client.get("/"))
    readiness = _lines(page, "readiness")
    assert readiness["Items ready"] == ("0 of 1 ready", f"/meetings/{upcoming.id}/prepare")
    assert readiness["Publish the agenda and send the invitations"][0] == "To do"
    overdue = _lines(page, "locality-todos")["Overdue actions"]
    assert overdue[0] == "1 overdue"
    tracker = parse(chair_client.get(overdue[1]))
    assert [td.get_text(strip=True) for td in tracker.select("[data-testid=actions] tbody tr td:first-child")] == [
        "Book the room"
    ]
    [(text, (tag, href))] = _lines(page, "minutes-to-finish").items()
    assert text.startswith("Approve the minutes of Durham LEHC, ") and href == f"/meetings/{last.id}/minutes"
    assert chair_client.get(href).status_code == 200

    coordinator_page = parse(sign_in_as(app.test_client(), coordinator).get("/"))
    [text] = _lines(coordinator_page, "minutes-to-finish")
    assert text.endswith("wait for the chair's approval")

    meeting_services.publish_agenda(upcoming, coordinator)
    db.session.commit()
    readiness = _lines(parse(chair_client.get("/")), "readiness")
    assert "Publish the agenda and send the invitations" not in readiness
    tag, href = readiness["Agency checks"]
    assert tag.startswith("0 of ") and tag.endswith(" answered") and href == f"/meetings/{upcoming.id}/agency-checks"
    [replies] = [text for text in readiness if text.startswith("Replies by core seat")]
    # two seats are filled (the chair's and CAMHS) and neither has replied; the empty seats are not covered, and
    # are not counted as replies
    assert readiness[replies] == ("0 of 2 replied", f"/meetings/{upcoming.id}#attendance")
    assert replies.endswith(" seats not covered)")
    chair_client.post(f"/meetings/{upcoming.id}/response", data={"response": "accepted", "note": ""})
    sign_in_as(app.test_client(), camhs).post(
        f"/meetings/{upcoming.id}/response", data={"response": "apologies", "note": ""}
    )
    readiness = _lines(parse(chair_client.get("/")), "readiness")
    [replies] = [text for text in readiness if text.startswith("Replies by core seat")]
    assert readiness[replies][0] == "2 of 2 replied"

    elsewhere = parse(sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="EAS")).get("/"))
    assert [desk.select_one("h2").get_text(strip=True) for desk in elsewhere.select("[data-testid=desk]")] == [
        "Easington LEHC"
    ]
    assert "DUR-2026-0007" not in elsewhere.get_text() and "Book the room" not in elsewhere.get_text()


def test_a_chairs_desk_holds_the_next_meeting_of_each_kind_and_names_it(app, db, factories):
    """A locality meeting weekly to step families up and down, monthly as an LEHC, and hosting its area's forum:
    the chair's desk names each next meeting with its own readiness (an agenda longer than its meeting among it), the
    LEHC first even when the step meeting comes sooner; a cancelled meeting is passed over; the minutes to approve
    name their meeting's kind."""
    from lehc.meetings import services as meeting_services

    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    today = date.today()
    lehc = factories.meeting("DUR", day=today + timedelta(days=20), organiser=coordinator, kind=LEHC)
    cancelled = factories.meeting("DUR", day=today + timedelta(days=2), organiser=coordinator, kind=STEP)
    step = factories.meeting("DUR", day=today + timedelta(days=6), organiser=coordinator, kind=STEP)
    factories.meeting("DUR", day=today + timedelta(days=13), organiser=coordinator, kind=STEP)  # the one after
    held = factories.meeting("DUR", day=today - timedelta(days=8), organiser=coordinator, kind=STEP)
    forum = factories.meeting(
        "DUR", day=today + timedelta(days=30), organiser=coordinator, kind=FORUM, area="Central and East Durham"
    )
    factories.item(step, reference="DUR-2026-0031", minutes=150)  # longer than the meeting
    meeting_services.cancel(cancelled, "Room unavailable", coordinator)
    meeting_services.mark_held(held)
    db.session.commit()

    page = parse(sign_in_as(app.test_client(), chair).get("/"))
    [desk] = page.select("[data-testid=desk]")
    headings = [h3.get_text(" ", strip=True) for h3 in desk.select("h3")]
    assert headings[:3] == [
        f"Next LEHC: {format_datetime(lehc.starts_at)}",
        f"Next step up / step down: {format_datetime(step.starts_at)}",
        f"Next Central and East Durham Early Help Forum: {format_datetime(forum.starts_at)}",  # hosted by Durham
    ]
    assert [h3.a["href"] for h3 in desk.select("h3")[:3]] == [
        f"/meetings/{lehc.id}",
        f"/meetings/{step.id}",
        f"/meetings/{forum.id}",
    ]
    lehc_lines, step_lines, forum_lines = (
        {row.a.get_text(" ", strip=True): row.a["href"] for row in dl.select(".govuk-summary-list__row")}
        for dl in desk.select("[data-testid=readiness]")
    )
    assert lehc_lines == {
        "Add the families to discuss": f"/meetings/{lehc.id}/items/new",
        "Publish the agenda and send the invitations": f"/meetings/{lehc.id}",
    }
    assert step_lines["Items ready"] == f"/meetings/{step.id}/prepare"
    length = sum(item.duration_minutes for item in step.items)  # the family's 150 minutes and the standing items
    over = length - int((step.ends_at - step.starts_at).total_seconds() // 60)
    assert over >= 30 and step_lines[f"The agenda runs {over} minutes past the end of the meeting"] == (
        f"/meetings/{step.id}#agenda"
    )
    assert not any(text.startswith("The agenda runs") for text in {**lehc_lines, **forum_lines})
    assert forum_lines == {  # presentations, not families
        "Add the presentations": f"/meetings/{forum.id}/presentations/new",
        "Publish the agenda and send the invitations": f"/meetings/{forum.id}",
    }
    [approve] = _lines(page, "minutes-to-finish")
    assert approve.startswith("Approve the minutes of Durham step up / step down, ")


def test_a_members_home_page_asks_for_their_reply_and_the_agency_checks_they_owe(app, db, factories):
    from lehc.meetings import services as meeting_services

    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    meeting = factories.meeting("DUR")
    factories.item(meeting, reference="DUR-2026-0011")
    client = sign_in_as(app.test_client(), member)
    page = parse(client.get("/"))
    assert "Agenda not published yet" in page.select_one("[data-testid=my-meetings]").get_text()
    assert page.select_one("[data-testid=my-checks]") is None

    meeting_services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    page = parse(client.get("/"))
    reply = page.select_one("[data-testid=my-meetings] a[href$='/response']")
    assert reply.get_text(" ", strip=True).startswith("Reply to the invitation")
    [check] = page.select("[data-testid=my-checks] a")
    assert check.get_text(strip=True).startswith("DUR-2026-0011 for Durham on")
    assert client.get(check["href"]).status_code == 200

    client.post(reply["href"], data={"response": "accepted", "note": ""})
    page = parse(client.get("/"))
    assert page.select_one("[data-testid=my-meetings] a[href$='/response']") is None
    assert not parse(sign_in_as(app.test_client(), factories.user(Role.MEMBER, locality="EAS")).get("/")).select(
        "[data-testid=my-checks] a"
    )


# ---------------------------------------------------------------- the meetings list


def test_the_meetings_list_holds_only_meetings_the_user_may_see_and_filters_them(app, db, factories):
    from lehc.meetings import services as meeting_services

    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    called_on = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON)
    past = factories.meeting("DUR", day=date.today() - timedelta(days=30))
    meeting_services.mark_held(past)
    soon = factories.meeting("DUR", day=date.today() + timedelta(days=7))
    later = factories.meeting("DUR", day=date.today() + timedelta(days=35))
    factories.item(later, reference="DUR-2026-0021", call_on=[called_on])
    factories.meeting("EAS", day=date.today() + timedelta(days=7))
    step = factories.meeting("DUR", day=date.today() + timedelta(days=9), kind=STEP)
    db.session.commit()

    def listed(client, **query) -> list[str]:
        page = parse(client.get("/meetings", query_string=query))
        return [a["href"] for a in page.select("[data-testid=meetings] tbody tr td:first-child a")]

    client = sign_in_as(app.test_client(), member)
    assert listed(client) == [f"/meetings/{soon.id}", f"/meetings/{step.id}", f"/meetings/{later.id}"]
    names = parse(client.get("/meetings")).select("[data-testid=meetings] td[data-label=Meeting]")
    assert [cell.get_text(strip=True) for cell in names] == ["Durham LEHC", "Durham step up / step down", "Durham LEHC"]
    assert listed(client, kind=LEHC) == [f"/meetings/{soon.id}", f"/meetings/{later.id}"]
    assert listed(client, kind=STEP) == [f"/meetings/{step.id}"]
    page = parse(client.get("/meetings", query_string={"kind": "weekly-lunch"}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Select one of the kinds of meeting listed"
    assert listed(client, when="past") == [f"/meetings/{past.id}"]
    assert listed(client, when="all", status="held") == [f"/meetings/{past.id}"]
    day = date.today() + timedelta(days=20)
    assert listed(client, when="all", since=[str(day.day), str(day.month), str(day.year)]) == [f"/meetings/{later.id}"]
    assert listed(sign_in_as(app.test_client(), called_on)) == [f"/meetings/{later.id}"]
    nav = parse(client.get("/")).select(".govuk-service-navigation a")
    assert {a.get_text(strip=True): a["href"] for a in nav}["Meetings"] == "/meetings"

    page = parse(client.get("/meetings", query_string={"when": "all", "since": ["31", "2", "2027"]}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "From must be a real date"
    until = ["1", "1", "2026"]
    page = parse(client.get("/meetings", query_string={"since": ["2", "1", "2026"], "until": until}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "To must be the same as or after From"


def test_the_meetings_list_pages_keep_their_filters(app, db, factories):
    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    for week in range(1, 28):
        factories.meeting("DUR", day=date.today() + timedelta(weeks=week))
    client = sign_in_as(app.test_client(), member)
    page = parse(client.get("/meetings", query_string={"when": "upcoming", "status": "scheduled"}))
    assert len(page.select("[data-testid=meetings] tbody tr")) == 25
    following = page.select_one(".govuk-pagination__next a")["href"]
    assert "page=2" in following and "status=scheduled" in following and "when=upcoming" in following
    second = parse(client.get(following))
    assert len(second.select("[data-testid=meetings] tbody tr")) == 2
    assert (
        second.select_one(".govuk-pagination__prev a") is not None
        and second.select_one(".govuk-pagination__next") is None
    )


def test_a_chairs_desk_costs_the_same_statements_whatever_the_length_of_the_next_agenda(app, db, factories):
    """What the desk reads of each item (its family and consents, presenter, call-on members and their replies)
    comes with the meeting: an item more is no statement more."""
    from sqlalchemy import event

    from lehc.meetings import services as meeting_services

    counting, statements = [False], []
    with app.app_context():  # the app's own engine: the test's code runs on a twin app's
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count := lambda *_: counting[0] and statements.append(1))
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    called_on = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON)
    upcoming = factories.meeting("DUR", organiser=coordinator)
    client = sign_in_as(app.test_client(), chair)
    counted = []
    for number in range(1, 6):
        factories.item(upcoming, reference=f"DUR-2026-{number:04}", presenter=chair, call_on=[called_on])
        if number == 3:
            meeting_services.publish_agenda(upcoming, coordinator)  # replies and agency checks from here on
            db.session.commit()
        statements.clear()
        counting[0] = True
        page = parse(client.get("/"))
        counting[0] = False
        assert _lines(page, "readiness")["Items ready"][0] == f"0 of {number} ready"
        counted.append(len(statements))
    event.remove(engine, "before_cursor_execute", count)
    assert counted[0] > 0 and counted[0] == counted[1] and counted[2] == counted[3] == counted[4], counted
