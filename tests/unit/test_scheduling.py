from datetime import UTC, date, datetime, time, timedelta

import pytest

from lehc.dates import format_time
from lehc.demo.records import demo_series_dates
from lehc.meetings.scheduling import (
    ClashChoice,
    SeriesPattern,
    blocked_days,
    local_to_utc,
    next_working_day,
    pattern_dates,
    plan_dates,
)
from lehc.models import Frequency

TUESDAY, MONDAY, FRIDAY, THURSDAY = 1, 0, 4, 3


def test_fortnightly_series_starts_on_the_first_matching_weekday_and_skips_a_week():
    pattern = SeriesPattern(Frequency.FORTNIGHTLY, TUESDAY, first_date=date(2026, 10, 1), occurrences=4)
    assert pattern_dates(pattern) == [date(2026, 10, 6), date(2026, 10, 20), date(2026, 11, 3), date(2026, 11, 17)]


def test_weekly_series_ends_on_the_until_date_inclusive():
    pattern = SeriesPattern(Frequency.WEEKLY, MONDAY, first_date=date(2026, 12, 7), until_date=date(2026, 12, 28))
    assert pattern_dates(pattern) == [date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)]


def test_monthly_on_the_second_tuesday():
    pattern = SeriesPattern(Frequency.MONTHLY, TUESDAY, first_date=date(2026, 1, 1), occurrences=3, week_of_month=2)
    assert pattern_dates(pattern) == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10)]


def test_monthly_on_the_last_friday():
    pattern = SeriesPattern(Frequency.MONTHLY, FRIDAY, first_date=date(2026, 1, 1), occurrences=3, week_of_month=-1)
    assert pattern_dates(pattern) == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]


def test_a_series_without_an_end_is_refused_and_a_long_one_is_capped():
    with pytest.raises(ValueError):
        pattern_dates(SeriesPattern(Frequency.WEEKLY, MONDAY, first_date=date(2026, 1, 1)))
    long = SeriesPattern(Frequency.WEEKLY, MONDAY, first_date=date(2026, 1, 1), occurrences=500)
    assert len(pattern_dates(long)) == 60


def test_christmas_and_boxing_day_clashes_move_to_the_next_working_day():
    # 2026: Christmas Day is a Friday, Boxing Day a Saturday, so Monday 28 December is the substitute holiday
    pattern = SeriesPattern(Frequency.WEEKLY, FRIDAY, first_date=date(2026, 12, 18), occurrences=3)
    dates = pattern_dates(pattern)
    planned = plan_dates(dates, blocked_days(dates, {}), ClashChoice.MOVE)
    assert [(p.original, p.clash, p.resolved) for p in planned] == [
        (date(2026, 12, 18), None, date(2026, 12, 18)),
        (date(2026, 12, 25), "Christmas Day (bank holiday)", date(2026, 12, 29)),
        (date(2027, 1, 1), "New Year's Day (bank holiday)", date(2027, 1, 4)),
    ]


def test_easter_clashes_can_be_dropped_instead():
    # Good Friday 3 April 2026 and Easter Monday 6 April 2026
    dates = [date(2026, 4, 3), date(2026, 4, 6), date(2026, 4, 7)]
    planned = plan_dates(dates, blocked_days(dates, {}), ClashChoice.DROP)
    assert [(p.clash, p.resolved) for p in planned] == [
        ("Good Friday (bank holiday)", None),
        ("Easter Monday (bank holiday)", None),
        (None, date(2026, 4, 7)),
    ]


def test_a_locality_closure_is_a_clash_and_a_move_skips_other_closures():
    blocked = blocked_days(
        [date(2026, 11, 10)], {date(2026, 11, 10): "Team training", date(2026, 11, 11): "Office move"}
    )
    planned = plan_dates([date(2026, 11, 10)], blocked, ClashChoice.MOVE)
    assert planned[0].clash == "Closure: Team training"
    assert planned[0].resolved == date(2026, 11, 12)
    assert planned[0].moved


def test_next_working_day_skips_the_weekend_and_bank_holidays():
    blocked = blocked_days([date(2026, 5, 1)], {})
    assert next_working_day(date(2026, 5, 1), blocked) == date(2026, 5, 5)  # Early May bank holiday is Monday 4 May


@pytest.mark.parametrize(
    "day, expected_utc",
    [
        (date(2026, 10, 20), datetime(2026, 10, 20, 8, 30, tzinfo=UTC)),  # BST, before the October change
        (date(2026, 11, 3), datetime(2026, 11, 3, 9, 30, tzinfo=UTC)),  # GMT, after it
        (date(2027, 3, 23), datetime(2027, 3, 23, 9, 30, tzinfo=UTC)),  # GMT, before the March change
        (date(2027, 4, 6), datetime(2027, 4, 6, 8, 30, tzinfo=UTC)),  # BST, after it
    ],
)
def test_half_past_nine_is_half_past_nine_on_both_sides_of_the_clock_changes(day, expected_utc):
    moment = local_to_utc(day, time(9, 30))
    assert moment == expected_utc
    assert format_time(moment) == "9:30am"


def test_a_fortnightly_series_across_the_october_change_keeps_its_local_time():
    pattern = SeriesPattern(Frequency.FORTNIGHTLY, TUESDAY, first_date=date(2026, 10, 6), occurrences=3)
    moments = [local_to_utc(day, time(9, 30)) for day in pattern_dates(pattern)]
    assert [m.hour for m in moments] == [8, 8, 9]  # 25 Oct 2026 is the change
    assert {format_time(m) for m in moments} == {"9:30am"}


@pytest.mark.parametrize("today", [date(2026, 11, 30) + timedelta(days=offset) for offset in range(14)])
def test_the_demo_series_never_meets_today_so_its_next_meeting_has_always_still_to_start(today):
    # 30 November 2026, a Monday, was a meeting day for Teesdale; at 10:17 its "next meeting" had started
    for weekday in range(5):
        pattern, planned = demo_series_dates(today, weekday)
        days = [plan.resolved for plan in planned if plan.resolved]
        assert today not in days
        assert len([day for day in days if day < today]) == 5  # five held meetings to look back on
        assert min(day for day in days if day > today) <= today + timedelta(weeks=2)
        assert pattern.first_date >= today - timedelta(weeks=10)


@pytest.mark.parametrize("today", [date(2026, 11, 30) + timedelta(days=offset) for offset in range(21)])
def test_a_demo_forum_is_a_weekday_of_the_term_and_never_today(today):
    from lehc.demo.records import demo_forum_day
    from lehc.meetings.scheduling import bank_holidays

    starts, ends = date(2026, 9, 3), date(2026, 12, 18)
    days = [demo_forum_day(starts, ends, today, index) for index in range(3)]
    holidays = bank_holidays(range(2026, 2028))
    assert all(starts <= day <= ends and day.weekday() < 5 and day not in holidays and day != today for day in days)
    assert len(set(days)) == 3  # the areas' forums are on different days
