"""Retention: what is kept no longer than needed, and how it is removed (irreversibly, in one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select, update

from lehc.extensions import db
from lehc.models import (
    Action,
    AgencyCheck,
    AgendaItem,
    AuditEvent,
    Consent,
    Discussion,
    Family,
    FamilyMember,
    FamilyNeed,
    FamilyStatus,
    OutboxMessage,
    OutboxStatus,
)
from lehc.models.people import utcnow

REMOVED = "[removed under the retention policy]"
TEXT_FIELDS = [
    "worries",
    "worry_statement",
    "complicating_factors",
    "strengths",
    "existing_wellbeing",
    "wellbeing_goals",
    "next_steps",
    "decision_notes",
]


@dataclass
class RetentionPlan:
    families: list[Family]
    audit_before: datetime
    audit_events: int
    outbox_before: datetime
    outbox_messages: int

    def summary(self) -> str:
        return (
            f"{len(self.families)} closed families to anonymise, {self.audit_events} audit events and "
            f"{self.outbox_messages} sent e-mails to delete"
        )


def plan(config: dict, today: date | None = None) -> RetentionPlan:
    today = today or date.today()
    family_cutoff = today - relativedelta(years=config["RETENTION_FAMILY_YEARS"])
    audit_before = utcnow() - relativedelta(years=config["RETENTION_AUDIT_YEARS"])
    outbox_before = utcnow() - timedelta(days=config["RETENTION_OUTBOX_DAYS"])
    families = list(
        db.session.scalars(
            select(Family)
            .where(
                Family.status == FamilyStatus.CLOSED, Family.closed_on < family_cutoff, Family.anonymised_at.is_(None)
            )
            .order_by(Family.reference)
        )
    )
    audit_events = db.session.query(AuditEvent).filter(AuditEvent.at < audit_before).count()
    outbox_messages = (
        db.session.query(OutboxMessage)
        .filter(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < outbox_before)
        .count()
    )
    return RetentionPlan(families, audit_before, audit_events, outbox_before, outbox_messages)


def anonymise(family: Family) -> None:
    """Remove everything personal; keep the reference, dates, decisions and scores for the statistics."""
    db.session.execute(delete(FamilyMember).where(FamilyMember.family_id == family.id))
    db.session.execute(delete(Consent).where(Consent.family_id == family.id))
    db.session.execute(delete(FamilyNeed).where(FamilyNeed.family_id == family.id))
    db.session.execute(update(AgencyCheck).where(AgencyCheck.family_id == family.id).values(note=""))
    family.summary, family.closure_reason = REMOVED, REMOVED
    family.lead_practitioner_id = None
    family.anonymised_at = utcnow()
    for discussion in db.session.scalars(select(Discussion).where(Discussion.family_id == family.id)):
        for name in TEXT_FIELDS:
            setattr(discussion, name, "")
        for action in db.session.scalars(select(Action).where(Action.discussion_id == discussion.id)):
            action.description, action.status_reason = REMOVED, ""
    for item in db.session.scalars(select(AgendaItem).where(AgendaItem.family_id == family.id)):
        item.title = REMOVED


def apply(retention: RetentionPlan) -> None:
    for family in retention.families:
        anonymise(family)
    db.session.execute(delete(AuditEvent).where(AuditEvent.at < retention.audit_before))
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < retention.outbox_before
        )
    )
