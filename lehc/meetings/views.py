"""Routes of the meetings area: localities, series, meetings, agendas, invites, responses and calendars."""

from datetime import date, timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from lehc import concurrency, page_cache, policy
from lehc.access import record
from lehc.actions.services import carried_forward
from lehc.audit import audit
from lehc.consent import consent_for_meeting
from lehc.dates import format_date, next_midnight, to_london
from lehc.downloads import attachment
from lehc.extensions import db
from lehc.families.services import families_for_agenda
from lehc.mail import send_now_if_configured
from lehc.meetings import agency_checks, bp, calendar, services
from lehc.meetings.forms import (
    AgencyCheckForm,
    CancelForm,
    ClosureForm,
    ItemForm,
    MeetingForm,
    ResponseForm,
    SeriesForm,
)
from lehc.meetings.preparation import prepare
from lehc.meetings.scheduling import ClashChoice, SeriesPattern, blocked_days, pattern_dates, plan_dates
from lehc.models import (
    AgencyCheck,
    AgendaItem,
    CheckAnswer,
    ClosureDate,
    DiscussionType,
    Family,
    Frequency,
    Locality,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ResponseKind,
    User,
)
from lehc.models.people import utcnow
from lehc.policy import public
from lehc.redaction import is_anonymous, item_title


def _load_locality(locality_id: int) -> Locality | None:
    return db.session.get(Locality, locality_id)


def _load_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def _load_meeting_with_checks(meeting_id: int) -> Meeting | None:
    return services.meeting_with_agenda(meeting_id, minutes=True)  # minutes: with the items' checks


def _load_check(meeting_id: int, check_id: int) -> AgencyCheck | None:
    check = db.session.get(AgencyCheck, check_id)
    return check if check is not None and check.item.meeting_id == meeting_id else None


def _may_answer(user: User, check: AgencyCheck) -> bool:
    return agency_checks.can_answer(user, check, date.today(), current_app.config["CALL_ON_WINDOW_DAYS"])


# What each route is for (lehc.access): a locality's managers; a meeting's viewers; a meeting's managers.
locality_member = record("locality", _load_locality, may_see=policy.can_see_locality_meetings, refuse_unseen=403)
locality_manager = record("locality", _load_locality, may_see=policy.can_manage_locality, refuse_unseen=403)
meeting_viewer = record("meeting", _load_meeting, may_see=policy.can_view_meeting)
meeting_manager = record(
    "meeting", _load_meeting, may_see=policy.can_view_meeting, may_change=policy.can_manage_meeting
)


def _still_open(meeting: Meeting) -> None:
    """A cancelled meeting can no longer be changed: back to its page with a message."""
    if meeting.is_cancelled:
        flash("This meeting is cancelled and can no longer be changed", "info")
        abort(redirect(url_for("meetings.view_meeting", meeting_id=meeting.id)))


@bp.get("/localities/<int:locality_id>")
@locality_member
def view_locality(locality: Locality):
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
def closures(locality: Locality):
    form = ClosureForm()
    if form.validate_on_submit():
        if services.add_closure(locality, form.day.data, form.reason.data) is None:
            form.day.errors.append("There is already a closure on that date")
        else:
            flash("Closure date added. New series will avoid it.", "success")
            return redirect(url_for("meetings.closures", locality_id=locality.id))
    return render_template(
        "meetings/closures.html", form=form, locality=locality, closures=services.closure_dates(locality)
    )


@bp.post("/localities/<int:locality_id>/closures/<int:closure_id>/remove")
@locality_manager
def remove_closure(locality: Locality, closure_id: int):
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
def create_series(locality: Locality):
    form = SeriesForm()
    planned = None
    if form.validate_on_submit():
        dates = pattern_dates(_pattern(form))
        planned = plan_dates(
            dates, blocked_days(dates, services.closures_for(locality)), ClashChoice(form.on_clash.data)
        )
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
def create_meeting(locality: Locality):
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = services.new_meeting(
            locality,
            form.day.data,
            form.start_time.time,
            form.duration_minutes.data,
            venue=form.venue.data or "",
            online_link=form.online_link.data or "",
            organiser=current_user,
        )
        db.session.flush()
        flash("Meeting scheduled", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, locality=locality, title="Schedule a meeting")


@bp.get("/meetings/<int:meeting_id>")
@meeting_viewer
def view_meeting(meeting: Meeting):
    part = page_cache.fetch(db.session, ("agenda", current_user.id, meeting.id), lambda: _agenda_part(meeting.id))
    return render_template("meetings/meeting.html", part=part)


