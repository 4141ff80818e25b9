"""The action lists filter in SQL (policy.visible_action_clause); they must agree with can_view_action."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lehc import policy
from lehc.actions.services import ActionFilter, carried_forward, count_actions, find_actions
from lehc.families import services as family_services
from lehc.meetings import services as meeting_services
from lehc.models import Action, ActionStatus, Meeting, MeetingStatus, MembershipKind, Role


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


@pytest.mark.parametrize("code", ["DUR", "EAS"])
def test_one_localitys_actions_are_those_the_policy_allows_there_for_every_kind_of_user(
    actions_world, factories, db, code
):
    """A list of one locality (the tracker's filter, the home page's overdue count, the agenda's review of
    actions) reads a manager's actions without the full visibility clause: what each person is shown must still
    be what can_view_action allows, in that locality only."""
    today, locality = date.today(), factories.locality(code)
    later = factories.meeting(code, day=today + timedelta(days=90))
    db.session.commit()
    earlier = db.session.scalars(
        select(Action).join(Meeting).where(Meeting.locality_id == locality.id, Meeting.starts_at < later.starts_at)
    ).all()
    assert len(earlier) == (6 if code == "DUR" else 2)
    chosen = ActionFilter(scope="all", status="any", locality_id=locality.id)
    for person in actions_world:
        allowed = {a.description for a in earlier if policy.can_view_action(person, a, today, 14)}
        assert {a.description for a in find_actions(person, chosen, today=today, window_days=14)} == allowed
        assert count_actions(person, chosen, today=today, window_days=14) == len(allowed)
        shown, _ = carried_forward(later, person, today=today, window_days=14)  # all open: each is carried forward
        assert {a.description for a in shown} == allowed, person.email
        if policy.can_manage_meetings(person, locality.id):  # the locality's chair or coordinator sees them all
            assert allowed == {a.description for a in earlier}


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


def test_the_review_of_actions_lists_open_ones_and_those_done_since_the_last_meeting_together_by_due_date(
    actions_world, factories, db
):
    chair = actions_world[0]
    later = factories.meeting("DUR", day=date.today() + timedelta(days=60), organiser=chair)
    previous = db.session.scalars(
        select(Meeting).where(Meeting.locality_id == later.locality_id, Meeting.starts_at < later.starts_at)
    ).all()
    last_met = max(meeting.starts_at for meeting in previous).date()
    open_before = carried_forward(later, chair, today=date.today(), window_days=14)[0]
    done_since, done_long_ago = open_before[0], open_before[1]
    done_since.status, done_since.completed_on = ActionStatus.DONE, last_met + timedelta(days=1)
    done_long_ago.status, done_long_ago.completed_on = ActionStatus.DONE, last_met - timedelta(days=1)
    done_since.due_on = max(action.due_on for action in open_before) + timedelta(days=1)  # sorts last
    db.session.commit()

    shown, more = carried_forward(later, chair, today=date.today(), window_days=14)
    assert done_since in shown and done_long_ago not in shown and not more
    assert len(shown) == len(open_before) - 1
    assert shown[-1] is done_since  # one list, soonest due first, whichever query found it
    assert [(a.due_on, a.id) for a in shown] == sorted((a.due_on, a.id) for a in shown)
