"""The insight figures as CSV rows, with small counts suppressed."""

from __future__ import annotations

import csv
import io

from lehc.families.moves import MOVES, Direction
from lehc.insight import suppression
from lehc.insight.figures import Insight, Moves

CATEGORIES = {Direction.UP: "Stepped up", Direction.DOWN: "Stepped down"}
MOVE_DECISIONS = {direction: decision for decision, direction in MOVES.items()}

# The kind of meeting last, so a spreadsheet that read the first six columns before there were kinds still does
HEADER = ["Area", "From", "To", "Measure", "Category", "Value", "Meeting"]


def rows(insight: Insight) -> list[list[str]]:
    def row(measure: str, category: str, value: str) -> list[str]:
        return [
            insight.scope,
            insight.period.start.isoformat(),
            insight.period.end.isoformat(),
            measure,
            category,
            value,
            insight.kind_name,
        ]

    if insight.forum is not None:
        return [row(measure, category, value) for measure, category, value in _forum(insight)]
    moves, totals_hidden = _moves(insight.moves) if insight.moves is not None else ([], set())

    out = [row("Meetings held", "", suppression.count(insight.meetings_held))]
    out.append(row("Families discussed", "", suppression.count(insight.families_discussed)))
    for category, value in suppression.breakdown(insight.discussions).items():
        out.append(row("Discussions by type", category, value))
    for category, value in suppression.breakdown(insight.referrals).items():
        out.append(row("Families by referring agency", category, value))
    # a move's decision counts are the moves' column totals: hidden when a month's count would follow from them
    also_hidden = {MOVE_DECISIONS[direction].label for direction in totals_hidden}
    for category, value in suppression.breakdown(insight.decisions, also_hidden).items():
        out.append(row("Decisions", category, value))
    out.append(row("Actions due", "", suppression.count(insight.actions_due)))
    out.append(row("Actions completed on time", "", suppression.count(insight.actions_on_time)))
    out.append(
        row("Actions completed on time", "Percent", suppression.derived(insight.on_time_percent, insight.actions_due))
    )
    out.append(row("Families first discussed", "", suppression.count(insight.families_first_discussed)))
    out.append(
        row(
            "Median days from request to first discussion",
            "",
            suppression.derived(insight.median_days_to_discussion, insight.families_first_discussed),
        )
    )
    change = insight.score_change
    out.append(row("Families with two or more group scores", "", suppression.count(change.families)))
    for category, value in suppression.breakdown(
        {"Improved": change.improved, "No change": change.same, "Worse": change.worse}
    ).items():
        out.append(row("Group score, first to latest discussion", category, value))
    out.append(
        row(
            "Group score, first to latest discussion",
            "Median change",
            suppression.derived(change.median_change, change.families),
        )
    )
    for line in insight.attendance:
        out.append(row("Core seat attendance (meetings attended)", line.agency, suppression.count(line.attended)))
    out.extend(row(measure, category, value) for measure, category, value in moves)
    return out


def _forum(insight: Insight) -> list[tuple[str, str, str]]:
    """The forums held and who came, by sector and by forum: professionals at meetings that discuss no family, so
    nothing is hidden as small."""
    forum = insight.forum
    out = [("Meetings held", "", str(insight.meetings_held)), ("People at the forums", "", str(forum.people))]
    out += [("People at the forums, by sector", sector, str(count)) for sector, count in forum.by_sector.items()]
    for line in forum.forums:
        measure = f"Forum of {line.day.isoformat()}, {line.area}"
        out += [(measure, "LEHC members", str(line.members)), (measure, "Others", str(line.guests))]
    return out


def _moves(moves: Moves) -> tuple[list[tuple[str, str, str]], set[Direction]]:
    """(measure, category, value) rows for the step ups and step downs per locality and month, and the days to the
    handover meeting; and the directions whose totals must be hidden elsewhere. Suppressed as a grid whose column
    totals are published as decisions (suppression.grid); no row totals, which would give a hidden cell away."""
    cells = {}
    for line in moves.by_month:
        row = f"Moves in {line.month:%B %Y}, {line.locality}"
        cells[(row, Direction.UP.value)], cells[(row, Direction.DOWN.value)] = line.up, line.down
    shown, hidden_totals = suppression.grid(cells, [direction.value for direction in Direction])
    out = [(measure, CATEGORIES[Direction(column)], value) for (measure, column), value in shown.items()]
    totals_hidden = {Direction(column) for column in hidden_totals}
    # every step down has its handover date, so their count is the step downs' total
    down_hidden = Direction.DOWN in totals_hidden or suppression.is_small(moves.handovers)
    handovers = suppression.SUPPRESSED if down_hidden else str(moves.handovers)
    median = suppression.derived(moves.median_days_to_handover, moves.handovers)
    if median and down_hidden:
        median = suppression.SUPPRESSED
    out.append(("Step downs with a handover meeting date", "", handovers))
    out.append(("Median days from step-down decision to handover meeting", "", median))
    return out, totals_hidden


def to_csv(insight: Insight) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(insight))
    writer.writerow([])
    writer.writerow(
        [f"{suppression.SUPPRESSED}: fewer than {suppression.THRESHOLD}, or hidden so it cannot be worked out"]
    )
    return buffer.getvalue()