def _agenda_part(meeting_id: int) -> page_cache.Part:
    """The agenda as this user sees it, rendered for lehc.page_cache (which serves it again until it changes)."""
    meeting = services.meeting_with_agenda(meeting_id)  # access is decided on the route (meeting_viewer)
    can_manage = policy.can_manage_meetings(current_user, meeting.locality_id)
    slots = services.agenda_slots(meeting)
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    carried, carried_more = carried_forward(meeting, current_user, today=today, window_days=window)
    now = utcnow()
    html = page_cache.render_part(
        "meetings/_agenda.html",
        meeting=meeting,
        slots=slots,
        visible={slot.item.id for slot in slots if policy.can_see_item(current_user, slot.item, today, window)},
        titles={slot.item.id: item_title(slot.item, today) for slot in slots},
        recordable={
            slot.item.id for slot in slots if policy.can_record_discussion(current_user, slot.item, today, window)
        },
        letters={
            slot.item.id
            for slot in slots
            if slot.item.discussion and policy.can_write_family_letter(current_user, slot.item, today)
        },
        anonymous={slot.item.id for slot in slots if slot.item.is_discussion and is_anonymous(slot.item, today)},
        overrun=services.overrun(meeting),
        can_manage=can_manage,
        attendance=services.expected_attendance(meeting) if can_manage else None,
        my_response=services.response_of(meeting, current_user),
        invited=any(invitee.user.id == current_user.id for invitee in services.invitees(meeting)),
        now=now,
        carried=carried,
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
        layout={"title": f"{meeting.locality.name} LEHC, {format_date(meeting.starts_at)}", "back": back},
    )


