from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lehc.forms import DateInput, DateMessagesMixin, SafeForm, choices
from lehc.models import ActionStatus


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


class MeetingActionForm(SafeForm, DateMessagesMixin):
    description = TextAreaField(
        "Meeting action",
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Enter what needs to happen"),
            Length(max=1000, message="Action must be 1000 characters or fewer"),
        ],
    )
    owner_id = SelectField("Who (person)", widget=GovSelect(), coerce=int)
    owner_agency_id = SelectField("Which agency", widget=GovSelect(), coerce=int)
    due_on = DateField("By when", widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Add meeting action", widget=GovSubmitInput())

    def __init__(self, *args, people, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices("Choose a person", people)
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


class ActionUpdateForm(SafeForm):
    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[SelectChoice(s.value, s.label) for s in ActionStatus],
        validators=[DataRequired(message="Select the status")],
    )
    reason = StringField(
        "Why was it not done?",
        widget=GovTextInput(),
        validators=[Length(max=500, message="Reason must be 500 characters or fewer")],
        description="Needed when the status is 'Not done'",
    )
    note = TextAreaField(
        "Update", widget=GovTextArea(), validators=[Length(max=2000, message="Update must be 2000 characters or fewer")]
    )
    submit = SubmitField("Save update", widget=GovSubmitInput())

    def validate_reason(self, field) -> None:
        if self.status.data == ActionStatus.CANCELLED.value and not (field.data or "").strip():
            raise ValidationError("Enter why the action was not done")
