"""A member's response to an invitation, and calendars: one meeting's file and a member's subscription feed."""

from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from lehc import policy
from lehc.downloads import attachment
from lehc.extensions import db
from lehc.meetings import bp, calendar, services
from lehc.meetings.access import meeting_viewer
from lehc.meetings.forms import ResponseForm
from lehc.models import Meeting, ResponseKind, User
from lehc.models.people import utcnow
from lehc.policy import public


@bp.route("/meetings/<int:meeting_id>/response", methods=["GET", "POST"])
@meeting_viewer
def respond(meeting: Meeting) -> ResponseReturnValue:
    existing = services.response_of(meeting, current_user)
    form = ResponseForm(obj=existing)
    if existing is not None and not form.is_submitted():
        form.response.data = existing.response.value
    if form.validate_on_submit():
        services.record_response(
            meeting,
            current_user,
            ResponseKind(form.response.data),
            form.deputy_name.data or "",
            form.deputy_email.data or "",
        )
        flash("Your response is saved", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template("meetings/response.html", form=form, meeting=meeting, title="Your response")


def _ics_response(body: bytes, filename: str, method: str | None) -> Response:
    content_type = "text/calendar; charset=utf-8" + (f"; method={method}" if method else "")
    return attachment(body, filename, content_type=content_type)


def _events_for(user: User, meeting: Meeting) -> list[calendar.CalendarEvent]:
    """What a user has in their calendar for a meeting: all of it, or only their call-on slots."""
    domain, url = current_app.config["CALENDAR_DOMAIN"], services.meeting_url(meeting)
    if policy.sees_whole_meeting(user, meeting):
        return [calendar.meeting_event(meeting, domain=domain, url=url)]
    return [
        calendar.slot_event(slot.item, slot.starts_at, slot.ends_at, domain=domain, url=url)
        for slot in services.agenda_slots(meeting)
        if user in slot.item.call_on_members
    ]


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
@meeting_viewer
def download_invite(meeting: Meeting) -> ResponseReturnValue:
    body = calendar.feed(_events_for(current_user, meeting), name=meeting.name, organiser=services.organiser(meeting))
    return _ics_response(body, f"{meeting.reference}.ics", "PUBLISH")


FEED_HISTORY_DAYS = 366  # a year of past meetings: enough to look back on, small enough to refresh quickly


@bp.get("/calendar/<token>.ics")
@public
def calendar_feed(token: str) -> ResponseReturnValue:
    """A subscription feed, authorised by the long random token in its URL (calendar apps cannot sign in)."""
    user = db.session.scalar(select(User).where(User.calendar_token == token, User.active.is_(True))) if token else None
    if user is None:
        abort(404)
    since = utcnow() - timedelta(days=FEED_HISTORY_DAYS)
    meetings = services.meetings_for_user(user, upcoming_only=False, limit=None, since=since)
    events = [event for meeting in meetings for event in _events_for(user, meeting)]
    body = calendar.feed(events, name="My LEHC meetings", organiser=services.organiser())
    return _ics_response(body, "lehc.ics", "PUBLISH")
