"""The insight figures as CSV rows, with small counts suppressed."""

from __future__ import annotations

import csv
import io

from lehc.insight import suppression
from lehc.insight.figures import Insight, Moves

HEADER = ["Meeting", "Area", "From", "To", "Measure", "Category", "Value"]


def rows(insight: Insight) -> list[list[str]]:
    def row(measure: str, category: str, value: str) -> list[str]:
        return [
            insight.kind_name,
            insight.scope,
            insight.period.start.isoformat(),
            insight.period.end.isoformat(),
            measure,
            category,
            value,
        ]

    out = [row("Meetings held", "", suppression.count(insight.meetings_held))]
    out.append(row("Families discussed", "", suppression.count(insight.families_discussed)))
    for category, value in suppression.breakdown(insight.discussions).items():
        out.append(row("Discussions by type", category, value))
    for category, value in suppression.breakdown(insight.referrals).items():
        out.append(row("Families by referring agency", category, value))
    for category, value in suppression.breakdown(insight.decisions).items():
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
    if insight.moves is not None:
        out.extend(_moves(insight.moves, row))
    return out


def _moves(moves: Moves, row) -> list[list[str]]:
    """Step ups and step downs per locality and month (each pair suppressed as one breakdown; no totals, which with
    the shown months would give a hidden one away), and the days to the handover meeting."""
    out = []
    for line in moves.by_month:
        pair = suppression.breakdown({"Stepped up": line.up, "Stepped down": line.down})
        for category, value in pair.items():
            out.append(row(f"Moves in {line.month:%B %Y}, {line.locality}", category, value))
    out.append(row("Step downs with a handover meeting date", "", suppression.count(moves.handovers)))
    out.append(
        row(
            "Median days from step-down decision to handover meeting",
            "",
            suppression.derived(moves.median_days_to_handover, moves.handovers),
        )
    )
    return out


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
