"""A small server-rendered SVG of scaling scores across discussions (no JavaScript, no external assets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from lehc.models import ScoreView

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 560, 250, 40, 44, 16, 70
# Each view has its own colour, line pattern, width and marker, so the lines are told apart without colour and one
# never hides another: the widest line is drawn first and the narrowest on top.
STYLES = {
    ScoreView.GROUP: ("#1d70b8", "", 5, "circle"),
    ScoreView.FAMILY: ("#00703c", "8 5", 3, "square"),
    ScoreView.PRESENTER: ("#d4351c", "2 4", 2, "triangle"),
}


@dataclass(frozen=True)
class ScorePoint:
    on: date
    view: ScoreView
    score: int


def _marker(shape: str, cx: float, cy: float, colour: str) -> str:
    if shape == "circle":  # hollow and large: a marker drawn on top of it still shows
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="#ffffff" stroke="{colour}" stroke-width="3"/>'
    if shape == "square":
        return f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return f'<path d="M{cx:.1f},{cy - 4:.1f} L{cx + 4:.1f},{cy + 3:.1f} L{cx - 4:.1f},{cy + 3:.1f} Z" fill="{colour}"/>'


def scores_svg(points: list[ScorePoint], *, title_id: str = "scores-chart-title") -> Markup:
    """Lines per view (group, family, presenter) over discussions; 0-10 on the y axis; a legend under the axis."""
    days = sorted({point.on for point in points})
    if not days:
        return Markup("")
    span = max(len(days) - 1, 1)
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(day: date) -> float:
        return PAD_LEFT + (days.index(day) / span) * plot_w if len(days) > 1 else PAD_LEFT + plot_w / 2

    def y(score: int) -> float:
        return PAD_TOP + (10 - score) / 10 * plot_h

    parts = [
        f'<svg class="lehc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id}" '
        f'xmlns="http://www.w3.org/2000/svg" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{title_id}">Scaling scores across {len(days)} discussion(s); '
        "the table below gives the figures</title>",
    ]
    for score in (0, 5, 10):
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y(score)}" y2="{y(score)}" stroke="#b1b4b6"/>'
        )
        parts.append(f'<text x="{PAD_LEFT - 8}" y="{y(score) + 4}" text-anchor="end" font-size="12">{score}</text>')
    axis_y = PAD_TOP + plot_h + 18
    for index, day in enumerate(days):
        # the first label starts at its point and the last ends at it, so neither runs off the chart
        anchor = (
            "middle" if len(days) == 1 else "start" if index == 0 else "end" if index == len(days) - 1 else "middle"
        )
        parts.append(
            f'<text x="{x(day):.1f}" y="{axis_y}" text-anchor="{anchor}" font-size="12">{day:%-d %b %y}</text>'
        )
    legend_x = PAD_LEFT
    for view, (colour, dash, width, shape) in STYLES.items():
        series = sorted((p for p in points if p.view is view), key=lambda p: p.on)
        if series:
            coords = " ".join(f"{x(p.on):.1f},{y(p.score):.1f}" for p in series)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" stroke-dasharray="{dash}" '
                f'points="{coords}"/>'
            )
            parts.extend(_marker(shape, x(p.on), y(p.score), colour) for p in series)
        legend_y = HEIGHT - 16
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 28}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-dasharray="{dash}"/>'
        )
        parts.append(_marker(shape, legend_x + 14, legend_y - 4, colour))
        parts.append(f'<text x="{legend_x + 34}" y="{legend_y}" font-size="12">{escape(view.label)}</text>')
        legend_x += 170
    parts.append("</svg>")
    # Safe: every value above is a number or a date formatted here; the only text from data is escaped.
    return Markup("".join(parts))  # nosec B704
