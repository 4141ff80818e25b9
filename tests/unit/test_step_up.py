import pytest

from lehc.families.step_up import step_up_reason


@pytest.mark.parametrize(
    "score, previous, expected",
    [
        (2, None, "The group's score is 2, at or below 2"),
        (0, 1, "The group's score is 0, at or below 2"),
        (3, None, None),
        (5, 8, "The group's score fell from 8 to 5"),
        (6, 8, None),
        (7, 3, None),
        (None, 9, None),
    ],
)
def test_the_step_up_prompt_fires_on_a_low_score_or_a_drop_of_three(score, previous, expected):
    assert step_up_reason(score, previous, threshold=2) == expected


def test_the_threshold_is_configurable():
    assert step_up_reason(4, None, threshold=4) == "The group's score is 4, at or below 4"
    assert step_up_reason(4, None, threshold=3) is None
