"""Form helpers shared by every area."""

from __future__ import annotations

import re
from datetime import time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from lehc.reference_data import person_labels, pickable_person
from lehc.text import clean_text, is_one_line


def strip_whitespace(value: str | None) -> str | None:
    """A WTForms filter: people paste addresses with stray spaces."""
    return value.strip() if isinstance(value, str) else value


_TIME_PATTERN = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?$")


def parse_time(text: str | None) -> time | None:
    """Read a time as people type it: 9:30, 09:30, 9.30, 14:00, 2pm, 9:30am. None when it is not a time."""
    match = _TIME_PATTERN.match((text or "").strip().lower())
    if not match:
        return None
    hour, minute, ampm = int(match["hour"]), int(match["minute"] or 0), match["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _all_fields(form):
    """Every field, including those inside FieldList and FormField."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from _all_fields(entry.form) if isinstance(entry, FormField) else [entry]
        elif isinstance(field, FormField):
            yield from _all_fields(field.form)
        else:
            yield field


def error_summary(form) -> dict:
    """govuk-frontend-wtf's error summary, with date fields linked to their Day box so the link moves focus."""
    params = wtforms_errors(form)
    date_fields = {f"#{field.id}" for field in _all_fields(form) if isinstance(field.widget, GovDateInput)}
    hidden_fields = {f"#{field.id}" for field in _all_fields(form) if isinstance(field, HiddenField)}
    for error in params["errorList"]:
        if error["href"] in date_fields:
            error["href"] += "-day"
        elif error["href"] in hidden_fields:  # e.g. an edit conflict: nothing to focus, go to the page content
            error["href"] = "#main-content"
    return params


def date_field(label: str, required_message: str, **kwargs) -> DateField:
    return DateField(
        label,
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message=required_message)],
        **kwargs,
    )


def optional_date_field(label: str, **kwargs) -> DateField:
    """A GOV.UK date input that may be left blank (day, month and year boxes, e.g. 27 3 2019)."""
    return DateField(label, widget=DateInput(), format="%d %m %Y", validators=[Optional()], **kwargs)


class DateMessagesMixin:
    """DateField's own message for a bad date is not GOV.UK wording: replace it."""

    def _fix_date_errors(self, *fields) -> None:
        for field in fields:
            if field.errors and field.raw_data and any(part.strip() for part in field.raw_data):
                field.errors[:] = [
                    e if not e.startswith("Not a valid date") else f"{field.label.text} must be a real date"
                    for e in field.errors
                ]


