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


def test_a_grid_hides_a_second_cell_in_a_column_whose_total_is_published_or_else_the_total():
    cells = {("February", "up"): 3, ("February", "down"): 0, ("March", "up"): 6, ("March", "down"): 7}
    shown, totals_hidden = suppression.grid(cells, ["up", "down"])
    # with the total of step ups (9) published as a decision, March's 6 must go too or February's 3 follows
    assert shown == {
        ("February", "up"): "[c]",
        ("February", "down"): "0",
        ("March", "up"): "[c]",
        ("March", "down"): "7",
    }
    assert totals_hidden == set()
    shown, totals_hidden = suppression.grid({("February", "up"): 2, ("February", "down"): 8}, ["up", "down"])
    assert shown == {("February", "up"): "[c]", ("February", "down"): "8"}
    assert totals_hidden == {"up"}  # nothing else to hide in its column: the published total must be hidden


def test_no_hidden_move_follows_from_the_decisions_or_the_handover_count():
    from datetime import date

    from lehc.insight.export import rows
    from lehc.insight.figures import Insight, MonthMoves, Moves, Period

    insight = Insight(scope="Durham", period=Period(date(2025, 1, 1), date(2025, 6, 30)), kind_name="Step")
    insight.decisions = {"Referral to Children's Social Care": 3, "Step down to early help with a lead practitioner": 9}
    insight.moves = Moves(
        by_month=[MonthMoves(date(2025, 2, 1), "Durham", 3, 2), MonthMoves(date(2025, 3, 1), "Durham", 0, 7)],
        handovers=9,
        median_days_to_handover=8,
    )
    values = {(row[3], row[4]): row[5] for row in rows(insight)}
    assert values[("Moves in February 2025, Durham", "Stepped up")] == "[c]"
    assert values[("Decisions", "Referral to Children's Social Care")] == "[c]"  # it would say February's 3
    assert values[("Moves in February 2025, Durham", "Stepped down")] == "[c]"
    assert values[("Moves in March 2025, Durham", "Stepped down")] == "[c]"  # else February's 2 = 9 - 7
    assert values[("Step downs with a handover meeting date", "")] == "9"
    assert values[("Median days from step-down decision to handover meeting", "")] == "8"
    assert all(row[6] == "Step" for row in rows(insight))  # the kind of meeting, in the last column
