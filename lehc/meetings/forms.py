"""Forms of the meetings area: series, meetings, closures, agenda items, responses and agency checks."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from lehc.dates import format_plain_date
from lehc.forms import (
    DateMessagesMixin,
    OfferedRadioField,
    PersonField,
    SafeForm,
    SafeSubForm,
    date_field,
    optional_date_field,
    parse_time,
    person_choices,
    strip_whitespace,
)
from lehc.meetings.scheduling import MAX_OCCURRENCES, ClashChoice
from lehc.models import AgencySector, CheckAnswer, DiscussionType, Family, Frequency, MeetingStatus, ResponseKind
from lehc.reference_data import person_labels

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WEEKS_OF_MONTH = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]


class TimeField(StringField):
    """A time typed as text (9:30, 14:00, 2pm); `data` stays the text, `time` is the parsed value."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        kwargs.setdefault("filters", [strip_whitespace])
        super().__init__(label, **kwargs)

    @property
    def time(self):
        return parse_time(self.data)

    def pre_validate(self, form) -> None:
        if self.data and self.time is None:
            raise ValidationError(f"{self.label.text} must be a real time, like 9:30 or 14:00")


def _venue_or_link(form) -> None:
    if not (form.venue.data or "").strip() and not (form.online_link.data or "").strip():
        form.venue.errors.append("Enter a venue or an online joining link")
        raise ValidationError


def kind_field() -> RadioField:
    """Which kind of meeting (the LEHC, the weekly step up / step down...): choices from the kinds the county keeps,
    set by the view (lehc.meetings.views.localities._choose_kind)."""
    return OfferedRadioField(
        "Kind of meeting",
        widget=GovRadioInput(),
        not_offered="Select one of the kinds of meeting listed",
        validators=[DataRequired(message="Select the kind of meeting")],
    )


class SeriesForm(SafeForm, DateMessagesMixin):
    kind_code = kind_field()
    frequency = RadioField(
        "How often do these meetings happen?",
        widget=GovRadioInput(),
        choices=[SelectChoice(f.value, f.label) for f in Frequency if f is not Frequency.TERMLY],  # forums: by term
        validators=[DataRequired(message="Select how often the meetings happen")],
    )
    weekday = SelectField(
        "Day of the week", widget=GovSelect(), coerce=int, choices=[SelectChoice(i, d) for i, d in enumerate(WEEKDAYS)]
    )
    week_of_month = SelectField(
        "Which week of the month",
        widget=GovSelect(),
        coerce=int,
        description="Monthly meetings only, for example the second Tuesday",
        choices=[SelectChoice(n, label) for n, label in WEEKS_OF_MONTH],
    )
    start_time = TimeField(
        "Start time",
        description="For example, 9:30 or 14:00",
        validators=[DataRequired(message="Enter the start time")],
    )
    duration_minutes = IntegerField(
        "Length in minutes",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the length of the meeting in minutes"),
            NumberRange(min=15, max=480, message="Length must be between 15 and 480 minutes"),
        ],
    )
    venue = StringField(
        "Venue", widget=GovTextInput(), validators=[Length(max=200, message="Venue must be 200 characters or fewer")]
    )
    online_link = URLField(
        "Online joining link",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="For example, the Teams meeting link",
        validators=[Optional(), URL(message="Enter the joining link as a full web address, starting https://")],
    )
    first_date = date_field("Date of the first meeting", "Enter the date of the first meeting")
    until_date = optional_date_field(
        "Last possible date (optional)", description="Give a last date or a number of meetings"
    )
    occurrences = IntegerField(
        "Number of meetings (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_OCCURRENCES, message=f"Enter between 1 and {MAX_OCCURRENCES} meetings"),
        ],
    )
    on_clash = RadioField(
        "When a date falls on a bank holiday, a closure or another meeting",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(ClashChoice.MOVE.value, "Move the meeting to the next working day"),
            SelectChoice(ClashChoice.DROP.value, "Drop that meeting"),
        ],
        default=ClashChoice.MOVE.value,
        validators=[DataRequired(message="Select what to do when a date clashes")],
    )
    preview = SubmitField("Preview dates", widget=GovSubmitInput())
    save = SubmitField("Save series", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.first_date, self.until_date)
        if self.first_date.data and self.first_date.data < date.today():
            self.first_date.errors.append("Date of the first meeting must be today or in the future")
            valid = False
        if (
            not self.until_date.data
            and not self.occurrences.data
            and not self.until_date.errors
            and not self.occurrences.errors
        ):
            self.occurrences.errors.append("Enter a last possible date or a number of meetings")
            valid = False
        if self.until_date.data and self.first_date.data and self.until_date.data < self.first_date.data:
            self.until_date.errors.append("Last possible date must be after the date of the first meeting")
            valid = False
        try:
            _venue_or_link(self)
        except ValidationError:
            valid = False
        return valid


