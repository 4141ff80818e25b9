"""Everything LEHC holds about a family, for a subject access request (UK GDPR article 15)."""

from __future__ import annotations

from sqlalchemy import select

from lehc import word
from lehc.dates import format_date, format_datetime
from lehc.extensions import db
from lehc.families.moves import move_of
from lehc.families.services import history
from lehc.models import MAPPING_FIELDS, AuditEvent, Family


def subject_access_data(family: Family) -> dict:
    items = history(family)
    audit_events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.family_id == family.id).order_by(AuditEvent.at)
    ).all()
    return {
        "reference": family.reference,
        "locality": family.locality.name,
        "requested_on": family.requested_on.isoformat(),
        "status": family.status.value,
        "closed_on": family.closed_on.isoformat() if family.closed_on else None,
        "closure_reason": family.closure_reason,
        "summary": family.summary,
        "presenting_practitioner": family.presenter.name,
        "lead_practitioner": family.lead_practitioner.name if family.lead_practitioner else None,
        "needs": [outcome.label for outcome in family.outcomes],
        "members": [
            {
                "kind": m.kind.value,
                "name": m.name,
                "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else None,
                "school_or_setting": m.school_or_setting,
                "send": m.send,
                "relationship": m.relationship_to_child,
            }
            for m in family.members
        ],
        "consents": [
            {
                "given_by": c.given_by_name,
                "relationship": c.given_by_relationship,
                "given_on": c.given_on.isoformat(),
                "method": c.method.value,
                "covers_discussion": c.covers_discussion,
                "covers_sharing": c.covers_sharing,
                "expires_on": c.expires_on.isoformat(),
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
                "withdrawal_note": c.withdrawal_note,
            }
            for c in family.consents
        ],
        "discussions": [
            {
                "meeting": format_datetime(item.meeting.starts_at),
                "type": item.discussion_type.label if item.discussion_type else "",
                "mapping": {label: getattr(item.discussion, name) for name, _, label in MAPPING_FIELDS}
                if item.discussion
                else {},
                "scores": {s.view.label: s.score for s in item.discussion.scores} if item.discussion else {},
                "decision": item.discussion.decision.label if item.discussion and item.discussion.decision else None,
                "move": move.text if (move := move_of(item.discussion)) else None,
                "actions": [
                    {
                        "description": a.description,
                        "owner": a.owner.name if a.owner else None,
                        "agency": a.owner_agency.name if a.owner_agency else None,
                        "due_on": a.due_on.isoformat(),
                        "status": a.status.label,
                    }
                    for a in (item.discussion.actions if item.discussion else [])
                ],
                "agency_checks": [
                    {"agency": c.agency.name, "answer": c.answer.label if c.answer else None, "note": c.note}
                    for c in item.agency_checks
                    if c.family_id == family.id
                ],
            }
            for item in items
        ],
        "access_log": [
            {
                "at": e.at.isoformat(),
                "who": e.user.email if e.user else "system",
                "action": e.action,
                "record": e.object_type,
                "from": e.ip_address,
            }
            for e in audit_events
        ],
    }


def subject_access_document(data: dict) -> bytes:
    data = word.cleaned(data)
    document = word.new_document(
        f"LEHC subject access – {data['reference']}", subject="Subject access request: information held"
    )
    word.heading(document, f"Information held about family {data['reference']}", 1)
    document.add_paragraph(
        f"{data['locality']} LEHC. Requested {format_date_iso(data['requested_on'])}. Status: {data['status']}."
    )
    word.heading(document, "Why the family was brought", 2)
    document.add_paragraph(data["summary"])
    word.heading(document, "Family members", 2)
    word.table(
        document,
        ["Name", "Date of birth", "School, setting or relationship"],
        [(m["name"], m["date_of_birth"] or "", m["school_or_setting"] or m["relationship"]) for m in data["members"]],
        weights=[4, 2.5, 5],
    )
    word.heading(document, "Consent", 2)
    word.table(
        document,
        ["Given by", "Given", "Until", "Withdrawn"],
        [(c["given_by"], c["given_on"], c["expires_on"], c["withdrawn_on"] or "") for c in data["consents"]],
        weights=[4, 2.5, 2.5, 2.5],
    )
    for discussion in data["discussions"]:
        word.heading(document, f"Discussion, {discussion['meeting']}", 2)
        for label, text in discussion["mapping"].items():
            if text:
                document.add_paragraph(f"{label}: {text}")
        if discussion["decision"]:
            document.add_paragraph(f"Decision: {discussion['decision']}")
        if discussion.get("move"):
            document.add_paragraph(f"Move: {discussion['move']}")
        if discussion["actions"]:
            word.heading(document, "Actions", 3)
            word.table(
                document,
                ["Action", "Owner", "Due", "Status"],
                [
                    (a["description"], a["owner"] or a["agency"] or "", a["due_on"], a["status"])
                    for a in discussion["actions"]
                ],
                weights=[6, 3.5, 2.3, 2.3],
            )
        if discussion["agency_checks"]:
            word.heading(document, "Agency checks", 3)
            word.table(
                document,
                ["Agency asked", "Answer", "Current involvement"],
                [(c["agency"], c["answer"] or "Not answered", c["note"]) for c in discussion["agency_checks"]],
                weights=[4, 2.5, 6],
            )
    word.heading(document, "Who has seen or changed this record", 2)
    word.table(
        document,
        ["When", "Who", "What", "Record"],
        [(e["at"][:16].replace("T", " "), e["who"], e["action"], e["record"]) for e in data["access_log"]],
        weights=[3, 4, 2.5, 3],
    )
    return word.to_bytes(document)


def format_date_iso(text: str) -> str:
    from datetime import date

    return format_date(date.fromisoformat(text))
