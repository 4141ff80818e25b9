"""An item's discussion, recorded during the meeting (the Signs of Wellbeing mapping, scaling, decision, actions,
stepping up), and the plain-English letter to the family that follows it."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc import concurrency, policy
from lehc.access import record
from lehc.audit import audit
from lehc.downloads import DOCX, attachment
from lehc.extensions import db
from lehc.families import letter
from lehc.families import services as family_services
from lehc.families.discussion_forms import DiscussionForm
from lehc.families.forms import LetterForm
from lehc.families.moves import MoveDetails
from lehc.families.step_up import step_up_reason
from lehc.minutes import bp
from lehc.models import MAPPING_FIELDS, SCALING_QUESTION, AgendaItem, Decision, Discussion, FamilyLetter, ScoreView
from lehc.redaction import is_anonymous, item_title
from lehc.reference_data import all_agencies, possible_presenters


def _load_item(meeting_id: int, item_id: int) -> AgendaItem | None:
    """A discussion item of a family, in the meeting the URL names."""
    item = db.session.get(AgendaItem, item_id)
    return item if item is not None and item.meeting_id == meeting_id and item.family is not None else None


def _window() -> int:
    return current_app.config["CALL_ON_WINDOW_DAYS"]


def _step_up_prompt(form: DiscussionForm, item: AgendaItem) -> str:
    """Why the scores call for a decision on stepping up ('' when they do not). At a kind that records moves the
    decision itself says whether the family steps up, so the scores raise no separate question."""
    if form.records_moves:
        return ""
    previous = family_services.previous_discussion(item)
    previous_group = previous.score_of(ScoreView.GROUP) if previous else None
    threshold = current_app.config["STEP_UP_THRESHOLD"]
    return step_up_reason(form.scores().get(ScoreView.GROUP), previous_group, threshold) or ""


def _previous_discussion(item: AgendaItem, today: date, window: int) -> Discussion | None:
    """The family's last discussion before this one, if this reader may see that item too (a step meeting's seat
    holder does not read the LEHC's discussion they were not called on for)."""
    previous = family_services.previous_discussion(item)
    if previous is None or not policy.can_view_item_family(current_user, previous.item, today, window):
        return None
    return previous


def _next_item(item: AgendaItem) -> AgendaItem | None:
    """The next family item on the agenda whose discussion this user may record (None after the last)."""
    today, window = date.today(), _window()
    later = sorted((other for other in item.meeting.items if other.position > item.position), key=lambda i: i.position)
    return next(
        (
            other
            for other in later
            if other.family is not None and policy.can_record_discussion(current_user, other, today, window)
        ),
        None,
    )


def _after_saving(item: AgendaItem, *, going_on: bool) -> str:
    """Where a saved discussion leads: the next item's discussion when asked; otherwise the run page for those who
    run the meeting, the agenda for the others."""
    following = _next_item(item) if going_on else None
    if following is not None:
        return url_for("minutes.record_discussion", meeting_id=item.meeting_id, item_id=following.id)
    if policy.can_manage_meetings(current_user, item.meeting.locality_id):
        return url_for("minutes.run_meeting", meeting_id=item.meeting_id, _anchor="items")
    return url_for("meetings.view_meeting", meeting_id=item.meeting_id, _anchor="agenda")


def _audit_saved(saved: Discussion, form: DiscussionForm, prompt: str, lead_before: int | None) -> None:
    """The discussion saved; a lead practitioner allocated by a step down; a decision on a step-up prompt."""
    family_id = saved.family_id
    audit("update", "discussion", saved.id, family_id=family_id)
    if saved.allocated_lead_id and lead_before != saved.allocated_lead_id:
        detail = f"lead practitioner allocated on stepping down: user {saved.allocated_lead_id}"
        audit("update", "family", family_id, family_id=family_id, detail=detail)
    if prompt:
        detail = f"{prompt}: {form.step_up_answer.data}"
        audit("step_up_decision", "discussion", saved.id, family_id=family_id, detail=detail)


