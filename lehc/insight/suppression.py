"""Small-count suppression for exports, as in official statistics.

Counts from 1 to 4 are replaced by "[c]" (the GSS symbol for confidential). Where a breakdown would have a
single suppressed cell, the next smallest non-zero cell is suppressed too, so it cannot be worked out from a
total; a figure derived from a suppressed base (a percentage, a median) is suppressed with it.
"""

from __future__ import annotations

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


def breakdown(counts: dict[str, int]) -> dict[str, str]:
    """Primary and secondary suppression across the categories of one measure."""
    hidden = {name for name, value in counts.items() if is_small(value)}
    if len(hidden) == 1:
        others = sorted((value, name) for name, value in counts.items() if value > 0 and name not in hidden)
        if others:
            hidden.add(others[0][1])
    return {name: SUPPRESSED if name in hidden else str(value) for name, value in counts.items()}
