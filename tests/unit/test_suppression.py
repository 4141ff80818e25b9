from lehc.insight import suppression


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_not():
    assert [suppression.count(n) for n in (0, 1, 4, 5, 120)] == ["0", "[c]", "[c]", "5", "120"]


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it():
    assert suppression.breakdown({"New": 10, "Review": 3, "Anonymous": 7}) == {
        "New": "10",
        "Review": "[c]",
        "Anonymous": "[c]",  # else Review could be worked out from the total of discussions
    }
    assert suppression.breakdown({"Education": 2, "Health": 1, "Other": 9}) == {
        "Education": "[c]",
        "Health": "[c]",
        "Other": "9",
    }
    assert suppression.breakdown({"Advice": 12, "Review": 0, "Step up": 6}) == {
        "Advice": "12",
        "Review": "0",
        "Step up": "6",
    }


def test_a_figure_from_a_small_base_is_hidden_with_it():
    assert suppression.derived(50, 4) == "[c]"
    assert suppression.derived(37.5, 8) == "37.5"
    assert suppression.derived(None, 0) == ""
