"""When the group's score says a family may need more than early help, the group must say so, either way."""

from __future__ import annotations

import enum

DEFAULT_THRESHOLD = 2
DROP = 3


class StepUpAnswer(enum.StrEnum):
    INTENSIVE = "intensive"
    SOCIAL_CARE = "social_care"
    NOT_NEEDED = "not_needed"

    @property
    def label(self) -> str:
        return {
            "intensive": "Step up to Intensive Family Support",
            "social_care": "Refer to the Children's Social Care front door",
            "not_needed": "Not needed now (give the reason)",
        }[self.value]


def step_up_reason(group_score: int | None, previous_group_score: int | None, threshold: int) -> str | None:
    """Why the group must decide on stepping up, or None when the scores do not call for it."""
    if group_score is None:
        return None
    if group_score <= threshold:
        return f"The group's score is {group_score}, at or below {threshold}"
    if previous_group_score is not None and previous_group_score - group_score >= DROP:
        return f"The group's score fell from {previous_group_score} to {group_score}"
    return None
