"""Routes of the insight dashboard and its CSV export."""

from datetime import date

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc.audit import audit
from lehc.downloads import attachment, slug
from lehc.insight import bp, export, figures
from lehc.insight.charts import bar_chart
from lehc.insight.forms import COUNTY, InsightForm
from lehc.models import Locality, Role
from lehc.policy import requires_role


def _localities() -> list[Locality]:
    """The localities whose figures the user may look at one by one: those they chair or coordinate."""
    return sorted({membership.locality for membership in current_user.memberships}, key=lambda loc: loc.name)


def _form() -> tuple[InsightForm, list[Locality]]:
    localities = _localities()
    form = InsightForm(formdata=request.args or None, localities=localities)
    if not request.args:
        form.start.data, form.end.data = InsightForm.default_period(date.today())
        form.area.data = localities[0].code if localities else COUNTY
    return form, localities


def _insight(form: InsightForm, localities: list[Locality]) -> figures.Insight | None:
    if request.args and not form.validate():
        return None
    locality = next((loc for loc in localities if loc.code == form.area.data), None)
    return figures.compute(locality, figures.Period(form.start.data, form.end.data), date.today())


@bp.get("/insight")
@requires_role(Role.CHAIR, Role.COORDINATOR)
def dashboard() -> ResponseReturnValue:
    """What the LEHCs did over a period: charts with their figures beside them, and a CSV download."""
    form, localities = _form()
    insight = _insight(form, localities)
    charts = {}
    if insight is not None:
        audit("view", "insight", detail=f"{insight.scope}, {insight.period.start} to {insight.period.end}")
        charts = {
            "discussions": bar_chart(
                "Discussions by type", list(insight.discussions.items()), chart_id="chart-discussions"
            ),
            "referrals": bar_chart(
                "Families by referring agency", list(insight.referrals.items()), chart_id="chart-referrals"
            ),
            "decisions": bar_chart("Decisions", list(insight.decisions.items()), chart_id="chart-decisions"),
            "attendance": bar_chart(
                "Core seat attendance by agency",
                [(line.agency, line.percent) for line in insight.attendance],
                chart_id="chart-attendance",
                unit="%",
            ),
        }
    return render_template(
        "insight/dashboard.html", form=form, insight=insight, charts=charts, csv_args=_args(insight), title="Insight"
    )


def _args(insight: figures.Insight | None) -> dict:
    """The query string that reproduces these figures (for the CSV link)."""
    if insight is None:
        return {}
    period = insight.period
    area = next((loc.code for loc in _localities() if loc.name == insight.scope), COUNTY)
    parts = [[str(day.day), str(day.month), str(day.year)] for day in (period.start, period.end)]
    return {"area": area, "start": parts[0], "end": parts[1]}


@bp.get("/insight.csv")
@requires_role(Role.CHAIR, Role.COORDINATOR)
def dashboard_csv() -> ResponseReturnValue:
    form, localities = _form()
    insight = _insight(form, localities)
    if insight is None:
        return redirect(url_for("insight.dashboard", **request.args))
    audit("export", "insight", detail=f"csv, {insight.scope}, {insight.period.start} to {insight.period.end}")
    name = f"LEHC-insight-{slug(insight.scope)}-{insight.period.start}-to-{insight.period.end}.csv"
    return attachment(export.to_csv(insight), name, mimetype="text/csv")
