"""The form that picks the kind of meeting, the area and the period of the insight dashboard."""

from datetime import date

from dateutil.relativedelta import relativedelta
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import ValidationError

from lehc.forms import DateMessagesMixin, SafeForm, date_field

COUNTY = "all"
LONGEST_PERIOD_YEARS = 10


class InsightForm(SafeForm, DateMessagesMixin):
    """The kind of meeting, area and period to report on; read from the query string, so bookmarkable and
    CSRF-free."""

    class Meta:
        csrf = False

    kind = SelectField("Meeting", widget=GovSelect(), validate_choice=False)
    area = SelectField("Area", widget=GovSelect(), validate_choice=False)
    start = date_field("From", "Enter the first day of the period")
    end = date_field("To", "Enter the last day of the period")
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def __init__(self, *args, localities, kinds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.code, kind.name) for kind in kinds]
        self.area.choices = [(COUNTY, "All of County Durham")] + [(loc.code, loc.name) for loc in localities]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self._fix_date_errors(self.start, self.end)
        return valid

    def validate_kind(self, field) -> None:
        if field.data not in {value for value, _ in self.kind.choices}:
            raise ValidationError("Choose one of the kinds of meeting listed")

    def validate_area(self, field) -> None:
        if field.data not in {value for value, _ in self.area.choices}:
            raise ValidationError("Choose County Durham or a locality you chair or coordinate")

    def validate_end(self, field) -> None:
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError("The last day must be the same as or after the first day")
            if field.data > self.start.data + relativedelta(years=LONGEST_PERIOD_YEARS):
                raise ValidationError(f"Choose a period of {LONGEST_PERIOD_YEARS} years or less")

    @staticmethod
    def default_period(today: date) -> tuple[date, date]:
        """The last twelve months, today included."""
        return today - relativedelta(years=1) + relativedelta(days=1), today
