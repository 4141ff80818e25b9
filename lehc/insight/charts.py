"""Horizontal bar charts as server-rendered SVG: no JavaScript, no external assets, a table beside each."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, VALUE_WIDTH, LABEL_HEIGHT, BAR_HEIGHT, GAP = 400, 48, 18, 14, 10
COLOUR, TEXT = "#1d70b8", "#0b0c0c"


def bar_chart(title: str, rows: list[tuple[str, float]], *, chart_id: str, unit: str = "") -> Markup:
    """One bar per (label, value), the label above its bar so long names are never cut; the longest bar fills
    the width. `title` names the chart for screen readers, who are pointed to the table."""
    if not rows:
        return Markup("")
    row_height = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = len(rows) * row_height
    plot = WIDTH - VALUE_WIDTH
    biggest = max(value for _, value in rows) or 1
    parts = [
        f'<svg class="lehc-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title" '
        f'xmlns="http://www.w3.org/2000/svg" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}; the table gives the figures</title>',
    ]
    for index, (label, value) in enumerate(rows):
        top = index * row_height
        bar_top = top + LABEL_HEIGHT
        width = max(plot * value / biggest, 1 if value else 0)
        parts.append(f'<text x="0" y="{top + 13}" font-size="14" fill="{TEXT}">{escape(label)}</text>')
        parts.append(f'<rect x="0" y="{bar_top}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
        shown = escape(f"{value:g}{unit}")
        parts.append(f'<text x="{width + 6:.1f}" y="{bar_top + 12}" font-size="14" fill="{TEXT}">{shown}</text>')
    parts.append("</svg>")
    # Safe: numbers are formatted here and every label is escaped.
    return Markup("".join(parts))  # nosec B704