@bp.route("/meetings/<int:meeting_id>/reschedule", methods=["GET", "POST"])
@meeting_manager
def reschedule_meeting(meeting: Meeting):
    _still_open(meeting)
    form = MeetingForm(obj=meeting)
    if not form.is_submitted():
        local = to_london(meeting.starts_at)
        form.day.data, form.start_time.data = local.date(), f"{local:%H:%M}"
        form.duration_minutes.data = int(meeting.duration.total_seconds() // 60)
    conflict = form.is_submitted() and concurrency.changed_since(meeting, form.version.data)
    if not conflict and form.validate_on_submit():
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
            send_now_if_configured(current_app.config)
            published = ". Updated invites are on their way." if meeting.is_published else ""
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
def cancel_meeting(meeting: Meeting):
    _still_open(meeting)
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel(meeting, form.reason.data, current_user)
        send_now_if_configured(current_app.config)
        flash("Meeting cancelled", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template("meetings/cancel.html", form=form, meeting=meeting, title="Cancel the meeting")


def _item_form(meeting: Meeting, item: AgendaItem | None = None) -> ItemForm:
    families = families_for_agenda(meeting.locality)
    if item is not None and item.family is not None and item.family not in families:
        families.append(item.family)
    meeting_day = to_london(meeting.starts_at).date()
    form = ItemForm(
        obj=item,
        presenters=services.possible_presenters(),
        call_on_memberships=services.call_on_members(meeting.locality),
        families=families,
        consent_on_meeting_day={
            family.id: consent_for_meeting(family, meeting_day, date.today()) is not None for family in families
        },
    )
    if item is not None and not form.is_submitted():
        form.discussion_type.data = item.discussion_type.value if item.discussion_type else None
        form.call_on.data = [user.id for user in item.call_on_members]
    return form


def _item_values(form: ItemForm) -> dict:
    chosen = form.call_on.data or []
    call_on = list(db.session.scalars(select(User).where(User.id.in_(chosen)))) if chosen else []
    return {
        "title": form.title.data,
        "family": db.session.get(Family, form.family_id.data),
        "discussion_type": DiscussionType(form.discussion_type.data),
        "presenter": db.session.get(User, form.presenter_id.data),
        "duration_minutes": form.duration_minutes.data,
        "call_on": call_on,
        "by": current_user,
    }


@bp.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
@meeting_manager
def add_item(meeting: Meeting):
    _still_open(meeting)
    form = _item_form(meeting)
    if form.validate_on_submit():
        services.add_item(meeting, **_item_values(form))
        send_now_if_configured(current_app.config)
        flash("Item added to the agenda", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))
    return render_template("meetings/item_form.html", form=form, meeting=meeting, title="Add a discussion item")


def _item_of(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None or not item.is_discussion:
        abort(404)
    return item


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@meeting_manager
def edit_item(meeting: Meeting, item_id: int):
    _still_open(meeting)
    item = _item_of(meeting, item_id)
    form = _item_form(meeting, item)
    conflict = form.is_submitted() and concurrency.changed_since(item, form.version.data)
    if not conflict and form.validate_on_submit():
        with concurrency.saving() as save:
            services.update_item(item, **_item_values(form))
        if save.done:
            send_now_if_configured(current_app.config)
            flash("Item saved", "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))
        conflict = True
    if conflict:
        concurrency.mark_conflict(form, item, "this item")
    return render_template(
        "meetings/item_form.html",
        form=form,
        meeting=meeting,
        item=item,
        conflict_with=item if conflict else None,
        title="Change the item",
    )


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/move")
@meeting_manager
def move_item(meeting: Meeting, item_id: int):
    _still_open(meeting)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    services.move_item(_item_of(meeting, item_id), direction, current_user)
    send_now_if_configured(current_app.config)
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/remove")
@meeting_manager
def remove_item(meeting: Meeting, item_id: int):
    _still_open(meeting)
    services.remove_item(_item_of(meeting, item_id), current_user)
    send_now_if_configured(current_app.config)
    flash("Item removed from the agenda", "success")
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/publish")
@meeting_manager
def publish_agenda(meeting: Meeting):
    _still_open(meeting)
    if meeting.is_published:
        flash("The agenda is already published", "info")
    else:
        services.publish_agenda(meeting, current_user)
        send_now_if_configured(current_app.config)
        flash("Agenda published. Invites are on their way to every member.", "success")
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/held")
@meeting_manager
def mark_held(meeting: Meeting):
    _still_open(meeting)
    if meeting.starts_at > utcnow() or meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        flash("A meeting can be marked as held once it has started", "info")
    else:
        services.mark_held(meeting)
        flash("Meeting marked as held", "success")
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/response", methods=["GET", "POST"])
@meeting_viewer
def respond(meeting: Meeting):
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
    if policy.is_core_member(user, meeting.locality_id) or policy.can_manage_meetings(user, meeting.locality_id):
        return [calendar.meeting_event(meeting, domain=domain, url=url)]
    return [
        calendar.slot_event(slot.item, slot.starts_at, slot.ends_at, domain=domain, url=url)
        for slot in services.agenda_slots(meeting)
        if user in slot.item.call_on_members
    ]


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
@meeting_viewer
def download_invite(meeting: Meeting):
    body = calendar.feed(_events_for(current_user, meeting), name=f"{meeting.locality.name} LEHC")
    return _ics_response(body, f"{meeting.reference}.ics", "PUBLISH")


FEED_HISTORY_DAYS = 366  # a year of past meetings: enough to look back on, small enough to refresh quickly


@bp.get("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """A subscription feed, authorised by the long random token in its URL (calendar apps cannot sign in)."""
    user = db.session.scalar(select(User).where(User.calendar_token == token, User.active.is_(True))) if token else None
    if user is None:
        abort(404)
    since = utcnow() - timedelta(days=FEED_HISTORY_DAYS)
    meetings = services.meetings_for_user(user, upcoming_only=False, limit=None, since=since)
    events = [event for meeting in meetings for event in _events_for(user, meeting)]
    return _ics_response(calendar.feed(events, name="My LEHC meetings"), "lehc.ics", "PUBLISH")


@bp.get("/meetings/<int:meeting_id>/prepare")
@meeting_manager
def prepare_meeting(meeting: Meeting):
    """The chair's preparation view: each item's time, consent, history, actions and readiness."""
    items = prepare(meeting, date.today())
    return render_template(
        "meetings/prepare.html",
        meeting=meeting,
        items=items,
        not_ready=[entry for entry in items if not entry.ready],
        titles={entry.slot.item.id: item_title(entry.slot.item) for entry in items},
    )


@bp.get("/meetings/<int:meeting_id>/agency-checks")
@record("meeting", _load_meeting_with_checks, may_see=policy.can_view_meeting)
def agency_checks_page(meeting: Meeting):
    """A member's checks for their agency; for the locality's chairs and coordinators, the whole grid too."""
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    manager = policy.can_manage_meetings(current_user, meeting.locality_id)
    return render_template(
        "meetings/agency_checks.html",
        meeting=meeting,
        mine=agency_checks.checks_for(current_user, meeting, today, window),
        agency=agency_checks.member_agency(current_user, meeting.locality_id),
        grid=agency_checks.grid(meeting) if manager else None,
        title="Agency checks",
    )


@bp.route("/meetings/<int:meeting_id>/agency-checks/<int:check_id>", methods=["GET", "POST"])
@record("check", _load_check, may_see=_may_answer)
def answer_agency_check(check: AgencyCheck):
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