class DateInput(GovDateInput):
    """GOV.UK date input that survives a request missing some of the day, month and year boxes."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = (list(raw) + ["", "", ""])[:3]
            try:
                return super().map_gov_params(field, **kwargs)
            finally:
                field.raw_data = raw
        return super().map_gov_params(field, **kwargs)


def _free_text(value):
    """Free text is kept as people mean it: a pasted Word line break becomes a line break, other control
    characters (NUL, which PostgreSQL refuses, among them) are dropped."""
    return clean_text(value) if isinstance(value, str) else value


def _tabs_as_spaces(value):
    """A tab pasted into a single-line box (from a spreadsheet, say) is a space; NUL is dropped."""
    return value.replace("\t", " ").replace("\x00", "") if isinstance(value, str) else value


def _one_line(form, field) -> None:
    """A single-line value holds no line break or control character: one would add lines to an e-mail header or a
    calendar (a header injection) and break Word files."""
    if isinstance(field.data, str) and not is_one_line(field.data):
        raise ValidationError(f"{field.label.text} must be on one line, without line breaks or control characters")


def _with_validator(unbound_field, validator) -> None:
    if "validators" in unbound_field.kwargs:
        unbound_field.kwargs["validators"] = [*(unbound_field.kwargs["validators"] or []), validator]
    elif len(unbound_field.args) >= 2:
        label, validators, *rest = unbound_field.args
        unbound_field.args = (label, [*(validators or []), validator], *rest)
    else:
        unbound_field.kwargs["validators"] = [validator]


class _SafeMeta:
    """Every field is cleaned before validation: free text (text areas) by `clean_text`; a single-line field loses
    tabs and NULs and refuses any other control character with a message on the form. Passwords are left as typed."""

    def bind_field(self, form, unbound_field, options):
        field_class = unbound_field.field_class
        if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
            single_line = not issubclass(field_class, TextAreaField)
            cleaner = _tabs_as_spaces if single_line else _free_text
            filters = unbound_field.kwargs.get("filters") or []
            if cleaner not in filters:
                unbound_field.kwargs["filters"] = [cleaner, *filters]
                if single_line:
                    _with_validator(unbound_field, _one_line)
        return unbound_field.bind(form=form, **options)


class SafeForm(FlaskForm):
    """The base of every form: input is cleaned of control characters before validation (see _SafeMeta)."""

    class Meta(_SafeMeta):
        pass


class SafeSubForm(Form):
    """The base of sub-forms (inside FieldList/FormField), cleaned the same way."""

    class Meta(_SafeMeta):
        pass


class OfferedRadioField(RadioField):
    """Radios whose choices are data (kinds of meeting, a kind's decisions): a value not offered, from a stale or
    crafted form, gets a message that says what to do rather than WTForms' "Not a valid choice."."""

    def __init__(self, label: str, *, not_offered: str, **kwargs) -> None:
        super().__init__(label, **kwargs)
        self.not_offered = not_offered

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.not_offered) from None


def person_choices(placeholder: str, people, chosen: int | None = None) -> list[SelectChoice]:
    """A person picker's options: the placeholder (value 0), then each person as "name, agency" (person_labels; the
    type-ahead, lehc-init.js, matches either), and the person already chosen if they are not among them (someone
    from elsewhere in the county, found by typing) and may still be picked; anyone else is not a valid choice."""
    people = list(people)
    if chosen and 1 <= chosen <= MAX_RECORD_ID and all(person.id != chosen for person in people):
        people += [person for person in [pickable_person(chosen)] if person is not None]
    labels = person_labels(people)
    return [SelectChoice(0, placeholder)] + [SelectChoice(person.id, labels[person.id]) for person in people]


PERSON_PICKER = {"data-autocomplete": "person"}  # render_kw: enhanced into a type-ahead where JavaScript runs


class PersonField(SelectField):
    """A person picker: a select of people (person_choices) enhanced into a type-ahead where JavaScript runs; a
    person not offered (gone from LEHC, or never a choice) is refused with a message that says what to do."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, widget=GovSelect(), coerce=int, render_kw=PERSON_PICKER, **kwargs)

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError("Choose a person from the list") from None


def choices(placeholder: str, records) -> list[SelectChoice]:
    """A select's options: a 'Choose …' placeholder (value 0), then each record by id and name."""
    return [SelectChoice(0, placeholder)] + [SelectChoice(record.id, record.name) for record in records]


MAX_RECORD_ID = 2**63 - 1  # the largest id a database column holds (BIGINT); a larger one cannot exist


def record_id(value: str) -> int:
    """A record id from a query string (request.args.get(..., type=record_id)): a whole number that a database id
    can be; otherwise ValueError, which Werkzeug turns into the argument's default."""
    number = int(value)
    if not 1 <= number <= MAX_RECORD_ID:
        raise ValueError(value)
    return number


def filter_args(args, *keys: str) -> dict[str, list[str]]:
    """A list page's own filters from its query string, to carry into its page links: only the keys it reads (an
    arbitrary key such as `_scheme` or a route's own argument would otherwise reach url_for)."""
    return {key: args.getlist(key) for key in keys if key in args}


def page_number(value: str) -> int:
    """A page of a list: 1 to 100,000 (further than any list goes), otherwise ValueError."""
    number = int(value)
    if not 1 <= number <= 100_000:
        raise ValueError(value)
    return number
