"""The action lists filter in SQL (policy.visible_action_clause); they must agree with can_view_action."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lehc import policy
from lehc.actions.services import ActionFilter, carried_forward, count_actions, find_actions
from lehc.families import services as family_services
from lehc.meetings import services as meeting_services
from lehc.models import Action, MeetingStatus, MembershipKind, Role


@pytest.fixture
def actions_world(factories, db):
    chair = factories.user(Role.CHAIR, locality="DUR")
    presenter = factories.user(Role.MEMBER, locality=None)
    owner = factories.user(Role.MEMBER, locality=None)  # owns one action, sits nowhere
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")

    def discussed(meeting, reference, *, call_on=(), owner_id=None):
        item = factories.item(meeting, family=factories.family("DUR", reference=reference, presenter=presenter))
        item.call_on_members = list(call_on)
        family_services.record_discussion(
            item,
            mapping={},
            scores={},
            decision=None,
            decision_notes="",
            review_on=None,
            new_actions=[
                {
                    "description": reference,
                    "owner_id": owner_id or chair.id,
                    "owner_agency_id": None,
                    "due_on": date.today(),
                }
            ],
            by=chair,
        )
        return item

    published = factories.meeting("DUR", organiser=chair)
    discussed(published, "DUR-2026-0501", call_on=[police])
    discussed(published, "DUR-2026-0502", owner_id=owner.id)
    meeting_services.publish_agenda(published, chair)
    old = factories.meeting("DUR", day=date.today() - timedelta(days=60), organiser=chair)
    discussed(old, "DUR-2026-0503", call_on=[police])
    meeting_services.publish_agenda(old, chair)
    old.agenda_published_at = datetime.now(UTC) - timedelta(days=70)
    draft = factories.meeting("DUR", day=date.today() + timedelta(days=30), organiser=chair)
    on_draft = discussed(draft, "DUR-2026-0504")
    factories.item(published, family=on_draft.family)  # so core members see it: it is on a published agenda
    cancelled = factories.meeting("DUR", day=date.today() + timedelta(days=40), organiser=chair)
    discussed(cancelled, "DUR-2026-0505")
    meeting_services.publish_agenda(cancelled, chair)
    cancelled.status = MeetingStatus.CANCELLED
    easington = factories.meeting("EAS")
    discussed(easington, "EAS-2026-0506")
    meeting_services.publish_agenda(easington, easington.organiser)
    for meeting, text in ((published, "meeting action DUR"), (easington, "meeting action EAS")):
        db.session.add(Action(meeting=meeting, description=text, owner_id=None, due_on=date.today()))
    db.session.commit()
    return [
        chair,
        presenter,
        owner,
        police,
        factories.user(Role.COORDINATOR, locality="EAS"),
        factories.user(Role.MEMBER, locality="DUR"),
        factories.user(Role.MEMBER, locality="EAS"),
        factories.user(Role.ADMIN, locality=None),
    ]


@pytest.mark.parametrize("days_ahead", [0, 30])  # the call-on window closes in between
def test_the_tracker_query_and_the_policy_never_disagree(actions_world, db, days_ahead):
    today = date.today() + timedelta(days=days_ahead)
    everything = db.session.scalars(select(Action)).all()
    assert len(everything) == 8
    seen_by_someone = set()
    for person in actions_world:
        chosen = ActionFilter(scope="all", status="any")
        listed = {a.description for a in find_actions(person, chosen, today=today, window_days=14)}
        allowed = {a.description for a in everything if policy.can_view_action(person, a, today, 14)}
        assert listed == allowed, person.email
        assert count_actions(person, chosen, today=today, window_days=14) == len(allowed)
        seen_by_someone |= listed
    assert len(seen_by_someone) == 8


def test_the_agenda_shows_the_soonest_carried_forward_actions_and_says_when_there_are_more(
    actions_world, factories, db, monkeypatch
):
    chair = actions_world[0]
    later = factories.meeting("DUR", day=date.today() + timedelta(days=60), organiser=chair)
    shown, more = carried_forward(later, chair, today=date.today(), window_days=14)
    assert (len(shown), more) == (6, False)  # five Durham discussions' actions and the meeting action, all open
    monkeypatch.setattr("lehc.actions.services.CARRIED_SHOWN", 2)
    shown, more = carried_forward(later, chair, today=date.today(), window_days=14)
    assert (len(shown), more) == (2, True)
    assert [a.due_on for a in shown] == sorted(a.due_on for a in shown)
