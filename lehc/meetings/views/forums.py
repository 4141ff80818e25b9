"""The Early Help Forums: an area's meeting once a term, scheduled by a chair or coordinator of one of its
localities (which hosts it), with presentation and partnership items in place of families."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import policy
from lehc.access import record
from lehc.audit import audit
from lehc.dates import format_date
from lehc.extensions import csrf, db
from lehc.mail import send_now_if_configured
from lehc.meetings import bp, services
from lehc.meetings.access import meeting_manager, still_open
from lehc.meetings.forms import ContactForm, ForumForm, PresentationForm
from lehc.meetings.views.agenda import edit_page
from lehc.models import FORUM, AgencySector, AgendaItem, Area, ForumContact, Meeting
from lehc.policy import public
from lehc.terms import upcoming_terms


def _load_area(area_id: int) -> Area | None:
    return db.session.get(Area, area_id)


forum_scheduler = record("area", _load_area, may_see=policy.can_schedule_forum, refuse_unseen=403)


@bp.route("/areas/<int:area_id>/forums/new", methods=["GET", "POST"])
@forum_scheduler
def create_forum(area: Area) -> ResponseReturnValue:
    kind = services.meeting_kind(FORUM)
    host = policy.forum_host(current_user, area)
    form = ForumForm()
    if form.validate_on_submit():
        day, at, minutes = form.day.data, form.start_time.time, form.duration_minutes.data
        problem = services.forum_day_problem(area, kind, day) or services.double_booking(host, day, at, minutes)
        if problem:
            form.day.errors.append(problem)
        else:
            meeting = services.new_meeting(
                host,
                day,
                at,
                minutes,
                venue=form.venue.data or "",
                online_link=form.online_link.data or "",
                organiser=current_user,
                kind=kind,
                area=area,
            )
            db.session.flush()
            flash(f"{meeting.name} scheduled", "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
    return render_template(
        "meetings/meeting_form.html",
        form=form,
        locality=host,
        area=area,
        terms=upcoming_terms(date.today()),
        title=f"Schedule an {kind.name}",
    )


def _presentations_only(meeting: Meeting) -> None:
    """Presentation items belong to a kind that discusses no family (the forum)."""
    if meeting.kind.discusses_families:
        abort(404)


def _presentation_of(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None or not item.is_presentation:
        abort(404)
    return item


def _values(form: PresentationForm) -> dict:
    return {
        "title": form.title.data,
        "presenter_name": form.presenter_name.data or "",
        "presenter_organisation": form.presenter_organisation.data or "",
        "duration_minutes": form.duration_minutes.data,
        "by": current_user,
    }


@bp.route("/meetings/<int:meeting_id>/presentations/new", methods=["GET", "POST"])
@meeting_manager
def add_presentation(meeting: Meeting) -> ResponseReturnValue:
    still_open(meeting)
    _presentations_only(meeting)
    form = PresentationForm()
    if form.validate_on_submit():
        services.add_presentation(meeting, **_values(form))
        send_now_if_configured(current_app.config)
        flash("Item added to the agenda", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))
    return render_template(
        "meetings/presentation_form.html", form=form, meeting=meeting, title="Add a presentation or partnership item"
    )


@bp.route("/meetings/<int:meeting_id>/presentations/<int:item_id>/edit", methods=["GET", "POST"])
@meeting_manager
def edit_presentation(meeting: Meeting, item_id: int) -> ResponseReturnValue:
    still_open(meeting)
    item = _presentation_of(meeting, item_id)
    form = PresentationForm(obj=item)
    return edit_page(
        meeting, item, form, lambda: services.update_presentation(item, **_values(form)), "presentation_form"
    )


# ---------------------------------------------------------------- the area's mailing list


def _contact_of(area: Area, contact_id: int) -> ForumContact:
    contact = db.session.get(ForumContact, contact_id)
    if contact is None or contact.area_id != area.id:
        abort(404)
    return contact


@bp.route("/areas/<int:area_id>/mailing-list", methods=["GET", "POST"])
@forum_scheduler
def mailing_list(area: Area) -> ResponseReturnValue:
    """The practitioners the area's forum invites by address alone (most have no LEHC account)."""
    form = ContactForm()
    if form.validate_on_submit():
        known = services.contact_by_email(area, form.email.data)
        if known is None:
            contact = services.add_contact(
                area,
                email=form.email.data,
                name=form.name.data or "",
                organisation=form.organisation.data,
                sector=AgencySector(form.sector.data),
            )
            audit("create", "forum_contact", contact.id, detail=f"{area.name} mailing list")
            flash(f"{contact.label} added to the mailing list", "success")
            return redirect(url_for("meetings.mailing_list", area_id=area.id))
        if known.subscribed:
            form.email.errors.append("This address is already on the mailing list")
        else:
            form.email.errors.append(
                f"This address left the mailing list on {format_date(known.unsubscribed_at)}. Only they can rejoin, "
                "from the link in any invitation they were sent."
            )
    return render_template("meetings/mailing_list.html", area=area, form=form, contacts=services.mailing_list(area)), (
        400 if form.errors else 200
    )


@bp.post("/areas/<int:area_id>/mailing-list/<int:contact_id>/remove")
@forum_scheduler
def remove_contact(area: Area, contact_id: int) -> ResponseReturnValue:
    contact = _contact_of(area, contact_id)
    label = contact.label
    audit("delete", "forum_contact", contact.id, detail=f"{area.name} mailing list")
    services.remove_contact(contact)
    flash(f"{label} taken off the mailing list", "success")
    return redirect(url_for("meetings.mailing_list", area_id=area.id))


def _contact_for(token: str) -> ForumContact:
    contact = services.contact_by_token(token)
    if contact is None:
        abort(404)
    return contact


@bp.route("/forum-mailing-list/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail client's one-click unsubscribe posts without a form; the token is the secret
@public
def leave_mailing_list(token: str) -> ResponseReturnValue:
    """The unsubscribe link of every forum invitation: a page that asks, and the one-click POST of a mail client."""
    contact = _contact_for(token)
    if request.method == "POST":
        if contact.subscribed:
            services.unsubscribe(contact)
            audit("unsubscribe", "forum_contact", contact.id, detail=f"{contact.area.name} mailing list")
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return redirect(url_for("meetings.leave_mailing_list", token=token))
    return render_template("meetings/leave_mailing_list.html", contact=contact, token=token)


@bp.post("/forum-mailing-list/<token>/rejoin")
@public
def rejoin_mailing_list(token: str) -> ResponseReturnValue:
    contact = _contact_for(token)
    if not contact.subscribed:
        services.rejoin(contact)
        audit("rejoin", "forum_contact", contact.id, detail=f"{contact.area.name} mailing list")
    return redirect(url_for("meetings.leave_mailing_list", token=token))
