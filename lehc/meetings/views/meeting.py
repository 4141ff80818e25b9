"""A meeting's page (its agenda, cached per reader), rescheduling, cancelling, marking held, the chair's
preparation view and the meeting pack."""

from datetime import date

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import concurrency, page_cache, policy
from lehc.actions.services import by_family, carried_forward
from lehc.audit import audit
from lehc.dates import format_date, next_midnight, to_london
from lehc.extensions import db
from lehc.mail import send_now_if_configured
from lehc.meetings import bp, services
from lehc.meetings.access import meeting_manager, meeting_viewer, pack_reader, still_open
from lehc.meetings.forms import CancelForm, MeetingForm
from lehc.meetings.pack import pack_entries
from lehc.meetings.preparation import prepare
from lehc.models import MAPPING_FIELDS, Meeting, MeetingStatus
from lehc.models.people import utcnow
from lehc.redaction import is_anonymous, item_title


@bp.get("/meetings/<int:meeting_id>")
@meeting_viewer
def view_meeting(meeting: Meeting) -> ResponseReturnValue:
    part = page_cache.fetch(db.session, ("agenda", current_user.id, meeting.id), lambda: _agenda_part(meeting.id))
    return render_template("meetings/meeting.html", part=part)


def _agenda_part(meeting_id: int) -> page_cache.Part:
    """The agenda as this user sees it, rendered for lehc.page_cache (which serves it again until it changes)."""
    meeting = services.meeting_with_agenda(meeting_id)  # access is decided on the route (meeting_viewer)
    user = policy.signed_in_user()
    can_manage = policy.can_manage_meetings(user, meeting.locality_id)
    slots = services.agenda_slots(meeting)
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    carried, carried_more = carried_forward(meeting, user, today=today, window_days=window)
    allowed = policy.agenda_permissions(user, (slot.item for slot in slots), today, window)
    now = utcnow()
    html = page_cache.render_part(
        "meetings/_agenda.html",
        meeting=meeting,
        slots=slots,
        visible=allowed.visible,
        titles={slot.item.id: item_title(slot.item, today) for slot in slots},
        recordable=allowed.recordable,
        letters=allowed.letters,
        anonymous={slot.item.id for slot in slots if slot.item.is_discussion and is_anonymous(slot.item, today)},
        overrun=services.overrun(meeting, slots),
        can_manage=can_manage,
        can_approve=policy.can_approve_minutes(user, meeting.locality_id),
        attendance=services.expected_attendance(meeting) if can_manage else None,
        my_response=services.response_of(meeting, user),
        invited=any(invitee.user.id == user.id for invitee in services.invitees(meeting)),
        now=now,
        carried=carried,
        carried_groups=by_family(carried, today),
        carried_more=carried_more,
    )
    back = (
        {
            "href": url_for("meetings.view_locality", locality_id=meeting.locality_id),
            "text": f"{meeting.locality.name} meetings",
        }
        if can_manage
        else {"href": url_for("main.dashboard"), "text": "Dashboard"}
    )
    # "Run the meeting" appears at the start; due dates and consent expiry change at midnight
    until = min(next_midnight(now), meeting.starts_at) if meeting.starts_at > now else next_midnight(now)
    return page_cache.Part(
        html=html,
        valid_until=until,
        layout={"title": f"{meeting.name}, {format_date(meeting.starts_at)}", "back": back},
    )


@bp.route("/meetings/<int:meeting_id>/reschedule", methods=["GET", "POST"])
@meeting_manager
def reschedule_meeting(meeting: Meeting) -> ResponseReturnValue:
    still_open(meeting)
    form = MeetingForm(obj=meeting)
    if not form.is_submitted():
        local = to_london(meeting.starts_at)
        form.day.data, form.start_time.data = local.date(), f"{local:%H:%M}"
        form.duration_minutes.data = int(meeting.duration.total_seconds() // 60)
    conflict = form.is_submitted() and concurrency.changed_since(meeting, form.version.data)
    valid = not conflict and form.validate_on_submit()
    if valid:
        day, at, minutes = form.day.data, form.start_time.time, form.duration_minutes.data
        clash = services.forum_day_problem(meeting.area, meeting.kind, day, besides=meeting) or services.double_booking(
            meeting.locality, day, at, minutes, besides=meeting
        )
        if clash:
            form.day.errors.append(clash)
            valid = False
    if valid:
        with concurrency.saving() as save:
            services.reschedule(
                meeting,
                form.day.data,
                form.start_time.time,
                form.duration_minutes.data,
                venue=form.venue.data or "",
                online_link=form.online_link.data or "",
                by=current_user,
            )
        if save.done:
            sent = send_now_if_configured(current_app.config)
            waiting = ". Updated invites are waiting in the outbox: no mail server is set up yet."
            published = (". Updated invites are on their way." if sent else waiting) if meeting.is_published else ""
            flash("Meeting rescheduled" + published, "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
        conflict = True
    if conflict:
        concurrency.mark_conflict(form, meeting, "this meeting's date, time or place")
    return render_template(
        "meetings/meeting_form.html",
        form=form,
        locality=meeting.locality,
        meeting=meeting,
        conflict_with=meeting if conflict else None,
        title="Reschedule the meeting",
    )


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@meeting_manager
def cancel_meeting(meeting: Meeting) -> ResponseReturnValue:
    still_open(meeting)
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel(meeting, form.reason.data, current_user)
        send_now_if_configured(current_app.config)
        flash("Meeting cancelled", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template("meetings/cancel.html", form=form, meeting=meeting, title="Cancel the meeting")


@bp.post("/meetings/<int:meeting_id>/held")
@meeting_manager
def mark_held(meeting: Meeting) -> ResponseReturnValue:
    still_open(meeting)
    if meeting.starts_at > utcnow() or meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        flash("A meeting can be marked as held once it has started", "info")
    else:
        services.mark_held(meeting)
        flash("Meeting marked as held", "success")
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>/prepare")
@meeting_manager
def prepare_meeting(meeting: Meeting) -> ResponseReturnValue:
    """The chair's preparation view: each item's time, consent, history, actions and readiness."""
    items = prepare(meeting, date.today())
    return render_template(
        "meetings/prepare.html",
        meeting=meeting,
        items=items,
        not_ready=[entry for entry in items if not entry.ready],
        titles={entry.slot.item.id: item_title(entry.slot.item) for entry in items},
    )


@bp.get("/meetings/<int:meeting_id>/pack")
@pack_reader
def meeting_pack(meeting: Meeting) -> ResponseReturnValue:
    """The agenda with, for each item the user is entitled to, the family summary, consent, last mapping and open
    actions; for the others only the slot and reference."""
    entries = pack_entries(current_user, meeting, date.today(), current_app.config["CALL_ON_WINDOW_DAYS"])
    for entry in entries:
        if entry.identified:
            audit("view", "meeting_pack_item", entry.slot.item.id, family_id=entry.slot.item.family_id)
    return render_template("meetings/pack.html", meeting=meeting, entries=entries, mapping_fields=MAPPING_FIELDS)
