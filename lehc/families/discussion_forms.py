"""The discussion form: Signs of Wellbeing mapping, scaling scores, decision and actions, on one page."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import FieldList, FormField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from lehc.families.moves import move_problems
from lehc.families.step_up import StepUpAnswer
from lehc.forms import (
    DateMessagesMixin,
    OfferedRadioField,
    PersonField,
    SafeForm,
    SafeSubForm,
    choices,
    optional_date_field,
    person_choices,
)
from lehc.models import MAPPING_FIELDS, Decision, ScoreView

TEXT_LIMIT = 5000


class ScoreField(StringField):
    """A 0-10 scaling score typed as text, so '7.5' or 'eleven' get a clear message instead of being dropped."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, **kwargs)

    @property
    def score(self) -> int | None:
        text = (self.data or "").strip()
        return int(text) if text.isdigit() and 0 <= int(text) <= 10 else None

    def pre_validate(self, form) -> None:
        text = (self.data or "").strip()
        if text and self.score is None:
            raise ValidationError(f"{self.label.text} must be a whole number from 0 to 10")


class ActionForm(SafeSubForm, DateMessagesMixin):
    description = TextAreaField(
        "What needs to happen",
        widget=GovTextArea(),
        validators=[Length(max=1000, message="Action must be 1000 characters or fewer")],
    )
    owner_id = PersonField("Who (person)")
    owner_agency_id = SelectField("Which agency", widget=GovSelect(), coerce=int)
    due_on = optional_date_field("By when")

    @property
    def is_blank(self) -> bool:
        return not (self.description.data or "").strip() and not self.owner_id.data and not self.due_on.data

    def validate(self, extra_validators=None) -> bool:
        """Checked here, not in the parent form: FieldList copies its entries' errors when they validate."""
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.due_on)
        if self.is_blank:
            return valid
        if not (self.description.data or "").strip():
            self.description.errors.append("Enter what needs to happen")
            valid = False
        if not self.owner_id.data and not self.owner_agency_id.data:
            self.owner_id.errors.append("Choose who will do it, a person or an agency")
            valid = False
        if not self.due_on.data and not self.due_on.errors:
            self.due_on.errors.append("Enter when it needs to be done by")
            valid = False
        return valid


def _mapping_field(name: str, label: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[Length(max=TEXT_LIMIT, message=f"{label} must be {TEXT_LIMIT} characters or fewer")],
    )


