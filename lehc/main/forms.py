"""The search form (posted, so the words searched for, perhaps a child's name, never sit in a URL or a log) and the
profile page's reminder settings."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from lehc.forms import SafeForm
from lehc.models import ReminderKind


class SearchForm(SafeForm):
    query = StringField(
        "Search",
        widget=GovTextInput(),
        filters=[lambda text: " ".join(text.split()) if text else text],  # " a " is one letter, too short
        description="A family reference (DUR-2026-0012), a meeting's date or reference, words from an action, or a "
        "child's or adult's name in a family you work with",
        validators=[
            DataRequired(message="Enter what to search for"),
            Length(min=2, max=100, message="Enter between 2 and 100 characters"),
        ],
    )
    submit = SubmitField("Search", widget=GovSubmitInput())


class ReminderSettingsForm(SafeForm):
    kinds = SelectMultipleField(
        "E-mail me reminders about",
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(kind.value, kind.label) for kind in ReminderKind],
        description="Reminders name meetings, family references and dates only. Untick any you do not want.",
    )
    submit = SubmitField("Save reminder settings", widget=GovSubmitInput())
