"""Running the meeting as a chair or coordinator does it (issue 12): save and go on to the next item, where the
agenda stands against the clock, approval from the minutes after a check of what will be frozen, and 'Amend' where
'Change' would only bounce off approved minutes."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from lehc.models import Decision, Meeting, MeetingStatus, Role
from tests.conftest import parse, sign_in_as

SAVED = {"decision": Decision.TAF.value, "decision_notes": "Agreed", "worries": "Worries", "version": "0"} | {
    f"new_actions-{index}-{field}": "0" for index in range(3) for field in ("owner_id", "owner_agency_id")
}


def test_saving_a_discussion_goes_on_to_the_next_item_or_back_to_the_run_page(app, db, factories):
    meeting = factories.meeting("DUR")
    first, second = factories.item(meeting, reference="DUR-2026-0301"), factories.item(meeting, reference=None)
    client = sign_in_as(app.test_client(), meeting.organiser)
    page = parse(client.get(f"/meetings/{meeting.id}/items/{first.id}/discussion"))
    assert [b.get_text(strip=True) for b in page.select("form button")][-2:] == [
        "Save and go to the next item",
        "Save discussion",
    ]
    assert page.select_one("form[data-warn-unsaved]") is not None
    response = client.post(f"/meetings/{meeting.id}/items/{first.id}/discussion", data={**SAVED, "save_and_next": "y"})
    assert response.headers["Location"] == f"/meetings/{meeting.id}/items/{second.id}/discussion"
    page = parse(client.get(response.headers["Location"]))
    assert "Save and go to the next item" not in page.get_text()  # the last item
    response = client.post(f"/meetings/{meeting.id}/items/{second.id}/discussion", data={**SAVED, "submit": "y"})
    assert response.headers["Location"] == f"/meetings/{meeting.id}/run#items"

    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    from lehc.meetings import services as meeting_services

    meeting_services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    response = sign_in_as(app.test_client(), member).post(
        f"/meetings/{meeting.id}/items/{second.id}/discussion", data={**SAVED, "version": "1", "submit": "y"}
    )
    assert response.headers["Location"] == f"/meetings/{meeting.id}#agenda"  # a member has no run page


def test_the_run_page_says_where_the_agenda_stands_against_the_clock(app, db, factories):
    meeting = factories.meeting("DUR")
    meeting.starts_at = datetime.now(UTC) - timedelta(minutes=40)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    factories.item(meeting, reference="DUR-2026-0401", minutes=20)
    db.session.commit()
    page = parse(sign_in_as(app.test_client(), meeting.organiser).get(f"/meetings/{meeting.id}/run"))
    progress = page.select_one("[data-testid=progress]").get_text(" ", strip=True)
    # 5 + 10 minutes of standing items, then 20: the slot ended 5 minutes ago
    assert progress.startswith("DUR-2026-0401 is next") and progress.endswith("minutes over")
    assert int(progress.split()[-3]) in (4, 5)


def test_the_chair_approves_from_the_minutes_after_checking_what_will_be_frozen(app, db, held):
    meeting = held["meeting"]
    chair = sign_in_as(app.test_client(), held["chair"])
    minutes = parse(chair.get(f"/meetings/{meeting.id}/minutes"))
    approve = minutes.find("a", string=lambda text: text and text.strip() == "Approve the minutes")
    assert approve["href"] == f"/meetings/{meeting.id}/minutes/approve"
    check = parse(chair.get(approve["href"])).select_one("[data-testid=approval-check]").get_text(" ", strip=True)
    assert "Discussions 2 of 2 recorded with a decision" in check and "Attendance Recorded for 0 of" in check
    assert db.session.get(Meeting, meeting.id).status is not MeetingStatus.MINUTES_APPROVED  # looking froze nothing
    coordinator = sign_in_as(app.test_client(), held["coordinator"])
    no_button = parse(coordinator.get(f"/meetings/{meeting.id}/minutes"))
    assert no_button.find("a", string=lambda text: text and "Approve the minutes" in text) is None

    response = chair.post(approve["href"])
    assert response.headers["Location"] == f"/meetings/{meeting.id}/minutes"
    page = parse(chair.get(response.headers["Location"]))
    assert "Minutes approved (version 1)" in page.select_one(".govuk-notification-banner").get_text()
    assert page.find("a", string=lambda text: text and text.strip() == "Amend the minutes") is not None

    agenda = parse(chair.get(f"/meetings/{meeting.id}")).select_one("[data-testid=agenda]")
    links = [a.get_text(" ", strip=True) for a in agenda.select("a")]
    assert not [text for text in links if text.startswith("Change the discussion")]
    assert [a["href"] for a in agenda.select("a") if a.get_text(strip=True).startswith("Amend")] == [
        f"/meetings/{meeting.id}/minutes/amend"
    ] * 2
    response = chair.get(f"/meetings/{meeting.id}/items/{held['first'].id}/discussion")
    assert response.headers["Location"] == f"/meetings/{meeting.id}/minutes/amend"
    assert db.session.scalars(select(Meeting.status).where(Meeting.id == meeting.id)).one() is (
        MeetingStatus.MINUTES_APPROVED
    )
