"""Routes of the insight dashboard and its CSV export."""

from datetime import date

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc.audit import audit
from lehc.downloads import attachment, slug
from lehc.insight import bp, export, figures, suppression
from lehc.insight.charts import bar_chart
from lehc.insight.forms import COUNTY, InsightForm
from lehc.meetings.services import meeting_kinds
from lehc.models import LEHC, Locality, Role
from lehc.policy import requires_role


def _localities() -> list[Locality]:
    """The localities whose figures the user may look at one by one: those they chair or coordinate."""
    return sorted({membership.locality for membership in current_user.memberships}, key=lambda loc: loc.name)


def _form() -> tuple[InsightForm, list[Locality]]:
    localities = _localities()
    form = InsightForm(formdata=request.args or None, localities=localities, kinds=meeting_kinds())
    if not request.args:
        form.start.data, form.end.data = InsightForm.default_period(date.today())
        form.area.data = localities[0].code if localities else COUNTY
        form.kind.data = LEHC
    elif "kind" not in request.args:  # a bookmark from before there were kinds of meeting
        form.kind.data = LEHC
    return form, localities


def _insight(form: InsightForm, localities: list[Locality]) -> figures.Insight | None:
    if request.args and not form.validate():
        return None
    locality = next((loc for loc in localities if loc.code == form.area.data), None)
    period = figures.Period(form.start.data, form.end.data)
    return figures.compute(locality, period, date.today(), form.kind.data)


@bp.get("/insight")
@requires_role(Role.CHAIR, Role.COORDINATOR)
def dashboard() -> ResponseReturnValue:
    """What the meetings of a kind did over a period: charts with their figures beside them, and a CSV download."""
    form, localities = _form()
    insight = _insight(form, localities)
    charts = {}
    if insight is not None:
        audit("view", "insight", detail=_detail(insight))
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
        if insight.forum is not None:
            people = list(insight.forum.by_sector.items())
            charts["forum"] = bar_chart("People at the forums by sector", people, chart_id="chart-forum")
        if insight.moves is not None:
            moves = [("Stepped up", insight.moves.up), ("Stepped down", insight.moves.down)]
            charts["moves"] = bar_chart("Moves between levels of need", moves, chart_id="chart-moves")
    return render_template(
        "insight/dashboard.html",
        form=form,
        insight=insight,
        charts=charts,
        csv_args=_args(insight, form),
        mine={locality.name for locality in localities},  # other localities' small counts are hidden, as in the CSV
        small=suppression.count,
        title="Insight",
    )


def _detail(insight: figures.Insight) -> str:
    return f"{insight.kind_name}, {insight.scope}, {insight.period.start} to {insight.period.end}"


def _args(insight: figures.Insight | None, form: InsightForm) -> dict:
    """The query string that reproduces these figures (for the CSV link)."""
    if insight is None:
        return {}
    period = insight.period
    area = next((loc.code for loc in _localities() if loc.name == insight.scope), COUNTY)
    parts = [[str(day.day), str(day.month), str(day.year)] for day in (period.start, period.end)]
    return {"kind": form.kind.data, "area": area, "start": parts[0], "end": parts[1]}


@bp.get("/insight.csv")
@requires_role(Role.CHAIR, Role.COORDINATOR)
def dashboard_csv() -> ResponseReturnValue:
    form, localities = _form()
    insight = _insight(form, localities)
    if insight is None:
        return redirect(url_for("insight.dashboard", **request.args))
    audit("export", "insight", detail=f"csv, {_detail(insight)}")
    kind = "" if form.kind.data == LEHC else f"{form.kind.data}-"
    name = f"LEHC-{kind}insight-{slug(insight.scope)}-{insight.period.start}-to-{insight.period.end}.csv"
    return attachment(export.to_csv(insight), name, mimetype="text/csv")
