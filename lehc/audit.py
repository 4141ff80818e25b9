"""The audit trail: every view, change and export of family data, and every refusal."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from lehc.extensions import db
from lehc.models import AuditEvent


def audit(
    action: str, object_type: str, object_id: int | None = None, *, family_id: int | None = None, detail: str = ""
) -> AuditEvent:
    """Record an event. `detail` must never hold a family member's name: use references and ids."""
    user_id = current_user.id if has_request_context() and current_user.is_authenticated else None
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
