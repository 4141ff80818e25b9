"""Routes of the families area, and the discussion, pack and letter pages of a meeting's items."""

from dataclasses import dataclass
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lehc import concurrency, policy
from lehc.access import record
from lehc.audit import audit
from lehc.consent import default_expiry, valid_consent
from lehc.dates import to_london
from lehc.downloads import DOCX, attachment
from lehc.extensions import db
from lehc.families import bp, letter, services, subject_access
from lehc.families.chart import ScorePoint, scores_svg
from lehc.families.discussion_forms import DiscussionForm
from lehc.families.forms import CloseFamilyForm, ConsentForm, FamilyForm, LetterForm, MemberForm, WithdrawConsentForm
from lehc.families.step_up import step_up_reason
from lehc.meetings import agency_checks  # the module, not its names: the two packages import each other
from lehc.meetings.services import Slot, agenda_slots, possible_presenters
from lehc.models import (
    MAPPING_FIELDS,
    SCALING_QUESTION,
    Action,
    AgendaItem,
    Consent,
    ConsentMethod,
    Decision,
    Discussion,
    Family,
    FamilyLetter,
    FamilyStatus,
    Locality,
    Meeting,
    MemberKind,
    Outcome,
    ScoreView,
    User,
)
from lehc.policy import signed_in
from lehc.redaction import is_anonymous, item_consent, item_title
from lehc.reference_data import all_agencies, all_localities


@dataclass(frozen=True)
class PackEntry:
    slot: Slot
    title: str
    entitled: bool  # the item's content (policy.can_see_item)
    identified: bool  # and the family's details with it (policy.can_view_item_family)
    anonymous: bool
    consent: Consent | None
    previous: Discussion | None
    actions: list[Action]
    checks: list["agency_checks.CheckRow"]


def _load_family(family_id: int) -> Family | None:
    return db.session.get(Family, family_id)


def _load_family_page(family_id: int) -> Family | None:
    return db.session.get(Family, family_id, options=list(services.FAMILY_PAGE))


def _load_item(meeting_id: int, item_id: int) -> AgendaItem | None:
    """A discussion item of a family, in the meeting the URL names."""
    item = db.session.get(AgendaItem, item_id)
    return item if item is not None and item.meeting_id == meeting_id and item.family is not None else None


def _window() -> int:
    return current_app.config["CALL_ON_WINDOW_DAYS"]


family_viewer = record("family", _load_family_page, may_see=policy.can_view_family)
family_editor = record("family", _load_family, may_see=policy.can_view_family, may_change=policy.can_edit_family)
subject_access_reader = record("family", _load_family, may_see=policy.can_export_subject_access)


def _family_form(family: Family | None = None) -> FamilyForm:
    form = FamilyForm(obj=family, localities=all_localities(), practitioners=possible_presenters())
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
def list_families():
    families = services.families_visible_to(current_user)
    audit("list", "family", detail=f"{len(families)} families listed")
    today = date.today()
    return render_template(
        "families/list.html", families=families, consent={f.id: valid_consent(f, today) for f in families}
    )


@bp.route("/families/new", methods=["GET", "POST"])
@signed_in
def create_family():
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
def view_family(family: Family):
    audit("view", "family", family.id, family_id=family.id)
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    history = services.history(family)
    if not policy.can_edit_family(current_user, family):  # a core member: the discussions held by name only
        history = [item for item in history if policy.can_view_item_family(current_user, item, today, window)]
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
        points=sorted(points, key=lambda p: (p.on, p.view.value)),
        mapping_fields=MAPPING_FIELDS,
        can_edit=policy.can_edit_family(current_user, family),
        can_export=policy.can_export_subject_access(current_user, family),
        today=today,
    )


@bp.route("/families/<int:family_id>/edit", methods=["GET", "POST"])
@family_editor
def edit_family(family: Family):
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
def add_member(family: Family):
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
def remove_member(family: Family, member_id: int):
    member = next((m for m in family.members if m.id == member_id), None)
    if member is None:
        abort(404)
    family.members.remove(member)
    audit("delete", "family_member", member_id, family_id=family.id)
    flash("Family member removed", "success")
    return redirect(url_for("families.view_family", family_id=family.id, _anchor="members"))


@bp.route("/families/<int:family_id>/consents/new", methods=["GET", "POST"])
@family_editor
def record_consent(family: Family):
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
def withdraw_consent(family: Family, consent_id: int):
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
def close_family(family: Family):
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


def _step_up_prompt(form: DiscussionForm, item: AgendaItem) -> str:
    """Why the scores call for a decision on stepping up ('' when they do not)."""
    previous = services.previous_discussion(item)
    previous_group = previous.score_of(ScoreView.GROUP) if previous else None
    threshold = current_app.config["STEP_UP_THRESHOLD"]
    return step_up_reason(form.scores().get(ScoreView.GROUP), previous_group, threshold) or ""


