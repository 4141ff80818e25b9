"""A meeting in progress and its minutes: running it (attendance, notes, meeting actions), approval, amendment and
the minutes on screen."""

import hashlib
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.audit import audit
from lehc.extensions import db
from lehc.meetings.services import agenda_slots, invitees, response_of
from lehc.minutes import bp, services
from lehc.minutes.access import for_reader, minutes_approver, minutes_manager, minutes_reader
from lehc.minutes.forms import AmendmentForm, DeclarationsForm, GuestForm, MeetingActionForm, NotesForm
from lehc.models import AgencySector, AttendanceStatus, Meeting, ResponseKind
from lehc.models.people import utcnow
from lehc.reference_data import all_agencies, possible_presenters

RESPONSE_TO_ATTENDANCE = {
    ResponseKind.ACCEPTED: AttendanceStatus.PRESENT,
    ResponseKind.APOLOGIES: AttendanceStatus.APOLOGIES,
    ResponseKind.DEPUTY: AttendanceStatus.DEPUTY,
}


def _attendance_rows(meeting: Meeting) -> list[dict]:
    recorded = {row.user_id: row for row in services.attendance_for(meeting)}
    rows = []
    for invitee in invitees(meeting):
        row = recorded.get(invitee.user.id)
        response = response_of(meeting, invitee.user)
        status = row.status if row else RESPONSE_TO_ATTENDANCE.get(response.response) if response else None
        deputy = row.deputy_name if row else (response.deputy_name if response else "")
        rows.append({"user": invitee.user, "status": status, "deputy": deputy, "call_on": not invitee.whole_meeting})
    return rows


@bp.route("/meetings/<int:meeting_id>/run", methods=["GET", "POST"])
@minutes_manager
def run_meeting(meeting: Meeting) -> ResponseReturnValue:
    """The chair's and coordinator's page during and after the meeting: attendance, items, actions, approval."""
    rows = _attendance_rows(meeting)
    errors = {}
    if request.method == "POST" and request.form.get("form") == "attendance":
        entries = {}
        for row in rows:
            user_id = row["user"].id
            value = request.form.get(f"status-{user_id}", "")
            deputy = request.form.get(f"deputy-{user_id}", "").replace("\x00", "").strip()[:120]
            if not value:
                continue
            try:
                status = AttendanceStatus(value)
            except ValueError:
                abort(400)
            if status is AttendanceStatus.DEPUTY and not deputy:
                errors[f"deputy-{user_id}"] = f"Enter the name of {row['user'].name}'s deputy"
            entries[user_id] = (status, deputy)
            row["status"], row["deputy"] = status, deputy
        if not errors:
            try:
                services.record_attendance(meeting, entries)
            except services.MinutesLocked as locked:
                flash(str(locked), "info")
                return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id))
            flash("Attendance saved", "success")
            return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id))
    return _render_run(meeting, rows, errors)


CONFLICT = (
    "Someone else changed the {what} while you were editing them. Your text is below and theirs is "
    "saved: copy what you need into it, then save again."
)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _render_run(meeting: Meeting, rows: list[dict], errors: dict, **forms):
    notes_form = forms.get("notes_form") or NotesForm(obj=meeting, original=fingerprint(meeting.minutes_notes))
    declarations_form = forms.get("declarations_form") or DeclarationsForm(
        obj=meeting, original=fingerprint(meeting.declarations)
    )
    locked = services.is_locked(meeting)
    guest_form = forms.get("guest_form") or (GuestForm() if meeting.area_id is not None and not locked else None)
    action_form = forms.get("action_form")
    if action_form is None and not locked:  # approved minutes take no new action: no county-wide people picker
        action_form = MeetingActionForm(people=possible_presenters(meeting.locality_id), agencies=all_agencies())
    return render_template(
        "minutes/run.html",
        meeting=meeting,
        rows=rows,
        attendance_errors=errors,
        statuses=list(AttendanceStatus),
        slots=[slot for slot in agenda_slots(meeting) if slot.item.is_discussion],
        notes_form=notes_form,
        declarations_form=declarations_form,
        declarations_saved=forms.get("declarations_saved"),
        action_form=action_form,
        guest_form=guest_form,
        meeting_actions=services.meeting_actions(meeting),
        progress=services.progress(meeting, utcnow()),
        locked=locked,
        versions=services.versions(meeting),
        can_approve=policy.can_approve_minutes(current_user, meeting.locality_id),
        notes_saved=forms.get("notes_saved"),
        title="Run the meeting",
    ), (400 if errors else 200)


@dataclass(frozen=True)
class MeetingText:
    """One of the meeting's own texts on the run page: its column (and form field), the name of its form and of the
    other person's text in the page's context, its anchor, and the words for it."""

    column: str
    form: str
    anchor: str
    what: str


NOTES = MeetingText("minutes_notes", "notes", "notes", "notes")
DECLARATIONS = MeetingText("declarations", "declarations", "declarations-of-interest", "declarations")


def _save_text(meeting: Meeting, form: NotesForm | DeclarationsForm, text: MeetingText) -> ResponseReturnValue:
    """Save the meeting's notes or declarations; of two people saving at once, the second keeps their text on the
    form beside what the first saved."""
    back = url_for("minutes.run_meeting", meeting_id=meeting.id, _anchor=text.anchor)
    if services.is_locked(meeting):
        flash("These minutes are approved. Start an amendment, with a reason, to change them.", "info")
        return redirect(back)
    opened = getattr(meeting, text.column)
    conflict = form.original.data != fingerprint(opened)  # changed since this person opened the page
    if not conflict and form.validate_on_submit():
        if services.save_meeting_text(
            meeting, text.column, (getattr(form, text.column).data or "").strip(), opened=opened
        ):
            flash(f"{text.what.capitalize()} saved", "success")
            return redirect(back)
        db.session.rollback()  # changed between reading and writing: found by the UPDATE
        conflict = True
    if not conflict:
        return _render_run(meeting, _attendance_rows(meeting), {}, **{f"{text.form}_form": form})
    form.original.errors = [CONFLICT.format(what=text.what)]
    form.original.data = fingerprint(getattr(meeting, text.column))
    theirs = {f"{text.form}_form": form, f"{text.form}_saved": getattr(meeting, text.column)}
    return _render_run(meeting, _attendance_rows(meeting), {}, **theirs)


