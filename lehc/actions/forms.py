"""The form an action's owner (or the chair) uses to record progress on it."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from lehc.forms import SafeForm
from lehc.models import ActionStatus


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
