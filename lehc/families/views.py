"""Routes of the families area: the list, a family's record, its members and consent, closing it, and subject access."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import concurrency, policy
from lehc.access import record
from lehc.audit import audit
from lehc.consent import default_expiry, valid_consent
from lehc.dates import to_london
from lehc.downloads import DOCX, attachment
from lehc.extensions import db
from lehc.families import bp, services, subject_access
from lehc.families.chart import ScorePoint, scores_svg
from lehc.families.forms import CloseFamilyForm, ConsentForm, FamilyForm, MemberForm, WithdrawConsentForm
from lehc.families.moves import timeline
from lehc.models import (
    MAPPING_FIELDS,
    Consent,
    ConsentMethod,
    Family,
    FamilyStatus,
    Locality,
    MemberKind,
    Outcome,
    User,
)
from lehc.policy import signed_in
from lehc.reference_data import all_localities, possible_presenters


def _load_family(family_id: int) -> Family | None:
    return db.session.get(Family, family_id)


def _load_family_page(family_id: int) -> Family | None:
    return db.session.get(Family, family_id, options=list(services.FAMILY_PAGE))


family_viewer = record("family", _load_family_page, may_see=policy.can_view_family)
family_editor = record("family", _load_family, may_see=policy.can_view_family, may_change=policy.can_edit_family)
subject_access_reader = record("family", _load_family, may_see=policy.can_export_subject_access)


def _family_form(family: Family | None = None) -> FamilyForm:
    locality_id = family.locality_id if family else next((m.locality_id for m in current_user.memberships), None)
    form = FamilyForm(obj=family, localities=all_localities(), practitioners=possible_presenters(locality_id))
    if family is not None and not form.is_submitted():
        form.needs.data = [outcome.value for outcome in family.outcomes]
        form.lead_practitioner_id.data = family.lead_practitioner_id or 0
    if family is None and not form.is_submitted():
        form.requested_on.data = date.today()
        memberships = current_user.memberships
        form.locality_id.data = memberships[0].locality_id if len(memberships) == 1 else 0
    return form


def _lead(form: FamilyForm) -> User | None:
    return db.session.get(User, form.lead_practitioner_id.data) if form.lead_practitioner_id.data else None


@bp.get("/families")
@signed_in
def list_families() -> ResponseReturnValue:
    families = services.families_visible_to(current_user)
    audit("list", "family", detail=f"{len(families)} families listed")
    today = date.today()
    return render_template(
        "families/list.html", families=families, consent={f.id: valid_consent(f, today) for f in families}
    )


@bp.route("/families/new", methods=["GET", "POST"])
@signed_in
def create_family() -> ResponseReturnValue:
    form = _family_form()
    if form.validate_on_submit():
        family = services.create_family(
            locality=db.get_or_404(Locality, form.locality_id.data),
            presenter=current_user,
            requested_on=form.requested_on.data,
            summary=form.summary.data,
            outcomes=[Outcome(value) for value in form.needs.data or []],
            lead_practitioner=_lead(form),
        )
        audit("create", "family", family.id, family_id=family.id, detail=family.reference)
        flash(f"Family {family.reference} recorded. Now add the family members and the family's consent.", "success")
        return redirect(url_for("families.view_family", family_id=family.id))
    return render_template("families/family_form.html", form=form, title="Bring a family to the LEHC")


@bp.get("/families/<int:family_id>")
@family_viewer
def view_family(family: Family) -> ResponseReturnValue:
    audit("view", "family", family.id, family_id=family.id)
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    user = policy.signed_in_user()
    history = policy.visible_history(user, family, services.history(family), today, window)
    points = [
        ScorePoint(to_london(item.meeting.starts_at).date(), score.view, score.score)
        for item in history
        if item.discussion
        for score in item.discussion.scores
    ]
    return render_template(
        "families/family.html",
        family=family,
        consent=valid_consent(family, today),
        history=history,
        chart=scores_svg(points),
        moves=timeline(history),
        points=sorted(points, key=lambda p: (p.on, p.view.value)),
        mapping_fields=MAPPING_FIELDS,
        can_edit=policy.can_edit_family(user, family),
        can_export=policy.can_export_subject_access(user, family),
        today=today,
    )


@bp.route("/families/<int:family_id>/edit", methods=["GET", "POST"])
@family_editor
def edit_family(family: Family) -> ResponseReturnValue:
    form = _family_form(family)
    del form.locality_id  # a family's locality, and so its reference, does not change
    conflict = form.is_submitted() and concurrency.changed_since(family, form.version.data)
    if not conflict and form.validate_on_submit():
        with concurrency.saving() as save:
            services.update_family(
                family,
                summary=form.summary.data,
                requested_on=form.requested_on.data,
                outcomes=[Outcome(value) for value in form.needs.data or []],
                lead_practitioner=_lead(form),
            )
        if save.done:
            audit("update", "family", family.id, family_id=family.id)
            flash("Family details saved", "success")
            return redirect(url_for("families.view_family", family_id=family.id))
        conflict = True
    if conflict:
        concurrency.mark_conflict(form, family, "this family's details")
    return render_template(
        "families/family_form.html",
        form=form,
        family=family,
        conflict_with=family if conflict else None,
        title=f"Change {family.reference}",
    )


@bp.route("/families/<int:family_id>/members/new", methods=["GET", "POST"])
@family_editor
def add_member(family: Family) -> ResponseReturnValue:
    form = MemberForm()
    if form.validate_on_submit():
        member = services.add_member(
            family,
            kind=MemberKind(form.kind.data),
            name=form.name.data,
            date_of_birth=form.date_of_birth.data,
            school_or_setting=form.school_or_setting.data or "",
            send=form.send.data,
            relationship_to_child=form.relationship_to_child.data or "",
        )
        db.session.flush()
        audit("create", "family_member", member.id, family_id=family.id)
        flash("Family member added", "success")
        return redirect(url_for("families.view_family", family_id=family.id, _anchor="members"))
    return render_template("families/member_form.html", form=form, family=family, title="Add a family member")


@bp.post("/families/<int:family_id>/members/<int:member_id>/remove")
@family_editor
def remove_member(family: Family, member_id: int) -> ResponseReturnValue:
    member = next((m for m in family.members if m.id == member_id), None)
    if member is None:
        abort(404)
    family.members.remove(member)
    audit("delete", "family_member", member_id, family_id=family.id)
    flash("Family member removed", "success")
    return redirect(url_for("families.view_family", family_id=family.id, _anchor="members"))


@bp.route("/families/<int:family_id>/consents/new", methods=["GET", "POST"])
@family_editor
def record_consent(family: Family) -> ResponseReturnValue:
    form = ConsentForm()
    if not form.is_submitted():
        form.covers.data = ["discussion", "sharing"]
    if form.validate_on_submit():
        consent = services.record_consent(
            family,
            given_by_name=form.given_by_name.data,
            given_by_relationship=form.given_by_relationship.data,
            given_on=form.given_on.data,
            method=ConsentMethod(form.method.data),
            covers_discussion="discussion" in form.covers.data,
            covers_sharing="sharing" in form.covers.data,
            expires_on=form.expires_on.data or default_expiry(form.given_on.data, current_app.config["CONSENT_MONTHS"]),
            recorded_by=current_user,
        )
        db.session.flush()
        audit("create", "consent", consent.id, family_id=family.id)
        flash(f"Consent recorded. It is valid until {consent.expires_on:%-d %B %Y}.", "success")
        return redirect(url_for("families.view_family", family_id=family.id, _anchor="consent"))
    return render_template("families/consent_form.html", form=form, family=family, title="Record consent")


@bp.route("/families/<int:family_id>/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
@family_editor
def withdraw_consent(family: Family, consent_id: int) -> ResponseReturnValue:
    consent = db.get_or_404(Consent, consent_id)
    if consent.family_id != family.id or consent.withdrawn_on is not None:
        abort(404)
    form = WithdrawConsentForm()
    if not form.is_submitted():
        form.withdrawn_on.data = date.today()
    if form.validate_on_submit():
        affected = services.withdraw_consent(
            consent, withdrawn_on=form.withdrawn_on.data, note=form.note.data or "", by=current_user
        )
        audit("withdraw", "consent", consent.id, family_id=family.id)
        message = "Consent withdrawn."
        if affected:
            message += f" {len(affected)} upcoming agenda item(s) are now anonymous consultations; the chair is told."
        flash(message, "success")
        return redirect(url_for("families.view_family", family_id=family.id, _anchor="consent"))
    return render_template(
        "families/withdraw_form.html", form=form, family=family, consent=consent, title="Withdraw consent"
    )


@bp.route("/families/<int:family_id>/close", methods=["GET", "POST"])
@family_editor
def close_family(family: Family) -> ResponseReturnValue:
    if family.status is FamilyStatus.CLOSED:
        abort(404)
    form = CloseFamilyForm(recorded_on=to_london(family.created_at).date())
    if not form.is_submitted():
        form.closed_on.data = date.today()
    if form.validate_on_submit():
        services.close_family(family, closed_on=form.closed_on.data, reason=form.reason.data)
        audit("close", "family", family.id, family_id=family.id)
        flash("The family's record is closed", "success")
        return redirect(url_for("families.view_family", family_id=family.id))
    return render_template("families/close_form.html", form=form, family=family, title="Close the record")


@bp.get("/families/<int:family_id>/subject-access.json")
@subject_access_reader
def subject_access_json(family: Family) -> ResponseReturnValue:
    audit("export", "subject_access", family.id, family_id=family.id, detail="json")
    body = current_app.json.dumps(subject_access.subject_access_data(family))
    return attachment(body, f"LEHC-subject-access-{family.reference}.json", mimetype="application/json")


@bp.get("/families/<int:family_id>/subject-access.docx")
@subject_access_reader
def subject_access_docx(family: Family) -> ResponseReturnValue:
    audit("export", "subject_access", family.id, family_id=family.id, detail="docx")
    body = subject_access.subject_access_document(subject_access.subject_access_data(family))
    return attachment(body, f"LEHC-subject-access-{family.reference}.docx", mimetype=DOCX)
