"""Small-count suppression for exports, as in official statistics.

Counts from 1 to 4 are replaced by "[c]" (the GSS symbol for confidential). Where a breakdown would have a
single suppressed cell, the next smallest non-zero cell is suppressed too, so it cannot be worked out from a
total; a figure derived from a suppressed base (a percentage, a median) is suppressed with it.
"""

from __future__ import annotations

from collections.abc import Iterable

SUPPRESSED = "[c]"
THRESHOLD = 5


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def count(value: int) -> str:
    return SUPPRESSED if is_small(value) else str(value)


def derived(value: float | int | None, base: int) -> str:
    """A percentage or median computed from `base` records: shown only when the base itself may be."""
    if value is None:
        return ""
    if is_small(base):
        return SUPPRESSED
    return f"{value:g}"


def breakdown(counts: dict[str, int], also_hidden: Iterable[str] = ()) -> dict[str, str]:
    """Primary and secondary suppression across the categories of one measure (`also_hidden`: categories another
    table's suppression needs hidden here)."""
    hidden = {name for name, value in counts.items() if is_small(value)} | set(also_hidden)
    if len(hidden) == 1:
        others = sorted((value, name) for name, value in counts.items() if value > 0 and name not in hidden)
        if others:
            hidden.add(others[0][1])
    return {name: SUPPRESSED if name in hidden else str(value) for name, value in counts.items()}


Cell = tuple[str, str]  # (row, column)


def grid(cells: dict[Cell, int], columns: Iterable[str]) -> tuple[dict[Cell, str], set[str]]:
    """Suppression for a table whose rows have no totals but whose column totals are published elsewhere: small
    cells are hidden; in a column with a single hidden cell the next smallest non-zero cell is hidden too, or, when
    there is none, the column's total must be (its name is returned for whoever publishes it)."""
    hidden = {cell for cell, value in cells.items() if is_small(value)}
    totals_hidden = set()
    for column in columns:
        in_column = [(value, cell) for cell, value in cells.items() if cell[1] == column]
        if sum(1 for _, cell in in_column if cell in hidden) != 1:
            continue
        others = sorted((value, cell) for value, cell in in_column if value > 0 and cell not in hidden)
        if others:
            hidden.add(others[0][1])
        else:
            totals_hidden.add(column)
    return {cell: SUPPRESSED if cell in hidden else str(value) for cell, value in cells.items()}, totals_hidden
