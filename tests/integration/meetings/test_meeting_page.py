"""The meeting page offers what fits the meeting's state, with one primary button (issue 12)."""

from datetime import UTC, date, datetime, timedelta

from lehc.families import services as family_services
from lehc.meetings import services
from lehc.models import Action, ResponseKind, Role
from tests.conftest import parse, sign_in_as


def buttons(client, meeting) -> tuple[list[str], list[str], list[str]]:
    """(primary buttons, secondary buttons, links) of the meeting's action area."""
    page = parse(client.get(f"/meetings/{meeting.id}"))
    area = page.select_one("[data-testid=meeting-actions]")
    every = area.select(".govuk-button")
    primary = [b.get_text(strip=True) for b in every if "govuk-button--secondary" not in b["class"]]
    secondary = [b.get_text(strip=True) for b in every if "govuk-button--secondary" in b["class"]]
    links = [a.get_text(strip=True) for a in page.select("[data-testid=meeting-links] a")]
    return primary, secondary, links


def test_each_state_of_a_meeting_has_one_next_step_and_no_invitation_before_there_is_one(app, db, factories):
    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    meeting = factories.meeting("DUR")
    coordinator = sign_in_as(app.test_client(), meeting.organiser)
    core = sign_in_as(app.test_client(), member)

    primary, secondary, links = buttons(coordinator, meeting)
    assert primary == ["Publish agenda and send invites"]
    assert secondary == ["Prepare the meeting", "Add a discussion item"]
    assert "Add to your calendar (.ics)" not in links and "Cancel meeting" in links
    primary, secondary, links = buttons(core, meeting)
    assert primary == [] and secondary == [] and "Add to your calendar (.ics)" not in links

    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    assert buttons(coordinator, meeting)[0] == ["Prepare the meeting"]
    primary, _, links = buttons(core, meeting)
    assert primary == ["Respond to the invitation"] and "Add to your calendar (.ics)" in links
    services.record_response(meeting, member, ResponseKind.ACCEPTED)
    db.session.commit()
    primary, secondary, _ = buttons(core, meeting)
    assert primary == [] and secondary == ["Change your response"]

    meeting.starts_at = datetime.now(UTC) - timedelta(hours=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    db.session.commit()
    primary, secondary, links = buttons(coordinator, meeting)
    assert primary == ["Run the meeting and minutes"] and secondary == ["Mark as held"]
    assert "Reschedule" not in links and "Cancel meeting" not in links


def test_the_review_of_actions_groups_them_by_family_and_folds_all_but_five(app, db, factories):
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    last = factories.meeting("DUR", day=date.today() - timedelta(days=14), organiser=coordinator)
    for number in range(1, 8):
        item = factories.item(last, reference=f"DUR-2026-05{number:02d}")
        family_services.record_discussion(
            item,
            mapping={},
            scores={},
            decision=None,
            decision_notes="",
            review_on=None,
            new_actions=[
                {
                    "description": f"Task {number}{letter}",
                    "owner_id": coordinator.id,
                    "owner_agency_id": None,
                    "due_on": date.today() + timedelta(days=number),
                }
                for letter in "ab"
            ],
            by=coordinator,
        )
    db.session.add(Action(meeting=last, description="Book the room", owner=coordinator, due_on=date.today()))
    db.session.commit()
    upcoming = factories.meeting("DUR", organiser=coordinator)
    page = parse(sign_in_as(app.test_client(), coordinator).get(f"/meetings/{upcoming.id}"))
    review = page.select_one("[data-testid=carried-forward]")
    shown = [p.get_text(strip=True) for p in review.find_all("p", recursive=False)]
    folded = [p.get_text(strip=True) for p in review.select("details p")]
    assert shown == ["Meeting action", "DUR-2026-0501", "DUR-2026-0502", "DUR-2026-0503", "DUR-2026-0504"]
    assert folded == ["DUR-2026-0505", "DUR-2026-0506", "DUR-2026-0507"]
    assert review.select_one("details summary").get_text(strip=True) == "Actions of 3 more families and meetings"
    assert len(review.select("li")) == 15
