"""Agency checks before a meeting: a member's checks for their agency, the chair's grid, and answering one."""

from datetime import date

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.audit import audit
from lehc.meetings import bp
from lehc.meetings.access import check_answerer, meeting_with_checks
from lehc.meetings.forms import AgencyCheckForm
from lehc.meetings.services import agency_checks
from lehc.models import AgencyCheck, CheckAnswer, Meeting
from lehc.redaction import item_title


@bp.get("/meetings/<int:meeting_id>/agency-checks")
@meeting_with_checks
def agency_checks_page(meeting: Meeting) -> ResponseReturnValue:
    """A member's checks for their agency; for the locality's chairs and coordinators, the whole grid too."""
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    manager = policy.can_manage_meetings(current_user, meeting.locality_id)
    mine = agency_checks.checks_for(current_user, meeting, today, window)
    return render_template(
        "meetings/agency_checks.html",
        meeting=meeting,
        mine=mine,
        titles={check.id: item_title(check.item, today) for check in mine},  # what the item is about, not a bare ref
        agency=policy.member_agency(current_user, meeting.locality_id),
        grid=agency_checks.grid(meeting) if manager else None,
        title="Agency checks",
    )


@bp.route("/meetings/<int:meeting_id>/agency-checks/<int:check_id>", methods=["GET", "POST"])
@check_answerer
def answer_agency_check(check: AgencyCheck) -> ResponseReturnValue:
    item = check.item
    form = AgencyCheckForm()  # not obj=check: a radio left blank must not fall back to the saved answer
    if not form.is_submitted():
        form.answer.data = check.answer.value if check.answer else None
        form.note.data = check.note
    if form.validate_on_submit():
        agency_checks.answer(check, CheckAnswer(form.answer.data), form.note.data or "", current_user)
        audit("update", "agency_check", check.id, family_id=check.family_id, detail=f"{item.reference}: {check.answer}")
        flash(f"Your agency's answer for {item.reference} is saved", "success")
        return redirect(url_for("meetings.agency_checks_page", meeting_id=item.meeting_id))
    audit("view", "agency_check", check.id, family_id=check.family_id)
    return render_template(
        "meetings/agency_check_form.html",
        form=form,
        check=check,
        item=item,
        meeting=item.meeting,
        title=f"Agency check {item.reference}",
    )