class ClosureForm(SafeForm, DateMessagesMixin):
    day = date_field("Date the locality does not meet", "Enter the date")
    reason = StringField(
        "Reason",
        widget=GovTextInput(),
        description="For example, team training day",
        validators=[
            DataRequired(message="Enter the reason"),
            Length(max=200, message="Reason must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Add closure date", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.day)
        return valid


class MeetingForm(SafeForm, DateMessagesMixin):
    day = date_field("Date", "Enter the date of the meeting")
    start_time = TimeField(
        "Start time",
        description="For example, 9:30 or 14:00",
        validators=[DataRequired(message="Enter the start time")],
    )
    duration_minutes = SeriesForm.duration_minutes
    venue = SeriesForm.venue
    online_link = SeriesForm.online_link
    version = HiddenField()  # the version a reschedule started from (lehc.concurrency)
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.day)
        if self.day.data and self.day.data < date.today():
            self.day.errors.append("Date must be today or in the future")
            valid = False
        try:
            _venue_or_link(self)
        except ValidationError:
            valid = False
        return valid


class NewMeetingForm(MeetingForm):
    """A single meeting, of a kind (a reschedule keeps the meeting's kind)."""

    kind_code = kind_field()


class ForumForm(MeetingForm):
    """An area's Early Help Forum: one a term (the view checks the day against the terms table)."""

    submit = SubmitField("Schedule the forum", widget=GovSubmitInput())


class CancelForm(SafeForm):
    reason = TextAreaField(
        "Why is the meeting cancelled?",
        widget=GovTextArea(),
        description="Members see this reason. Do not include family details.",
        validators=[
            DataRequired(message="Enter why the meeting is cancelled"),
            Length(max=500, message="Reason must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Cancel meeting", widget=GovSubmitInput())


def _family_label(family: Family, consented: bool) -> str:
    """How the agenda's family picker names a family: reference, who presents it and since when (never a name of
    the family's members: the option list is read aloud by screen readers, perhaps in a shared room)."""
    label = (
        f"{family.reference}, presented by {family.presenter.name}, requested {format_plain_date(family.requested_on)}"
    )
    return label if consented else f"{label} (anonymous only: no valid consent)"


def minutes_allotted() -> IntegerField:
    """An agenda item's time (a new field each call, so it takes its place in each form's order)."""
    return IntegerField(
        "Minutes allotted",
        widget=GovTextInput(),
        default=20,
        validators=[
            InputRequired(message="Enter the minutes allotted"),
            NumberRange(min=5, max=120, message="Minutes allotted must be between 5 and 120"),
        ],
    )


class ItemForm(SafeForm):
    title = StringField(
        "Focus of the discussion",
        widget=GovTextInput(),
        description="For example, school attendance and a young carer. No names: it is shown on the agenda.",
        validators=[
            DataRequired(message="Enter a title for the item"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    family_id = SelectField(
        "Family",
        widget=GovSelect(),
        coerce=int,
        description="Families of this locality that are open. Invites name the item by its reference only.",
    )
    discussion_type = RadioField(
        "Type of discussion",
        widget=GovRadioInput(),
        choices=[SelectChoice(t.value, t.label) for t in DiscussionType],
        validators=[DataRequired(message="Select the type of discussion")],
    )
    presenter_id = PersonField("Presenting practitioner")
    duration_minutes = minutes_allotted()
    call_on = SelectMultipleField(
        "Call-on members needed for this item",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="They are invited to this item's slot only and see nothing else on the agenda.",
    )
    version = HiddenField()  # the version an edit started from (lehc.concurrency)
    submit = SubmitField("Save item", widget=GovSubmitInput())

    def __init__(self, *args, presenters, call_on_memberships, families, consent_on_meeting_day, **kwargs):
        super().__init__(*args, **kwargs)
        self._consented = consent_on_meeting_day  # family id -> bool
        self.family_id.choices = [SelectChoice(0, "Choose a family")] + [
            SelectChoice(f.id, _family_label(f, consent_on_meeting_day[f.id])) for f in families
        ]
        self.presenter_id.choices = person_choices("Choose a practitioner", presenters, self.presenter_id.data)
        people = person_labels([m.user for m in call_on_memberships])  # "name, agency": namesakes told apart
        self.call_on.choices = [
            SelectChoice(m.user.id, f"{people[m.user.id]} ({m.seat.name if m.seat else m.kind.label.lower()})")
            for m in call_on_memberships
        ]

    def validate_presenter_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Select the presenting practitioner")

    def validate_family_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Select the family")

    def validate_discussion_type(self, field) -> None:
        if (
            self.family_id.data
            and not self._consented.get(self.family_id.data)
            and field.data != DiscussionType.ANONYMOUS.value
        ):
            raise ValidationError(
                "This family has no valid consent on the meeting date: bring it as an anonymous consultation"
            )


class PresentationForm(SafeForm):
    """A forum's presentation or partnership item: its presenter need not use LEHC."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="For example, Changes to the school nursing offer. It is shown on the agenda and in invites.",
        validators=[
            DataRequired(message="Enter a title for the item"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    presenter_name = StringField(
        "Presenter",
        widget=GovTextInput(),
        description="Their name as the agenda should print it. Leave blank if not known yet.",
        validators=[Length(max=120, message="Presenter must be 120 characters or fewer")],
    )
    presenter_organisation = StringField(
        "Organisation",
        widget=GovTextInput(),
        description="For example, Durham Safeguarding Children Partnership",
        validators=[Length(max=160, message="Organisation must be 160 characters or fewer")],
    )
    duration_minutes = minutes_allotted()
    version = HiddenField()  # the version an edit started from (lehc.concurrency)
    submit = SubmitField("Save item", widget=GovSubmitInput())


class ContactForm(SafeForm):
    """Someone added to an area's forum mailing list: an address is enough; their organisation and its sector say
    who the forum reaches (insight counts attendance by sector)."""

    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter their email address"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    name = StringField(
        "Name (optional)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[Length(max=120, message="Name must be 120 characters or fewer")],
    )
    organisation = StringField(
        "Organisation",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="For example, Seaham Primary School or Harbour Support Services",
        validators=[
            DataRequired(message="Enter their organisation"),
            Length(max=160, message="Organisation must be 160 characters or fewer"),
        ],
    )
    sector = RadioField(
        "Sector",
        widget=GovRadioInput(),
        choices=[SelectChoice(sector.value, sector.label) for sector in AgencySector],
        validators=[DataRequired(message="Select the sector of their organisation")],
    )
    submit = SubmitField("Add to the mailing list", widget=GovSubmitInput())


class ResponseForm(SafeForm):
    response = RadioField(
        "Will you attend?",
        widget=GovRadioInput(),
        choices=[SelectChoice(r.value, r.label) for r in ResponseKind],
        validators=[DataRequired(message="Select whether you will attend")],
    )
    deputy_name = StringField(
        "Deputy's name",
        widget=GovTextInput(),
        validators=[Length(max=120, message="Deputy's name must be 120 characters or fewer")],
    )
    deputy_email = EmailField(
        "Deputy's email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Email(
                message="Enter the deputy's email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )
    submit = SubmitField("Send response", widget=GovSubmitInput())

    def validate_deputy_name(self, field) -> None:
        if self.response.data == ResponseKind.DEPUTY.value and not (field.data or "").strip():
            raise ValidationError("Enter the name of your deputy")


class AgencyCheckForm(SafeForm):
    answer = RadioField(
        "Does your agency know this family?",
        widget=GovRadioInput(),
        choices=[SelectChoice(answer.value, answer.label) for answer in CheckAnswer],
        validators=[DataRequired(message="Select whether your agency knows this family")],
    )
    note = TextAreaField(
        "Current involvement",
        description="Needed if your agency is involved now: a short note for the group, for example 'Health "
        "visitor sees the family monthly'. Do not copy case notes here.",
        widget=GovTextArea(),
        validators=[Length(max=600, message="The note must be 600 characters or fewer")],
    )
    submit = SubmitField("Save answer", widget=GovSubmitInput())

    def validate_note(self, field) -> None:
        if self.answer.data == CheckAnswer.INVOLVED_NOW.value and not (field.data or "").strip():
            raise ValidationError("Say briefly how your agency is involved now")


class MeetingFilterForm(SafeSubForm, DateMessagesMixin):
    """The meetings list's filters, read from the query string (a GET form: nothing changes, so no CSRF token)."""

    when = SelectField(
        "Show",
        widget=GovSelect(),
        choices=[
            SelectChoice("upcoming", "Upcoming meetings"),
            SelectChoice("past", "Past meetings"),
            SelectChoice("all", "All meetings"),
        ],
        default="upcoming",
    )
    kind = SelectField("Meeting", widget=GovSelect(), default="", validate_choice=False)  # "" (every kind) or one
    locality = SelectField("Locality", widget=GovSelect(), coerce=int, default=0)
    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[SelectChoice("", "Any status")]
        + [SelectChoice(status.value, status.label) for status in MeetingStatus],
        default="",
    )
    since = optional_date_field("From", description="For example, 1 12 2026")
    until = optional_date_field("To", description="For example, 31 3 2027")

    def validate_kind(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Select one of the kinds of meeting listed")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.since, self.until)
        if valid and self.since.data and self.until.data and self.until.data < self.since.data:
            self.until.errors.append("To must be the same as or after From")
            valid = False
        return valid