def _move(form: DiscussionForm) -> MoveDetails | None:
    """The move's details from the form, at a kind that records moves (None elsewhere: nothing to change)."""
    if not form.records_moves:
        return None
    return MoveDetails(
        referred_on=form.referred_on.data,
        reason=form.move_reason.data or "",
        lead_id=form.allocated_lead_id.data or None,
        handover_on=form.handover_on.data,
    )


def _valid_with_step_up(form: DiscussionForm, item: AgendaItem) -> bool:
    if not form.validate_on_submit():
        return False
    prompt = _step_up_prompt(form, item)
    return not prompt or form.require_step_up_answer(prompt)


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/discussion", methods=["GET", "POST"])
@record(
    "item", _load_item, may_see=lambda user, item: policy.can_record_discussion(user, item, date.today(), _window())
)
def record_discussion(item: AgendaItem) -> ResponseReturnValue:
    today, window = date.today(), _window()
    if item.meeting.minutes_locked:
        if policy.can_approve_minutes(current_user, item.meeting.locality_id):
            flash("These minutes are approved. Give a reason to amend them, then change the discussion.", "info")
            return redirect(url_for("minutes.amend_minutes", meeting_id=item.meeting_id))
        flash("These minutes are approved. A chair can start an amendment, with a reason, to change them.", "info")
        return redirect(url_for("meetings.view_meeting", meeting_id=item.meeting_id))
    discussion = item.discussion
    form = DiscussionForm(
        obj=discussion,
        people=possible_presenters(item.meeting.locality_id),
        agencies=all_agencies(),
        decisions=item.meeting.kind.decisions,
        recorded=discussion.decision if discussion else None,
        records_moves=item.meeting.kind.records_moves,
        meeting_day=item.meeting.day,
    )
    if not form.is_submitted():
        form.version.data = str(discussion.version) if discussion else "0"
    if discussion is not None and not form.is_submitted():
        form.decision.data = discussion.decision.value if discussion.decision else None
        for view, name in DiscussionForm.SCORE_FIELDS.items():
            score = discussion.score_of(view)
            getattr(form, name).data = "" if score is None else str(score)
    conflict = form.is_submitted() and concurrency.changed_since(discussion, form.version.data)
    lead_before = item.family.lead_practitioner_id if item.family else None
    if not conflict and _valid_with_step_up(form, item):
        prompt = _step_up_prompt(form, item)
        with concurrency.saving() as save:
            saved = family_services.record_discussion(
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
                move=_move(form),
            )
        if save.done:
            _audit_saved(saved, form, prompt, lead_before)
            flash(f"Discussion of {item.reference} saved", "success")
            return redirect(_after_saving(item, going_on=bool(form.save_and_next.data)))
        conflict, discussion = True, item.discussion  # another save won the race: show theirs, keep this text
    if conflict:
        concurrency.mark_conflict(form, discussion, "this discussion")
    audit("view", "discussion", discussion.id if discussion else None, family_id=item.family_id)
    identified = policy.can_view_item_family(current_user, item, today, window)
    return render_template(
        "minutes/discussion_form.html",
        form=form,
        item=item,
        title_text=item_title(item, today),
        anonymous=is_anonymous(item, today),
        previous=_previous_discussion(item, today, window) if identified else None,
        conflict_with=discussion if conflict else None,
        next_item=_next_item(item),
        mapping_fields=MAPPING_FIELDS,
        scaling_question=SCALING_QUESTION,
        title=f"Discussion {item.reference}",
    )


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/letter", methods=["GET", "POST"])
@record("item", _load_item, may_see=lambda user, item: policy.can_write_family_letter(user, item, date.today()))
def family_letter(item: AgendaItem) -> ResponseReturnValue:
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
    return render_template("minutes/letter.html", form=form, item=item, title="Letter to the family")