def _valid_with_step_up(form: DiscussionForm, item: AgendaItem) -> bool:
    if not form.validate_on_submit():
        return False
    prompt = _step_up_prompt(form, item)
    return not prompt or form.require_step_up_answer(prompt)


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/discussion", methods=["GET", "POST"])
@record(
    "item", _load_item, may_see=lambda user, item: policy.can_record_discussion(user, item, date.today(), _window())
)
def record_discussion(item: AgendaItem):
    today, window = date.today(), _window()
    if item.meeting.minutes_locked:
        flash("These minutes are approved. A chair can start an amendment, with a reason, to change them.", "info")
        return redirect(url_for("meetings.view_meeting", meeting_id=item.meeting_id))
    discussion = item.discussion
    form = DiscussionForm(obj=discussion, people=possible_presenters(), agencies=all_agencies())
    if not form.is_submitted():
        form.version.data = str(discussion.version) if discussion else "0"
    if discussion is not None and not form.is_submitted():
        form.decision.data = discussion.decision.value if discussion.decision else None
        for view, name in DiscussionForm.SCORE_FIELDS.items():
            score = discussion.score_of(view)
            getattr(form, name).data = "" if score is None else str(score)
    conflict = form.is_submitted() and concurrency.changed_since(discussion, form.version.data)
    if not conflict and _valid_with_step_up(form, item):
        prompt = _step_up_prompt(form, item)
        with concurrency.saving() as save:
            saved = services.record_discussion(
                item,
                mapping={name: getattr(form, name).data for name in DiscussionForm.mapping_names()},
                scores=form.scores(),
                decision=Decision(form.decision.data) if form.decision.data else None,
                decision_notes=form.decision_notes.data or "",
                review_on=form.review_on.data,
                new_actions=[entry.form.data for entry in form.new_actions if not entry.form.is_blank],
                by=current_user,
                step_up=(prompt, form.step_up_answer.data or "", (form.step_up_reason.data or "").strip())
                if prompt
                else ("", "", ""),
            )
        if save.done:
            audit("update", "discussion", saved.id, family_id=item.family_id)
            if prompt:
                detail = f"{prompt}: {form.step_up_answer.data}"
                audit("step_up_decision", "discussion", saved.id, family_id=item.family_id, detail=detail)
            flash(f"Discussion of {item.reference} saved", "success")
            return redirect(url_for("meetings.view_meeting", meeting_id=item.meeting_id, _anchor="agenda"))
        conflict, discussion = True, item.discussion  # another save won the race: show theirs, keep this text
    if conflict:
        concurrency.mark_conflict(form, discussion, "this discussion")
    audit("view", "discussion", discussion.id if discussion else None, family_id=item.family_id)
    identified = policy.can_view_item_family(current_user, item, today, window)
    return render_template(
        "families/discussion_form.html",
        form=form,
        item=item,
        title_text=item_title(item, today),
        anonymous=is_anonymous(item, today),
        previous=services.previous_discussion(item) if identified else None,
        conflict_with=discussion if conflict else None,
        mapping_fields=MAPPING_FIELDS,
        scaling_question=SCALING_QUESTION,
        title=f"Discussion {item.reference}",
    )


@bp.get("/meetings/<int:meeting_id>/pack")
@record("meeting", lambda meeting_id: db.session.get(Meeting, meeting_id), may_see=policy.can_read_pack)
def meeting_pack(meeting: Meeting):
    """The agenda with, for each item the user is entitled to, the family summary, consent, last mapping and open
    actions; for the others only the slot and reference."""
    today, window = date.today(), current_app.config["CALL_ON_WINDOW_DAYS"]
    entries = []
    for slot in agenda_slots(meeting):
        item = slot.item
        entitled = item.is_discussion and policy.can_see_item(current_user, item, today, window)
        identified = item.is_discussion and policy.can_view_item_family(current_user, item, today, window)
        entries.append(
            PackEntry(
                slot=slot,
                title=item_title(item, today) if (entitled or not item.is_discussion) else "",
                entitled=entitled,
                identified=identified,
                anonymous=item.is_discussion and is_anonymous(item, today),
                consent=item_consent(item, today) if identified else None,
                previous=services.previous_discussion(item) if identified else None,
                actions=services.open_actions(item.family) if identified else [],
                checks=agency_checks.check_rows(item) if identified else [],
            )
        )
        if identified:
            audit("view", "meeting_pack_item", item.id, family_id=item.family_id)
    return render_template("families/pack.html", meeting=meeting, entries=entries, mapping_fields=MAPPING_FIELDS)


@bp.get("/families/<int:family_id>/subject-access.json")
@subject_access_reader
def subject_access_json(family: Family):
    audit("export", "subject_access", family.id, family_id=family.id, detail="json")
    body = current_app.json.dumps(subject_access.subject_access_data(family))
    return attachment(body, f"LEHC-subject-access-{family.reference}.json", mimetype="application/json")


@bp.get("/families/<int:family_id>/subject-access.docx")
@subject_access_reader
def subject_access_docx(family: Family):
    audit("export", "subject_access", family.id, family_id=family.id, detail="docx")
    body = subject_access.subject_access_document(subject_access.subject_access_data(family))
    return attachment(body, f"LEHC-subject-access-{family.reference}.docx", mimetype=DOCX)


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/letter", methods=["GET", "POST"])
@record("item", _load_item, may_see=lambda user, item: policy.can_write_family_letter(user, item, date.today()))
def family_letter(item: AgendaItem):
    """The lead practitioner's plain-English letter to the family, reviewed and edited before it is saved."""
    if item.discussion is None:
        abort(404)  # nothing discussed yet: no letter to write
    form = LetterForm(obj=letter.draft(item) if request.method == "GET" else None)
    if form.validate_on_submit():
        saved = FamilyLetter(
            discussion_id=item.discussion.id,
            saved_by_id=current_user.id,
            talked_about=form.talked_about.data,
            working_well=form.working_well.data,
            next_steps=form.next_steps.data,
            contact=form.contact.data,
        )
        db.session.add(saved)
        db.session.flush()
        audit("export", "family_letter", saved.id, family_id=item.family_id)
        body = letter.letter_document(
            letter.LetterDraft(form.talked_about.data, form.working_well.data, form.next_steps.data, form.contact.data),
            item.reference,
        )
        return attachment(body, f"LEHC-letter-{item.reference}.docx", mimetype=DOCX)
    return render_template("families/letter.html", form=form, item=item, title="Letter to the family")
