"""Building a meeting's agenda: add, change, move and remove discussion items (a forum's presentations:
lehc.meetings.views.forums), and publish it."""

from collections.abc import Callable
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from lehc import concurrency
from lehc.consent import consent_for_meeting
from lehc.dates import to_london
from lehc.extensions import db
from lehc.families.services import families_for_agenda
from lehc.forms import SafeForm
from lehc.mail import send_now_if_configured
from lehc.meetings import bp, services
from lehc.meetings.access import meeting_manager, still_open
from lehc.meetings.forms import ItemForm
from lehc.models import AgendaItem, DiscussionType, Family, Meeting, User
from lehc.reference_data import possible_presenters


def _item_form(meeting: Meeting, item: AgendaItem | None = None) -> ItemForm:
    families = families_for_agenda(meeting.locality)
    if item is not None and item.family is not None and item.family not in families:
        families.append(item.family)
    meeting_day = to_london(meeting.starts_at).date()
    form = ItemForm(
        obj=item,
        presenters=possible_presenters(meeting.locality_id),
        call_on_memberships=services.meeting_call_on_members(meeting),
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
def add_item(meeting: Meeting) -> ResponseReturnValue:
    still_open(meeting)
    if not meeting.kind.discusses_families:  # a forum's agenda holds no family
        abort(404)
    form = _item_form(meeting)
    if form.validate_on_submit():
        services.add_item(meeting, **_item_values(form))
        send_now_if_configured(current_app.config)
        flash("Item added to the agenda", "success")
        return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))
    return render_template("meetings/item_form.html", form=form, meeting=meeting, title="Add a discussion item")


def _item_of(meeting: Meeting, item_id: int, *, discussion: bool = True) -> AgendaItem:
    """One of the meeting's discussion items (any item the chair added: a forum's presentations too)."""
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None or not (item.is_discussion if discussion else item.is_movable):
        abort(404)
    return item


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@meeting_manager
def edit_item(meeting: Meeting, item_id: int) -> ResponseReturnValue:
    still_open(meeting)
    item = _item_of(meeting, item_id)
    form = _item_form(meeting, item)
    return edit_page(meeting, item, form, lambda: services.update_item(item, **_item_values(form)), "item_form")


def edit_page(
    meeting: Meeting, item: AgendaItem, form: SafeForm, save: Callable[[], None], template: str
) -> ResponseReturnValue:
    """An item's Change page: `save` runs unless someone else saved the item since the form was opened, in which
    case the form comes back with both versions (lehc.concurrency)."""
    conflict = form.is_submitted() and concurrency.changed_since(item, form.version.data)
    if not conflict and form.validate_on_submit():
        with concurrency.saving() as saving:
            save()
        if saving.done:
            send_now_if_configured(current_app.config)
            flash("Item saved", "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))
        conflict = True
    if conflict:
        concurrency.mark_conflict(form, item, "this item")
    return render_template(
        f"meetings/{template}.html",
        form=form,
        meeting=meeting,
        item=item,
        conflict_with=item if conflict else None,
        title="Change the item",
    )


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/move")
@meeting_manager
def move_item(meeting: Meeting, item_id: int) -> ResponseReturnValue:
    still_open(meeting)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    services.move_item(_item_of(meeting, item_id, discussion=False), direction, current_user)
    send_now_if_configured(current_app.config)
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/remove")
@meeting_manager
def remove_item(meeting: Meeting, item_id: int) -> ResponseReturnValue:
    still_open(meeting)
    services.remove_item(_item_of(meeting, item_id, discussion=False), current_user)
    send_now_if_configured(current_app.config)
    flash("Item removed from the agenda", "success")
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/publish")
@meeting_manager
def publish_agenda(meeting: Meeting) -> ResponseReturnValue:
    still_open(meeting)
    if meeting.is_published:
        flash("The agenda is already published", "info")
    else:
        services.publish_agenda(meeting, current_user)
        if send_now_if_configured(current_app.config):
            flash("Agenda published. Invites are on their way to every member.", "success")
        else:
            flash("Agenda published. The invites are waiting in the outbox: no mail server is set up yet.", "success")
    return redirect(url_for("meetings.view_meeting", meeting_id=meeting.id))
