"""The scores chart: labels stay on the chart, and the three views are told apart without colour."""

import re
from datetime import date

from lehc.families.chart import ScorePoint, scores_svg
from lehc.models import ScoreView


def test_axis_labels_stay_inside_and_equal_scores_stay_visible():
    days = [date(2026, 9, 22), date(2026, 10, 20), date(2026, 11, 17)]
    points = [ScorePoint(day, view, 5) for day in days for view in ScoreView]  # all three lines on top of each other
    svg = str(scores_svg(points))
    labels = re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="(\w+)" font-size="12">(\d+ \w+ \d+)</text>', svg)
    assert [(anchor, text) for _, anchor, text in labels] == [
        ("start", "22 Sep 26"),
        ("middle", "20 Oct 26"),
        ("end", "17 Nov 26"),
    ]
    assert float(labels[-1][0]) <= 560 - 40  # its end at the last point, well inside the 560-wide chart
    lines = re.findall(r'<polyline fill="none" stroke="(#\w+)" stroke-width="(\d)" stroke-dasharray="([\d ]*)"', svg)
    assert [(width, dash) for _, width, dash in lines] == [("5", ""), ("3", "8 5"), ("2", "2 4")]  # widest first
    assert svg.count("<circle") == 4 and svg.count("<rect") == 4 and svg.count("<path") == 4  # 3 points + legend
    legend = re.findall(r'font-size="12">([A-Za-z ]+)</text>', svg)
    assert legend == [view.label for view in (ScoreView.GROUP, ScoreView.FAMILY, ScoreView.PRESENTER)]
