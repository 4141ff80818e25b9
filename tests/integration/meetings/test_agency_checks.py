"""Agency checks: who is asked about which family, who may answer, and where the answers show."""

import io
from datetime import date, timedelta

import pytest
from docx import Document

from lehc.meetings import services
from lehc.meetings.services import agency_checks
from lehc.models import CheckAnswer, DiscussionType, MembershipKind, OutboxMessage, Role
from tests.conftest import parse, sign_in_as


@pytest.fixture
def table(factories, db):
    """A Durham meeting with three core agencies, a police officer called on for one item, and four items:
    consented (with police), consented, no consent at all, consent that does not cover sharing."""
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    people = {
        "chair": chair,
        "school": factories.user(locality="DUR", seat="Education representative"),
        "camhs": factories.user(locality="DUR", seat="CAMHS"),
        "police": factories.user(locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team"),
        "outsider": factories.user(locality="EAS", seat="Education representative"),
    }
    meeting = factories.meeting("DUR", organiser=chair)
    with_police = factories.item(meeting, reference="DUR-2026-0401", call_on=[people["police"]])
    plain = factories.item(meeting, reference="DUR-2026-0402")
    no_consent = factories.item(meeting, family=factories.family("DUR", reference="DUR-2026-0403", consent=False))
    no_sharing_family = factories.family("DUR", reference="DUR-2026-0404")
    no_sharing_family.consents[0].covers_sharing = False
    no_sharing = factories.item(meeting, family=no_sharing_family)
    db.session.commit()
    return meeting, people, {"police": with_police, "plain": plain, "none": no_consent, "no_sharing": no_sharing}


def agencies(item) -> list[str]:
    return sorted(check.agency.name for check in item.agency_checks)


CORE = ["CAMHS", "One Point Service (Durham County Council)", "Schools and education settings"]


def test_nothing_is_asked_before_publication_and_publication_asks_each_agency_once(table, db):
    meeting, people, items = table
    assert agencies(items["plain"]) == []
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    assert agencies(items["police"]) == sorted([*CORE, "Durham Constabulary"])
    assert agencies(items["plain"]) == CORE  # the police are called on for the other item only
    assert agencies(items["none"]) == []  # an anonymous consultation cannot be checked
    assert agencies(items["no_sharing"]) == []  # consent does not cover sharing between agencies
    assert agency_checks.request_checks(meeting) == 0  # asking again asks nobody twice
    body = db.session.query(OutboxMessage).filter_by(recipient=people["school"].email).one().body
    assert f"/meetings/{meeting.id}/agency-checks" in body


def test_a_member_answers_only_their_agencys_checks_for_items_they_may_see(app, table, db):
    meeting, people, items = table
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    today, window = date.today(), 14
    mine = {name: agency_checks.checks_for(people[name], meeting, today, window) for name in people}
    assert [c.item.reference for c in mine["school"]] == ["DUR-2026-0401", "DUR-2026-0402"]
    assert {c.agency.name for c in mine["school"]} == {"Schools and education settings"}
    assert [c.item.reference for c in mine["police"]] == ["DUR-2026-0401"]
    assert mine["outsider"] == []

    police_check = mine["police"][0]
    school_check = mine["school"][0]
    police = sign_in_as(app.test_client(), people["police"])
    assert police.get(f"/meetings/{meeting.id}/agency-checks/{school_check.id}").status_code == 404
    outsider = sign_in_as(app.test_client(), people["outsider"])
    assert outsider.get(f"/meetings/{meeting.id}/agency-checks/{school_check.id}").status_code == 404
    assert outsider.get(f"/meetings/{meeting.id}/agency-checks").status_code == 404
    listed = parse(police.get(f"/meetings/{meeting.id}/agency-checks")).select("[data-testid=my-checks] tbody th")
    assert [" ".join(th.get_text(" ", strip=True).split()) for th in listed] == [
        f"DUR-2026-0401 {items['police'].title}"  # what the item is about, not a bare reference
    ]

    page = police.get(f"/meetings/{meeting.id}/agency-checks/{police_check.id}")
    assert page.status_code == 200
    assert "Kayden Smith" in page.get_data(as_text=True)  # the agency needs the name to search its records
    response = police.post(
        f"/meetings/{meeting.id}/agency-checks/{police_check.id}",
        data={"answer": "involved_now", "note": "PCSO visited after a neighbour dispute"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert police_check.answer is CheckAnswer.INVOLVED_NOW
    assert police_check.answered_by_id == people["police"].id


def test_a_check_needs_an_answer_and_involvement_needs_a_note(app, table, db):
    meeting, people, items = table
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    check = agency_checks.checks_for(people["camhs"], meeting, date.today(), 14)[0]
    client = sign_in_as(app.test_client(), people["camhs"])
    url = f"/meetings/{meeting.id}/agency-checks/{check.id}"
    client.post(url, data={"answer": "known", "note": "Open case, seen in May"})
    for data, message in [
        ({"note": "x"}, "Select whether your agency knows this family"),
        ({"answer": "involved_now", "note": "  "}, "Say briefly how your agency is involved now"),
        ({"answer": "maybe"}, "Not a valid choice"),
        ({"answer": "known", "note": "x" * 601}, "The note must be 600 characters or fewer"),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 200, (data, response.status_code)
        page = parse(response)
        assert message in page.select_one(".govuk-error-summary").get_text(), data
    db.session.expire_all()
    assert (check.answer, check.note) == (CheckAnswer.KNOWN, "Open case, seen in May")  # nothing saved is lost


def test_the_chairs_grid_counts_answers_and_shows_what_is_awaited(app, table, db):
    meeting, people, items = table
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    check = agency_checks.checks_for(people["school"], meeting, date.today(), 14)[0]
    agency_checks.answer(check, CheckAnswer.NOT_KNOWN, "", people["school"])
    db.session.commit()
    grid = agency_checks.grid(meeting)
    assert (grid.answered, grid.asked, len(grid.unanswered)) == (1, 7, 6)
    assert [item.reference for item in grid.items] == ["DUR-2026-0401", "DUR-2026-0402"]
    police = next(a for a in grid.agencies if a.name == "Durham Constabulary")
    assert grid.cell(police, items["plain"]) is None  # not asked: not called on for that item

    chair = sign_in_as(app.test_client(), people["chair"])
    page = parse(chair.get(f"/meetings/{meeting.id}/agency-checks"))
    assert page.select_one("[data-testid=grid-count]").get_text(strip=True) == "1 of 7 checks answered."
    rows = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("[data-testid=check-grid] tbody tr")
    }
    assert rows["Schools and education settings"] == ["Not known to us", "Awaiting answer"]
    assert rows["Durham Constabulary"] == ["Awaiting answer", "Not asked"]
    member = parse(sign_in_as(app.test_client(), people["camhs"]).get(f"/meetings/{meeting.id}/agency-checks"))
    assert member.select_one("[data-testid=check-grid]") is None  # the grid is the chair's


def test_the_counts_in_one_statement_match_the_checks_item_by_item(app, table, db, factories):
    """completeness_by_item (the home page's readiness) counts in SQL what completeness counts from the loaded
    checks: answered and asked per item, nothing for an item that is no longer checkable, and a check left
    over for another family (asked before the item changed family) not counted."""
    meeting, people, items = table
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    for check in agency_checks.checks_for(people["school"], meeting, date.today(), 14):
        agency_checks.answer(check, CheckAnswer.NOT_KNOWN, "", people["school"])
    stray = next(check for check in items["plain"].agency_checks if check.agency.name == "CAMHS")
    stray.family_id = factories.family("DUR", reference="DUR-2026-0499").id
    items["police"].family.consents[0].covers_sharing = False  # no longer checkable: its checks are not shown
    db.session.commit()

    counted = agency_checks.completeness_by_item(meeting)
    assert counted == {item.id: agency_checks.completeness(item) for item in meeting.items}
    assert (counted[items["plain"].id].answered, counted[items["plain"].id].asked) == (1, 2)
    assert counted[items["police"].id].asked == 0


def test_answers_appear_in_the_pack_and_minutes_and_go_when_consent_is_withdrawn(app, table, db):
    meeting, people, items = table
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    check = agency_checks.checks_for(people["camhs"], meeting, date.today(), 14)[1]  # DUR-2026-0402
    agency_checks.answer(check, CheckAnswer.INVOLVED_NOW, "Seen by the CAMHS crisis team in March", people["camhs"])
    db.session.commit()
    chair = sign_in_as(app.test_client(), people["chair"])
    pack = chair.get(f"/meetings/{meeting.id}/pack").get_data(as_text=True)
    assert "Seen by the CAMHS crisis team in March" in pack
    minutes = parse(chair.get(f"/meetings/{meeting.id}/minutes"))
    rows = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in minutes.select("tbody tr")]
    assert ["CAMHS", "Involved now", "Seen by the CAMHS crisis team in March"] in rows
    assert ["Schools and education settings", "Not answered", ""] in rows
    docx = chair.get(f"/meetings/{meeting.id}/minutes.docx")
    cells = [cell.text for table in Document(io.BytesIO(docx.data)).tables for row in table.rows for cell in row.cells]
    assert "Seen by the CAMHS crisis team in March" in cells
    assert "Involved now" in cells

    consent = items["plain"].family.consents[0]
    consent.withdrawn_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert "Seen by the CAMHS crisis team in March" not in chair.get(f"/meetings/{meeting.id}/pack").get_data(
        as_text=True
    )
    assert agency_checks.checks_for(people["camhs"], meeting, date.today(), 14)[-1].item.reference == "DUR-2026-0401"


def test_changing_the_agenda_drops_checks_that_no_longer_apply(table, db):
    meeting, people, items = table
    services.publish_agenda(meeting, people["chair"])
    db.session.commit()
    item = items["police"]
    other_family = items["none"].family
    answered = next(c for c in item.agency_checks if c.agency.name == "CAMHS")
    agency_checks.answer(answered, CheckAnswer.KNOWN, "", people["camhs"])
    services.update_item(
        item,
        title=item.title,
        family=item.family,
        discussion_type=DiscussionType.NEW,
        presenter=None,
        duration_minutes=20,
        call_on=[],
        by=people["chair"],
    )
    db.session.commit()
    assert agencies(item) == CORE  # the police were stood down, and had not answered

    other_family.consents.clear()
    db.session.commit()
    consented = items["plain"].family
    services.update_item(
        item,
        title=item.title,
        family=consented,
        discussion_type=DiscussionType.REVIEW,
        presenter=None,
        duration_minutes=20,
        call_on=[],
        by=people["chair"],
    )
    db.session.commit()
    assert all(check.family_id == consented.id and not check.answered for check in item.agency_checks)
