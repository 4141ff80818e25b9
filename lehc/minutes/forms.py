"""Forms used while running a meeting: notes, meeting actions, a forum's guests and an amendment of approved minutes."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from lehc.forms import DateMessagesMixin, PersonField, SafeForm, choices, optional_date_field, person_choices
from lehc.meetings.forms import ContactForm


class AmendmentForm(SafeForm):
    reason = TextAreaField(
        "Why do the approved minutes need to change?",
        widget=GovTextArea(),
        description="The reason is kept with the next approved version.",
        validators=[
            DataRequired(message="Enter why the minutes need to change"),
            Length(max=1000, message="Reason must be 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Start amendment", widget=GovSubmitInput())


class NotesForm(SafeForm):
    original = HiddenField()  # a fingerprint of the notes as they were when the page was opened
    minutes_notes = TextAreaField(
        "Other notes and any other business",
        widget=GovTextArea(),
        validators=[Length(max=10000, message="Notes must be 10000 characters or fewer")],
    )
    submit = SubmitField("Save notes", widget=GovSubmitInput())


class DeclarationsForm(SafeForm):
    original = HiddenField()  # a fingerprint of the declarations as they were when the page was opened
    declarations = TextAreaField(
        "Declarations of interest",
        description="Who declared an interest in which item, and what it is. Leave it empty if nobody did.",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Declarations must be 5000 characters or fewer")],
    )
    submit = SubmitField("Save declarations", widget=GovSubmitInput())


class MeetingActionForm(SafeForm, DateMessagesMixin):
    description = TextAreaField(
        "Meeting action",
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Enter what needs to happen"),
            Length(max=1000, message="Action must be 1000 characters or fewer"),
        ],
    )
    owner_id = PersonField("Who (person)")
    owner_agency_id = SelectField("Which agency", widget=GovSelect(), coerce=int)
    due_on = optional_date_field("By when")
    submit = SubmitField("Add meeting action", widget=GovSubmitInput())

    def __init__(self, *args, people, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = person_choices("Choose a person", people, self.owner_id.data)
        self.owner_agency_id.choices = choices("Choose an agency", agencies)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.due_on)
        if not self.owner_id.data and not self.owner_agency_id.data:
            self.owner_id.errors.append("Choose who will do it, a person or an agency")
            valid = False
        if not self.due_on.data and not self.due_on.errors:
            self.due_on.errors.append("Enter when it needs to be done by")
            valid = False
        return valid


class GuestForm(SafeForm):
    """Someone at a forum who is not there as an LEHC member: named or not, by organisation and sector (the same
    fields as the forum's mailing list)."""

    name = ContactForm.name
    organisation = ContactForm.organisation
    sector = ContactForm.sector
    submit = SubmitField("Add to the attendance", widget=GovSubmitInput())
