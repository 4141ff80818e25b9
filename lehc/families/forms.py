"""Forms of the families area: the family, its members, consent and its withdrawal, closure, the letter."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from lehc.families.letter import jargon_in
from lehc.forms import DateMessagesMixin, PersonField, SafeForm, date_field, optional_date_field, person_choices
from lehc.models import ConsentMethod, MemberKind, Outcome

NO_NAMES_HINT = "Write it so it could be read aloud at the table. Names belong in family members, not here."


def _not_future(field) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(f"{field.label.text} must be today or in the past")


class FamilyForm(SafeForm, DateMessagesMixin):
    locality_id = SelectField("Locality", widget=GovSelect(), coerce=int)
    requested_on = date_field("Date of request", "Enter the date of the request")
    summary = TextAreaField(
        "Why are you worried?",
        widget=GovTextArea(),
        description="A short summary for the LEHC: what you are worried about and what help you are asking for.",
        validators=[
            DataRequired(message="Enter why you are worried"),
            Length(max=5000, message="Summary must be 5000 characters or fewer"),
        ],
    )
    needs = SelectMultipleField(
        "Needs",
        widget=GovCheckboxesInput(),
        description="Select all that apply",
        choices=[SelectChoice(outcome.value, outcome.label) for outcome in Outcome],
    )
    lead_practitioner_id = PersonField("Lead practitioner (if named)")
    version = HiddenField()  # the version an edit started from (lehc.concurrency)
    submit = SubmitField("Save family", widget=GovSubmitInput())

    def __init__(self, *args, localities, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality_id.choices = [SelectChoice(0, "Choose a locality")] + [
            SelectChoice(loc.id, loc.name) for loc in localities
        ]
        self.lead_practitioner_id.choices = person_choices(
            "Not named yet", practitioners, self.lead_practitioner_id.data
        )

    def validate_locality_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Select the locality")

    def validate_requested_on(self, field) -> None:
        _not_future(field)
        if field.data and field.data.year < 2000:
            raise ValidationError("Date of request must be in 2000 or later")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.requested_on)
        return valid


class MemberForm(SafeForm, DateMessagesMixin):
    kind = RadioField(
        "Child or adult",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(MemberKind.CHILD.value, "Child or young person"),
            SelectChoice(MemberKind.ADULT.value, "Adult"),
        ],
        validators=[DataRequired(message="Select child or adult")],
    )
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the full name"),
            Length(max=120, message="Full name must be 120 characters or fewer"),
        ],
    )
    date_of_birth = optional_date_field("Date of birth", description="Required for a child. For example, 27 3 2019")
    school_or_setting = StringField(
        "School or setting (child)",
        widget=GovTextInput(),
        validators=[Length(max=200, message="School or setting must be 200 characters or fewer")],
    )
    send = BooleanField("Has special educational needs or disabilities (SEND)", widget=GovCheckboxInput())
    relationship_to_child = StringField(
        "Relationship to the child (adult)",
        widget=GovTextInput(),
        description="For example, mother, stepfather, grandparent",
        validators=[Length(max=80, message="Relationship must be 80 characters or fewer")],
    )
    submit = SubmitField("Add family member", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.date_of_birth)
        if self.kind.data == MemberKind.CHILD.value and not self.date_of_birth.data and not self.date_of_birth.errors:
            self.date_of_birth.errors.append("Enter the child's date of birth")
            valid = False
        if self.date_of_birth.data and self.date_of_birth.data > date.today():
            self.date_of_birth.errors.append("Date of birth must be in the past")
            valid = False
        if self.kind.data == MemberKind.ADULT.value and not (self.relationship_to_child.data or "").strip():
            self.relationship_to_child.errors.append("Enter the adult's relationship to the child")
            valid = False
        return valid


class ConsentForm(SafeForm, DateMessagesMixin):
    given_by_name = StringField(
        "Who gave consent",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter who gave consent"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    given_by_relationship = StringField(
        "Their relationship to the child",
        widget=GovTextInput(),
        description="For example, mother, or the young person themselves",
        validators=[
            DataRequired(message="Enter their relationship to the child"),
            Length(max=80, message="Relationship must be 80 characters or fewer"),
        ],
    )
    given_on = date_field("Date consent was given", "Enter the date consent was given")
    method = RadioField(
        "How was consent given?",
        widget=GovRadioInput(),
        choices=[SelectChoice(m.value, m.label) for m in ConsentMethod],
        validators=[DataRequired(message="Select how consent was given")],
    )
    covers = SelectMultipleField(
        "What does the consent cover?",
        widget=GovCheckboxesInput(),
        choices=[
            SelectChoice("discussion", "Discussion at the Locality Early Help Conversation"),
            SelectChoice("sharing", "Sharing information with the agencies present"),
        ],
    )
    expires_on = optional_date_field(
        "Expiry date (optional)", description="Leave blank for the default: 12 months after consent was given"
    )
    submit = SubmitField("Save consent", widget=GovSubmitInput())

    def validate_given_on(self, field) -> None:
        _not_future(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.given_on, self.expires_on)
        if "discussion" not in (self.covers.data or []):
            self.covers.errors.append("Consent must cover discussion at the LEHC to be recorded here")
            valid = False
        if self.expires_on.data and self.given_on.data and self.expires_on.data <= self.given_on.data:
            self.expires_on.errors.append("Expiry date must be after the date consent was given")
            valid = False
        return valid


class WithdrawConsentForm(SafeForm, DateMessagesMixin):
    withdrawn_on = date_field("Date consent was withdrawn", "Enter the date consent was withdrawn")
    note = TextAreaField(
        "Note", widget=GovTextArea(), validators=[Length(max=1000, message="Note must be 1000 characters or fewer")]
    )
    submit = SubmitField("Withdraw consent", widget=GovSubmitInput())

    def validate_withdrawn_on(self, field) -> None:
        _not_future(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.withdrawn_on)
        return valid


class CloseFamilyForm(SafeForm, DateMessagesMixin):
    closed_on = date_field("Date closed", "Enter the date the family's record is closed")
    reason = TextAreaField(
        "Why is the record closed?",
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Enter why the record is closed"),
            Length(max=1000, message="Reason must be 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Close the record", widget=GovSubmitInput())

    def __init__(self, *args, recorded_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded_on = recorded_on  # the day the family was recorded in LEHC

    def validate_closed_on(self, field) -> None:
        _not_future(field)
        if field.data and field.data < self.recorded_on:
            # an earlier date would put the record past its retention period the moment it is closed
            raise ValidationError(
                f"Date closed must be on or after {self.recorded_on:%-d %B %Y}, when the family was recorded"
            )


def _letter_part(label: str, required: str, *, most: int = 5000, too_long: str = "Each part") -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[
            DataRequired(message=required),
            Length(max=most, message=f"{too_long} must be {most} characters or fewer"),
        ],
    )


class LetterForm(SafeForm):
    talked_about = _letter_part("What we talked about", "Enter what was talked about")
    working_well = _letter_part("What is working well", "Enter what is working well")
    next_steps = _letter_part("What will happen next", "Enter what will happen next")
    contact = _letter_part("Who to contact", "Enter who the family can contact", most=1000, too_long="Who to contact")
    submit = SubmitField("Save and download the letter", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self.talked_about, self.working_well, self.next_steps, self.contact):
            found = jargon_in(field.data or "")
            if found and not field.errors:
                field.errors.append(f"Use plain words instead of professional terms such as '{found[0]}'")
                valid = False
        return valid
