"""The outbox page: what the service e-mailed about a coordinator's localities, to whom and when; what waits or
failed, and why; sending an invitation again."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.access import record
from lehc.extensions import db
from lehc.forms import filter_args, page_number, record_id
from lehc.mail import send_now_if_configured
from lehc.meetings import bp, services
from lehc.models import OutboxMessage, OutboxStatus, Role
from lehc.reference_data import all_localities

PAGE_SIZE = 50
FILTERS = ("status", "locality")


def _load_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


@bp.get("/outbox")
@policy.requires_role(Role.ADMIN, Role.CHAIR, Role.COORDINATOR)
def outbox() -> ResponseReturnValue:
    status = request.args.get("status", "")
    chosen = services.OutboxFilter(
        status=OutboxStatus(status) if status in set(OutboxStatus) else None,
        locality_id=request.args.get("locality", type=record_id),
    )
    page = request.args.get("page", 1, type=page_number)
    total, messages = services.outbox_page(current_user, chosen, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    everywhere = policy.user_has_role(current_user, Role.ADMIN)
    managed = {membership.locality_id for membership in current_user.memberships}
    localities = [locality for locality in all_localities() if everywhere or locality.id in managed]
    return render_template(
        "meetings/outbox.html",
        chosen=chosen,
        messages=messages,
        total=total,
        page=page,
        has_more=total > page * PAGE_SIZE,
        query=filter_args(request.args, *FILTERS),
        localities=localities,
        statuses=list(OutboxStatus),
        mail_configured=bool(current_app.config["SMTP_HOST"]),
        can_resend=policy.can_resend,
        superseded=services.superseded(messages),
    )


@bp.post("/outbox/<int:message_id>/resend")
@record("message", _load_message, may_see=policy.can_see_outbox_message, may_change=policy.can_resend)
def resend_message(message: OutboxMessage) -> ResponseReturnValue:
    back = url_for("meetings.outbox", **filter_args(request.args, *FILTERS))
    if not services.resend(message):
        flash(
            "A newer invitation or cancellation to this person replaced this one, so it is not sent again.", "important"
        )
        return redirect(back)
    db.session.commit()
    if not send_now_if_configured(current_app.config):
        flash("Queued again. No mail server is set, so it waits in the outbox.", "success")
    elif db.session.get(OutboxMessage, message.id).status is OutboxStatus.SENT:
        flash(f"Sent again to {message.recipient}", "success")
    else:
        flash("It could not be sent yet: the reason is in the list. It will be tried again.", "important")
    return redirect(back)