class DiscussionForm(SafeForm, DateMessagesMixin):
    worries = _mapping_field("worries", "Worries and past harm")
    worry_statement = _mapping_field("worry_statement", "Worry (danger) statement")
    complicating_factors = _mapping_field("complicating_factors", "Complicating factors")
    strengths = _mapping_field("strengths", "Existing strengths")
    existing_wellbeing = _mapping_field("existing_wellbeing", "Existing safety and wellbeing")
    wellbeing_goals = _mapping_field("wellbeing_goals", "Wellbeing (safety) goals")
    next_steps = _mapping_field("next_steps", "Next steps")
    score_family = ScoreField("The family's score")
    score_presenter = ScoreField("The presenting practitioner's score")
    score_group = ScoreField("The group's score")
    decision = OfferedRadioField(
        "Decision",
        widget=GovRadioInput(),
        not_offered="Select one of the decisions listed",
        validators=[Optional()],
    )
    decision_notes = TextAreaField(
        "About the decision",
        widget=GovTextArea(),
        validators=[Length(max=TEXT_LIMIT, message=f"About the decision must be {TEXT_LIMIT} characters or fewer")],
    )
    review_on = optional_date_field(
        "Review date", description="When the family comes back to the LEHC, if that is the decision"
    )
    # a move between levels of need, at a kind that records them (lehc.families.moves); removed elsewhere
    referred_on = optional_date_field("Date referred to Children's Social Care", description="For example, 27 11 2026")
    move_reason = TextAreaField(
        "Why the family steps up",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Why the family steps up must be 2000 characters or fewer")],
    )
    allocated_lead_id = PersonField(
        "Lead practitioner allocated",
        default=0,  # "Choose a person"
        description="They lead the family's early help plan, and see the family's record",
    )
    handover_on = optional_date_field("Date of the handover meeting", description="For example, 8 12 2026")
    step_up_answer = RadioField(
        "Decision on stepping up",
        widget=GovRadioInput(),
        choices=[SelectChoice(a.value, a.label) for a in StepUpAnswer],
        validators=[Optional()],
    )
    step_up_reason = TextAreaField(
        "Why stepping up is not needed now",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Reason must be 2000 characters or fewer")],
    )
    new_actions = FieldList(FormField(ActionForm), min_entries=2, max_entries=10)
    version = HiddenField()  # the version the person started editing, for optimistic locking
    submit = SubmitField("Save discussion", widget=GovSubmitInput())
    save_and_next = SubmitField("Save and go to the next item", widget=GovSubmitInput())

    SCORE_FIELDS = {
        ScoreView.FAMILY: "score_family",
        ScoreView.PRESENTER: "score_presenter",
        ScoreView.GROUP: "score_group",
    }

    MOVE_FIELDS = ("referred_on", "move_reason", "allocated_lead_id", "handover_on")

    def __init__(
        self,
        *args,
        people,
        agencies,
        decisions: list[Decision],
        recorded: Decision | None,
        records_moves: bool,
        meeting_day: date,
        **kwargs,
    ):
        """`decisions` are those the meeting's kind records; one `recorded` before its kind stopped offering it
        stays a choice, so saving the mapping never loses it. A kind that records no moves asks nothing of them."""
        super().__init__(*args, **kwargs)
        self.records_moves = records_moves
        self.meeting_day = meeting_day
        if records_moves:
            self.allocated_lead_id.choices = person_choices("Choose a person", people, self.allocated_lead_id.data)
        else:
            for name in self.MOVE_FIELDS:
                delattr(self, name)
        offered = decisions + ([recorded] if recorded is not None and recorded not in decisions else [])
        self.decision.choices = [SelectChoice(d.value, d.label) for d in offered]
        for entry in self.new_actions:
            entry.form.owner_id.choices = person_choices("Choose a person", people, entry.form.owner_id.data)
            entry.form.owner_agency_id.choices = choices("Choose an agency", agencies)

    @staticmethod
    def mapping_names() -> list[str]:
        return [name for name, _, _ in MAPPING_FIELDS]

    def scores(self) -> dict[ScoreView, int]:
        return {
            view: getattr(self, name).score
            for view, name in self.SCORE_FIELDS.items()
            if getattr(self, name).score is not None
        }

    def require_step_up_answer(self, prompt: str) -> bool:
        """The scores call for a decision on stepping up: refuse to save until the group records one."""
        if not self.step_up_answer.data:
            self.step_up_answer.errors = [f"{prompt}: record the group's decision on stepping up"]
            return False
        if self.step_up_answer.data == StepUpAnswer.NOT_NEEDED.value and not (self.step_up_reason.data or "").strip():
            self.step_up_reason.errors = ["Enter why stepping up is not needed now"]
            return False
        return True

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.review_on)
        if self.decision.data == Decision.REVIEW.value and not self.review_on.data and not self.review_on.errors:
            self.review_on.errors.append("Enter the date the family comes back for review")
            valid = False
        if self.review_on.data and self.review_on.data < date.today():
            self.review_on.errors.append("Review date must be in the future")
            valid = False
        if self.records_moves:
            self._fix_date_errors(self.referred_on, self.handover_on)
            problems = move_problems(
                Decision(self.decision.data) if self.decision.data in set(Decision) else None,
                records_moves=True,
                referred_on=self.referred_on.data,
                reason=self.move_reason.data or "",
                lead_id=self.allocated_lead_id.data,
                handover_on=self.handover_on.data,
                today=date.today(),
                meeting_day=self.meeting_day,
            )
            for name, message in problems.items():
                field = getattr(self, name)
                if not field.errors:
                    field.errors.append(message)
                valid = False
        return valid
