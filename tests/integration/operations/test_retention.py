from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from lehc.families import services as family_services
from lehc.models import (
    AuditEvent,
    Consent,
    Decision,
    Family,
    FamilyMember,
    FamilyStatus,
    OutboxMessage,
    OutboxStatus,
    ScoreView,
    User,
)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_retention_lists_what_is_due_and_then_removes_it_irreversibly(app, db, factories):
    old = factories.family("DUR", reference="DUR-2018-0001", children=[("Old Child", date(2010, 1, 1))])
    recent = factories.family("DUR", reference="DUR-2024-0001", children=[("Recent Child", date(2015, 1, 1))])
    meeting = factories.meeting("DUR")
    item = factories.item(meeting, family=old, title="Focus naming Old Child")
    family_services.record_discussion(
        item,
        mapping={"worries": "Old Child is often absent"},
        scores={ScoreView.GROUP: 4},
        decision=Decision.TAF,
        decision_notes="",
        review_on=None,
        new_actions=[
            {"description": "Phone Old Child's school", "owner_id": None, "owner_agency_id": 1, "due_on": date.today()}
        ],
        by=meeting.organiser,
    )
    for family, closed in ((old, date.today() - timedelta(days=7 * 365)), (recent, date.today() - timedelta(days=700))):
        family.status, family.closed_on, family.closure_reason = FamilyStatus.CLOSED, closed, "Support ended well"
    db.session.add(AuditEvent(action="view", object_type="family", at=datetime.now(UTC) - timedelta(days=8 * 365)))
    db.session.add(AuditEvent(action="view", object_type="family"))
    db.session.add(
        OutboxMessage(
            recipient="x@example.org",
            subject="s",
            body="b",
            status=OutboxStatus.SENT,
            sent_at=datetime.now(UTC) - timedelta(days=100),
        )
    )
    db.session.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0
    assert "1 closed families to anonymise, 1 audit events and 1 sent e-mails to delete" in dry.output
    assert "DUR-2018-0001" in dry.output and "DUR-2024-0001" not in dry.output
    assert count(db, AuditEvent) == 2 and count(db, FamilyMember) == 2

    applied = runner.invoke(args=["retention", "--apply"])
    assert applied.exit_code == 0, applied.output
    db.session.expire_all()
    old, recent = db.session.get(Family, old.id), db.session.get(Family, recent.id)
    assert old.anonymised_at is not None and old.members == [] and old.consents == []
    assert "Old Child" not in old.summary + old.closure_reason
    discussion = old.items[0].discussion
    assert discussion.worries == "" and discussion.decision is Decision.TAF and discussion.scores[0].score == 4
    assert "Old Child" not in discussion.actions[0].description and "Old Child" not in old.items[0].title
    assert [m.name for m in recent.members] == ["Recent Child"] and recent.consents
    assert count(db, OutboxMessage) == 0
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["view", "retention"]
    assert events[-1].detail.startswith("1 closed families to anonymise")
    assert count(db, Consent) == 1 and db.session.scalar(select(func.count()).select_from(User)) > 0
