"""Routes of the action tracker: the list and its filters, one action's page and update, CSV and Word exports."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.access import record
from lehc.actions import bp, services
from lehc.actions.documents import tracker_document
from lehc.actions.forms import ActionUpdateForm
from lehc.audit import audit
from lehc.downloads import DOCX, attachment
from lehc.extensions import db
from lehc.forms import filter_args, page_number, record_id
from lehc.models import Action, ActionStatus
from lehc.policy import signed_in
from lehc.reference_data import all_agencies, all_localities

PAGE_SIZE = 50


def _filter_from_request() -> services.ActionFilter:
    args = request.args
    scope = args.get("scope", "mine")
    status = args.get("status", "open")
    due = args.get("due", "")
    return services.ActionFilter(
        scope=scope if scope in ("mine", "all") else "mine",
        locality_id=args.get("locality", type=record_id),
        agency_id=args.get("agency", type=record_id),
        owner_id=args.get("owner", type=record_id),
        status=status if status in ("open", "done", "cancelled", "any") else "open",
        due=due if due in ("overdue", "week") else "",
        meeting_id=args.get("meeting", type=record_id),
    )


def _found() -> tuple[services.ActionFilter, list[Action]]:
    """Everything the filter finds (for the exports)."""
    chosen = _filter_from_request()
    window = current_app.config["CALL_ON_WINDOW_DAYS"]
    return chosen, services.find_actions(policy.signed_in_user(), chosen, today=date.today(), window_days=window)


@bp.get("/actions")
@signed_in
def tracker() -> ResponseReturnValue:
    chosen = _filter_from_request()
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    page = request.args.get("page", 1, type=page_number)
    user = policy.signed_in_user()
    total = services.count_actions(user, chosen, today=today, window_days=window)
    shown = services.find_actions(
        user, chosen, today=today, window_days=window, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    query = filter_args(request.args, "scope", "status", "due", "locality", "agency", "owner", "meeting")
    return render_template(
        "actions/tracker.html",
        chosen=chosen,
        actions=shown,
        total=total,
        page=page,
        has_more=len(shown) == PAGE_SIZE and total > page * PAGE_SIZE,
        count_cap=services.COUNT_CAP,
        query=query,
        today=today,
        localities=all_localities(),
        agencies=all_agencies(),
        context_of=services.context_of,
        owner_agency=services.owner_agency,
        is_overdue=services.is_overdue,
    )


@bp.get("/actions.csv")
@signed_in
def tracker_csv() -> ResponseReturnValue:
    chosen, actions = _found()
    audit("export", "actions", detail=f"csv, {len(actions)} actions")
    body = services.to_csv(services.rows(actions, date.today()))
    return attachment(body, services.export_name(chosen, date.today(), "csv"), mimetype="text/csv")


@bp.get("/actions.docx")
@signed_in
def tracker_docx() -> ResponseReturnValue:
    chosen, actions = _found()
    group_by = "owner" if request.args.get("group") == "owner" else "locality"
    title = f"LEHC action tracker, {date.today():%-d %B %Y}"
    body = tracker_document(title, services.grouped(services.rows(actions, date.today()), group_by), group_by=group_by)
    audit("export", "actions", detail=f"docx, {len(actions)} actions, by {group_by}")
    return attachment(body, services.export_name(chosen, date.today(), "docx", group_by=group_by), mimetype=DOCX)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@record(
    "action",
    lambda action_id: db.session.get(Action, action_id),
    may_see=lambda user, action: policy.can_view_action(
        user, action, date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    ),
)
def update_action(action: Action) -> ResponseReturnValue:
    can_update = policy.can_update_action(current_user, action)
    form = ActionUpdateForm(status=action.status.value)
    if form.is_submitted() and not can_update:
        abort(403)
    if form.validate_on_submit():
        services.update_action(
            action,
            status=ActionStatus(form.status.data),
            reason=form.reason.data or "",
            note=form.note.data or "",
            by=current_user,
            today=date.today(),
        )
        audit("update", "action", action.id, family_id=action.discussion.family_id if action.discussion else None)
        flash("Action updated", "success")
        return redirect(url_for("actions.tracker"))
    return render_template(
        "actions/action.html",
        action=action,
        form=form if can_update else None,
        context=services.context_of(action),
        agency=services.owner_agency(action),
        title="Action",
    )
