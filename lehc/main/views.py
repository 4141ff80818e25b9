"""Routes of the home page and the profile page."""

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc.actions.services import context_of
from lehc.extensions import db
from lehc.main import bp
from lehc.main.forms import ReminderSettingsForm, SearchForm
from lehc.main.reminder_settings import reminders_on, set_reminders
from lehc.main.search import search as run_search
from lehc.main.services import dashboard_for
from lehc.models import ReminderKind
from lehc.policy import public, signed_in, signed_in_user
from lehc.reference_data import find_people as people_matching
from lehc.reference_data import person_labels
from lehc.urls import external_url


@bp.get("/")
@signed_in
def dashboard() -> ResponseReturnValue:
    window = current_app.config["CALL_ON_WINDOW_DAYS"]
    return render_template("main/dashboard.html", dashboard=dashboard_for(signed_in_user(), date.today(), window))


@bp.route("/search", methods=["GET", "POST"])
@signed_in
def search() -> ResponseReturnValue:
    form = SearchForm()
    results = None
    if form.validate_on_submit():
        window = current_app.config["CALL_ON_WINDOW_DAYS"]
        results = run_search(current_user, form.query.data, today=date.today(), window_days=window)
        db.session.commit()  # the audit of names searched for
    return render_template("main/search.html", form=form, results=results, today=date.today(), context_of=context_of)


@bp.get("/people/search")
@signed_in
def find_people() -> ResponseReturnValue:
    """What a person picker's type-ahead offers beyond its own list: people found by name or agency, as JSON."""
    people = people_matching(request.args.get("q", "")[:100])
    labels = person_labels(people)
    return {"people": [{"id": person.id, "label": labels[person.id]} for person in people]}


@bp.get("/healthz")
@public
def health_check() -> ResponseReturnValue:
    return {"status": "ok"}


@bp.get("/profile")
@signed_in
def profile() -> ResponseReturnValue:
    reminders = ReminderSettingsForm(kinds=[kind.value for kind in reminders_on(current_user)])
    return _profile_page(reminders)


def _profile_page(reminders: ReminderSettingsForm) -> str:
    feed_url = None
    if current_user.calendar_token:
        feed_url = external_url("meetings.calendar_feed", token=current_user.calendar_token)
    return render_template("main/profile.html", feed_url=feed_url, reminders=reminders, form=reminders)


@bp.post("/profile/reminders")
@signed_in
def save_reminders() -> ResponseReturnValue:
    form = ReminderSettingsForm()
    if not form.validate_on_submit():
        return _profile_page(form), 400
    set_reminders(current_user, {ReminderKind(value) for value in form.kinds.data or []})
    flash("Reminder settings saved", "success")
    return redirect(url_for("main.profile"))


@bp.post("/profile/calendar-link")
@signed_in
def regenerate_calendar_link() -> ResponseReturnValue:
    had_one = current_user.calendar_token is not None
    current_user.regenerate_calendar_token()
    flash("New calendar link created. The old link no longer works." if had_one else "Calendar link created", "success")
    return redirect(url_for("main.profile"))
