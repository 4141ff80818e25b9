"""Forms of the administration area: accounts, memberships, locality names, the seats of a kind of meeting, the
areas of the Early Help Forums and the school terms."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from lehc.admin import services
from lehc.auth.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from lehc.auth.passwords import password_problem
from lehc.forms import DateMessagesMixin, SafeForm, choices, date_field, strip_whitespace
from lehc.models import MeetingKind, MembershipKind, Role
from lehc.reference_data import all_agencies, all_localities
from lehc.terms import LONGEST_TERM_DAYS, overlapping


class UserForm(SafeForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the person's full name"),
            Length(max=120, message="Full name must be 120 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )
    job_title = StringField(
        "Job title",
        widget=GovTextInput(),
        validators=[Length(max=120, message="Job title must be 120 characters or fewer")],
    )
    agency_id = SelectField("Agency", widget=GovSelect(), coerce=int, validate_choice=True)
    role = RadioField(
        "Role in LEHC",
        widget=GovRadioInput(),
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validators=[DataRequired(message="Select the person's role")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, user_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_id = user_id
        self.agency_id.choices = choices("Choose an agency", all_agencies())

    def validate_email(self, field) -> None:
        if services.email_taken(field.data, excluding_user_id=self._user_id):
            raise ValidationError("A user with this email address already exists")

    def validate_agency_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Select the person's agency")


class NewUserForm(UserForm):
    password = PasswordField(
        "Initial password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Give it to the person by a separate, secure route.",
        validators=[DataRequired(message="Enter an initial password")],
    )

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", email=self.email.data or "", name=self.name.data or "")
        if problem:
            raise ValidationError(problem)


class MembershipForm(SafeForm):
    locality_id = SelectField("Locality", widget=GovSelect(), coerce=int)
    kind = RadioField(
        "Type of membership",
        widget=GovRadioInput(),
        choices=[SelectChoice(kind.value, kind.label) for kind in MembershipKind],
        validators=[DataRequired(message="Select core or call-on")],
    )
    seat_id = SelectField(
        "Seat at the table",
        widget=GovSelect(),
        coerce=int,
        description="Leave as 'No seat' for a coordinator who supports the meeting without a seat.",
    )
    submit = SubmitField("Add membership", widget=GovSubmitInput())

    def __init__(self, *args, user_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_id = user_id
        self.locality_id.choices = [(0, "Choose a locality")] + [(loc.id, loc.name) for loc in all_localities()]
        self.seat_id.choices = [SelectChoice(0, "No seat")] + [
            SelectChoice(seat.id, f"{seat.name} ({seat.kind.label.lower()})") for seat in services.all_seats()
        ]

    def validate_locality_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Select a locality")
        if services.membership_exists(self._user_id, field.data):
            raise ValidationError("This person is already a member of that locality's LEHC")

    def validate_seat_id(self, field) -> None:
        if not field.data or not self.kind.data:
            return
        seat = services.get_seat(field.data)
        if seat.kind.value != self.kind.data:
            raise ValidationError(f"{seat.name} is a {seat.kind.label.lower()} seat: choose a matching seat or type")


class LocalityForm(SafeForm):
    name = StringField(
        "Locality name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the locality name"),
            Length(max=80, message="Locality name must be 80 characters or fewer"),
        ],
    )
    agenda_deadline_days = StringField(
        "Days before a meeting that its agenda closes",
        widget=GovTextInput(),
        description="Presenters are reminded in the two working days before it closes. About a week suits a "
        "fortnightly LEHC.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, locality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._locality_id = locality_id

    @property
    def deadline_days(self) -> int | None:
        """The days typed, or None when left empty (the locality keeps what it has)."""
        text = str(self.agenda_deadline_days.data or "").strip()
        return int(text) if text.isascii() and text.isdigit() else None

    def validate_agenda_deadline_days(self, field) -> None:
        text = str(field.data or "").strip()
        if text and not (text.isascii() and text.isdigit() and 1 <= int(text) <= 28):
            raise ValidationError("Days before a meeting must be a whole number from 1 to 28")

    def validate_name(self, field) -> None:
        if services.locality_name_taken(field.data, excluding_id=self._locality_id):
            raise ValidationError("Another locality already has this name")


class KindSeatsForm(SafeForm):
    """The seats whose holders are invited to the whole of a kind's meetings (in one locality, or by default)."""

    seats = SelectMultipleField(
        "Seats invited to the whole meeting",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Members in these seats get the invitation and sit at the whole meeting; the locality's other "
        "members can be called on for an item.",
        validators=[DataRequired(message="Select at least one seat")],
    )
    submit = SubmitField("Save seats", widget=GovSubmitInput())

    def __init__(self, *args, kind: MeetingKind, **kwargs):
        super().__init__(*args, **kwargs)
        # A locality's meeting may seat one the LEHC calls on (Children's Social Care at the step meeting); an
        # area's meeting (the forum) invites core members only, as only they sit in the area (policy.sits_in_area)
        self.seats.choices = [
            SelectChoice(seat.id, seat.name if seat.kind is MembershipKind.CORE else f"{seat.name} (call-on at LEHC)")
            for seat in services.all_seats()
            if seat.kind is MembershipKind.CORE or not kind.meets_per_area
        ]


class AreaForm(SafeForm):
    """An area of the Early Help Forums: its name and the localities it groups (a locality ticked here leaves the
    area it was in)."""

    name = StringField(
        "Area name",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the area name"),
            Length(max=80, message="Area name must be 80 characters or fewer"),
        ],
    )
    localities = SelectMultipleField(
        "Localities in this area",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="A locality is in one area: ticking it here takes it out of the area it is in now.",
    )
    submit = SubmitField("Save area", widget=GovSubmitInput())

    def __init__(self, *args, area_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self._area_id = area_id
        self.localities.choices = [
            SelectChoice(loc.id, f"{loc.name} (now in {loc.area.name})" if loc.area else loc.name)
            for loc in all_localities()
        ]

    def validate_name(self, field) -> None:
        if services.area_name_taken(field.data, excluding_id=self._area_id):
            raise ValidationError("Another area already has this name")


class TermForm(SafeForm, DateMessagesMixin):
    """A school term: its name and first and last days."""

    name = StringField(
        "Term name",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="For example, Autumn term 2026",
        validators=[
            DataRequired(message="Enter the term name"),
            Length(max=60, message="Term name must be 60 characters or fewer"),
        ],
    )
    starts_on = date_field("First day of term", "Enter the first day of term", description="For example, 3 9 2026")
    ends_on = date_field("Last day of term", "Enter the last day of term", description="For example, 18 12 2026")
    submit = SubmitField("Save term", widget=GovSubmitInput())

    def __init__(self, *args, term_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self._term_id = term_id

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.starts_on, self.ends_on)
        return valid

    def validate_ends_on(self, field) -> None:
        start, end = self.starts_on.data, field.data
        if not (start and end):
            return
        if end < start:
            raise ValidationError("The last day of term must be the same as or after the first day")
        if (end - start).days >= LONGEST_TERM_DAYS:
            raise ValidationError(f"A term must be shorter than {LONGEST_TERM_DAYS // 7} weeks")
        clash = overlapping(start, end, excluding_id=self._term_id)
        if clash is not None:
            raise ValidationError(f"The term overlaps {clash.name}: change its dates or this term's")