@bp.post("/meetings/<int:meeting_id>/minutes/notes")
@minutes_manager
def save_notes(meeting: Meeting) -> ResponseReturnValue:
    return _save_text(meeting, NotesForm(), NOTES)


@bp.post("/meetings/<int:meeting_id>/minutes/declarations")
@minutes_manager
def save_declarations(meeting: Meeting) -> ResponseReturnValue:
    return _save_text(meeting, DeclarationsForm(), DECLARATIONS)


@bp.post("/meetings/<int:meeting_id>/minutes/actions")
@minutes_manager
def add_meeting_action(meeting: Meeting) -> ResponseReturnValue:
    form = MeetingActionForm(people=possible_presenters(meeting.locality_id), agencies=all_agencies())
    if not form.validate_on_submit():
        return _render_run(meeting, _attendance_rows(meeting), {}, action_form=form)
    try:
        action = services.add_meeting_action(
            meeting,
            description=form.description.data,
            owner_id=form.owner_id.data,
            owner_agency_id=form.owner_agency_id.data,
            due_on=form.due_on.data,
            by=current_user,
        )
    except services.MinutesLocked as locked:
        flash(str(locked), "info")
    else:
        db.session.flush()
        audit("create", "action", action.id)
        flash("Meeting action added", "success")
    return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id, _anchor="meeting-actions"))


@bp.post("/meetings/<int:meeting_id>/minutes/guests")
@minutes_manager
def add_guest(meeting: Meeting) -> ResponseReturnValue:
    """A forum's attendance beyond its LEHC members: whoever came, by organisation and sector."""
    if meeting.area_id is None:
        abort(404)
    form = GuestForm()
    if not form.validate_on_submit():
        return _render_run(meeting, _attendance_rows(meeting), {}, guest_form=form)
    try:
        services.add_guest(
            meeting,
            name=form.name.data or "",
            organisation=form.organisation.data,
            sector=AgencySector(form.sector.data),
        )
    except services.MinutesLocked as locked:
        flash(str(locked), "info")
    else:
        flash(f"{form.name.data or 'Someone'} from {form.organisation.data} added to the attendance", "success")
    return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id, _anchor="guests"))


@bp.post("/meetings/<int:meeting_id>/minutes/guests/<int:guest_id>/remove")
@minutes_manager
def remove_guest(meeting: Meeting, guest_id: int) -> ResponseReturnValue:
    try:
        removed = services.remove_guest(meeting, guest_id)
    except services.MinutesLocked as locked:
        flash(str(locked), "info")
    else:
        if removed is None:
            abort(404)
        flash("Taken off the attendance", "success")
    return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id, _anchor="guests"))


@bp.route("/meetings/<int:meeting_id>/minutes/approve", methods=["GET", "POST"])
@minutes_approver
def approve_minutes(meeting: Meeting) -> ResponseReturnValue:
    """The chair checks what approval will freeze, then approves: the minutes become a numbered, locked version."""
    if services.is_locked(meeting):
        flash("These minutes are already approved", "info")
        return redirect(url_for("minutes.view_minutes", meeting_id=meeting.id))
    if not services.has_started(meeting):
        flash("Minutes can be approved once the meeting has taken place", "info")
        return redirect(url_for("minutes.view_minutes", meeting_id=meeting.id))
    if request.method == "POST":
        version = services.approve(meeting, current_user)
        audit("approve", "minutes", version.id, detail=f"{meeting.reference} version {version.number}")
        flash(f"Minutes approved (version {version.number}). They are now locked.", "success")
        return redirect(url_for("minutes.view_minutes", meeting_id=meeting.id))
    return render_template(
        "minutes/approve.html", meeting=meeting, check=services.approval_check(meeting), title="Approve the minutes"
    )


@bp.route("/meetings/<int:meeting_id>/minutes/amend", methods=["GET", "POST"])
@minutes_approver
def amend_minutes(meeting: Meeting) -> ResponseReturnValue:
    if not services.is_locked(meeting):
        return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id))
    form = AmendmentForm()
    if form.validate_on_submit():
        services.start_amendment(meeting, form.reason.data)
        audit("amend", "minutes", meeting.id, detail=meeting.reference)
        flash("Amendment started. Approve the minutes again when the changes are made.", "success")
        return redirect(url_for("minutes.run_meeting", meeting_id=meeting.id))
    return render_template("minutes/amend.html", form=form, meeting=meeting, title="Amend approved minutes")


@bp.get("/meetings/<int:meeting_id>/minutes")
@minutes_reader
def view_minutes(meeting: Meeting) -> ResponseReturnValue:
    minutes = for_reader(services.minutes_for(meeting), meeting)
    audit("view", "minutes", meeting.id, detail=meeting.reference)
    return render_template(
        "minutes/minutes.html",
        meeting=meeting,
        minutes=minutes,
        versions=services.versions(meeting),
        locked=services.is_locked(meeting),
        can_approve=policy.can_approve_minutes(current_user, meeting.locality_id) and services.has_started(meeting),
        title="Minutes",
    )
