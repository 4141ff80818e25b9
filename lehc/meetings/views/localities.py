"""A locality's meetings, its closure dates, and scheduling a series or a single meeting."""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.extensions import db
from lehc.meetings import bp, services
from lehc.meetings.access import locality_manager, locality_member
from lehc.meetings.forms import ClosureForm, NewMeetingForm, SeriesForm
from lehc.meetings.scheduling import (
    ClashChoice,
    SeriesPattern,
    bank_holidays,
    blocked_days,
    pattern_dates,
    plan_dates,
)
from lehc.models import LEHC, ClosureDate, Frequency, Locality, MeetingKind, MeetingSeries


@bp.get("/localities/<int:locality_id>")
@locality_member
def view_locality(locality: Locality) -> ResponseReturnValue:
    upcoming, past = services.meetings_for_locality(locality)
    return render_template(
        "meetings/locality.html",
        locality=locality,
        upcoming=upcoming,
        past=past,
        discussions=services.discussion_counts(upcoming + past),
        several_kinds=len({meeting.kind_code for meeting in upcoming + past}) > 1,
        can_manage=policy.can_manage_meetings(current_user, locality.id),
    )


@bp.route("/localities/<int:locality_id>/closures", methods=["GET", "POST"])
@locality_manager
def closures(locality: Locality) -> ResponseReturnValue:
    form = ClosureForm()
    if form.validate_on_submit():
        if services.add_closure(locality, form.day.data, form.reason.data) is None:
            form.day.errors.append("There is already a closure on that date")
        else:
            flash("Closure date added. New series will avoid it.", "success")
            return redirect(url_for("meetings.closures", locality_id=locality.id))
    today = date.today()
    coming = bank_holidays([today.year, today.year + 1])
    return render_template(
        "meetings/closures.html",
        form=form,
        locality=locality,
        closures=services.closure_dates(locality),
        bank_holidays=sorted((d, n) for d, n in coming.items() if today <= d <= today + timedelta(days=365)),
    )


@bp.post("/localities/<int:locality_id>/closures/<int:closure_id>/remove")
@locality_manager
def remove_closure(locality: Locality, closure_id: int) -> ResponseReturnValue:
    closure = db.get_or_404(ClosureDate, closure_id)
    if closure.locality_id != locality.id:
        abort(404)
    db.session.delete(closure)
    flash("Closure date removed", "success")
    return redirect(url_for("meetings.closures", locality_id=locality.id))


def _pattern(form: SeriesForm) -> SeriesPattern:
    return SeriesPattern(
        frequency=Frequency(form.frequency.data),
        weekday=form.weekday.data,
        first_date=form.first_date.data,
        until_date=form.until_date.data,
        occurrences=form.occurrences.data,
        week_of_month=form.week_of_month.data if form.frequency.data == Frequency.MONTHLY.value else None,
    )


def _choose_kind(form: SeriesForm | NewMeetingForm) -> MeetingKind:
    """The kind radios: every kind a locality meets as (an area's forum is scheduled for the area). A new form
    starts on the kind its link asked for (?kind=step), else the LEHC, and a series on that kind's usual frequency.
    Returns the kind chosen."""
    kinds = {kind.code: kind for kind in services.meeting_kinds(per_area=False)}
    form.kind_code.choices = [(kind.code, kind.name) for kind in kinds.values()]
    if not form.is_submitted():
        form.kind_code.data = request.args.get("kind") if request.args.get("kind") in kinds else LEHC
        if isinstance(form, SeriesForm):
            form.frequency.data = kinds[form.kind_code.data].default_frequency.value
    return kinds.get(form.kind_code.data) or kinds[LEHC]


@bp.route("/localities/<int:locality_id>/series/new", methods=["GET", "POST"])
@locality_manager
def create_series(locality: Locality) -> ResponseReturnValue:
    form = SeriesForm()
    kind = _choose_kind(form)
    planned = None
    if form.validate_on_submit():
        dates = pattern_dates(_pattern(form))
        blocked = blocked_days(dates, services.closures_for(locality))
        if dates:  # and the days the locality already meets at that time (to the end of any move, a month on)
            last = max(dates) + timedelta(days=31)
            taken = services.meetings_at(locality, min(dates), last, form.start_time.time, form.duration_minutes.data)
            blocked = {**blocked, **taken}
        planned = plan_dates(dates, blocked, ClashChoice(form.on_clash.data))
        if form.save.data:
            series = MeetingSeries(
                locality=locality,
                kind=kind,
                frequency=Frequency(form.frequency.data),
                weekday=form.weekday.data,
                week_of_month=_pattern(form).week_of_month,
                start_time=form.start_time.time,
                duration_minutes=form.duration_minutes.data,
                first_date=form.first_date.data,
                until_date=form.until_date.data,
                occurrences=form.occurrences.data,
                venue=form.venue.data or "",
                online_link=form.online_link.data or "",
                created_by_id=current_user.id,
            )
            meetings = services.create_series(series, planned, current_user)
            flash(f"{len(meetings)} meetings scheduled for {locality.name} {kind.short_name}", "success")
            return redirect(url_for("meetings.view_locality", locality_id=locality.id))
    return render_template(
        "meetings/series_form.html", form=form, locality=locality, planned=planned, start_time=form.start_time.time
    )


@bp.route("/localities/<int:locality_id>/meetings/new", methods=["GET", "POST"])
@locality_manager
def create_meeting(locality: Locality) -> ResponseReturnValue:
    form = NewMeetingForm()
    kind = _choose_kind(form)
    if form.validate_on_submit():
        day, at, minutes = form.day.data, form.start_time.time, form.duration_minutes.data
        clash = services.double_booking(locality, day, at, minutes)
        if clash:
            form.day.errors.append(clash)
        else:
            meeting = services.new_meeting(
                locality,
                day,
                at,
                minutes,
                venue=form.venue.data or "",
                online_link=form.online_link.data or "",
                organiser=current_user,
                kind=kind,
            )
            db.session.flush()
            flash("Meeting scheduled", "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, locality=locality, title="Schedule a meeting")
