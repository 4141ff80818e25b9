"""A small server-rendered SVG of scaling scores across discussions (no JavaScript, no external assets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from lehc.models import ScoreView

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 560, 220, 40, 20, 16, 40
STYLES = {
    ScoreView.GROUP: ("#1d70b8", ""),
    ScoreView.FAMILY: ("#00703c", "6 4"),
    ScoreView.PRESENTER: ("#d4351c", "2 3"),
}


@dataclass(frozen=True)
class ScorePoint:
    on: date
    view: ScoreView
    score: int


def scores_svg(points: list[ScorePoint], *, title_id: str = "scores-chart-title") -> Markup:
    """Lines per view (group, family, presenter) over discussions; 0-10 on the y axis."""
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
    for day in days:
        parts.append(f'<text x="{x(day)}" y="{HEIGHT - 16}" text-anchor="middle" font-size="12">{day:%-d %b %y}</text>')
    for view, (colour, dash) in STYLES.items():
        series = sorted((p for p in points if p.view is view), key=lambda p: p.on)
        if not series:
            continue
        coords = " ".join(f"{x(p.on):.1f},{y(p.score):.1f}" for p in series)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}" points="{coords}"/>'
        )
        for p in series:
            parts.append(f'<circle cx="{x(p.on):.1f}" cy="{y(p.score):.1f}" r="4" fill="{colour}"/>')
        legend_y = PAD_TOP + 14 * list(STYLES).index(view)
        parts.append(
            f'<text x="{WIDTH - PAD_RIGHT}" y="{legend_y}" text-anchor="end" font-size="12" fill="{colour}">'
            f"{escape(view.label)}</text>"
        )
    parts.append("</svg>")
    # Safe: every value above is a number or a date formatted here; the only text from data is escaped.
    return Markup("".join(parts))  # nosec B704
