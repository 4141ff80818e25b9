"""A locality's meetings, its closure dates, and scheduling a series or a single meeting."""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.extensions import db
from lehc.meetings import bp, services
from lehc.meetings.access import locality_manager, locality_member
from lehc.meetings.forms import ClosureForm, MeetingForm, SeriesForm
from lehc.meetings.scheduling import (
    ClashChoice,
    SeriesPattern,
    bank_holidays,
    blocked_days,
    pattern_dates,
    plan_dates,
)
from lehc.models import ClosureDate, Frequency, Locality, MeetingSeries


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


@bp.route("/localities/<int:locality_id>/series/new", methods=["GET", "POST"])
@locality_manager
def create_series(locality: Locality) -> ResponseReturnValue:
    form = SeriesForm()
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
            flash(f"{len(meetings)} meetings scheduled for {locality.name}", "success")
            return redirect(url_for("meetings.view_locality", locality_id=locality.id))
    return render_template(
        "meetings/series_form.html", form=form, locality=locality, planned=planned, start_time=form.start_time.time
    )


@bp.route("/localities/<int:locality_id>/meetings/new", methods=["GET", "POST"])
@locality_manager
def create_meeting(locality: Locality) -> ResponseReturnValue:
    form = MeetingForm()
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
            )
            db.session.flush()
            flash("Meeting scheduled", "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, locality=locality, title="Schedule a meeting")
