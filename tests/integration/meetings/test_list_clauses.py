"""The meetings list and the outbox filter in SQL (policy.visible_meeting_clause, visible_outbox_clause); on one
dataset they must pick exactly what policy.can_view_meeting and can_see_outbox_message allow, for every kind of
user."""

from sqlalchemy import select

from lehc import policy
from lehc.meetings import services as meeting_services
from lehc.models import Meeting, MembershipKind, OutboxMessage, Role


def test_the_meetings_and_outbox_lists_agree_with_their_predicates(app, db, factories):
    chair = factories.user(Role.CHAIR, locality="DUR")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR", kind=MembershipKind.CALL_ON)
    core = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    called = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON)
    not_called = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON)
    elsewhere = factories.user(Role.CHAIR, locality="EAS")
    admin = factories.user(Role.ADMIN, locality=None)
    nobody = factories.user(Role.MEMBER, locality=None)
    durham, easington, other = factories.meeting("DUR"), factories.meeting("EAS"), factories.meeting("DUR")
    factories.item(durham, reference="DUR-2026-0901", call_on=[called])
    factories.item(easington, reference="EAS-2026-0901")
    for meeting in (durham, easington, other):
        meeting_services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    meetings = db.session.scalars(select(Meeting)).all()
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(meetings) == 3 and {message.locality_id for message in messages} == {
        durham.locality_id,
        easington.locality_id,
    }

    for user in (chair, coordinator, core, called, not_called, elsewhere, admin, nobody):
        listed = set(db.session.scalars(select(Meeting.id).where(policy.visible_meeting_clause(user))))
        assert listed == {m.id for m in meetings if policy.can_view_meeting(user, m)}, user.name
        shown = set(db.session.scalars(select(OutboxMessage.id).where(policy.visible_outbox_clause(user))))
        assert shown == {m.id for m in messages if policy.can_see_outbox_message(user, m)}, user.name
    assert set(db.session.scalars(select(Meeting.id).where(policy.visible_meeting_clause(called)))) == {durham.id}
    assert not set(db.session.scalars(select(OutboxMessage.id).where(policy.visible_outbox_clause(core))))
