from datetime import UTC, date, datetime

from lehc.dates import format_date, format_datetime, format_time


def test_a_winter_meeting_is_shown_in_gmt():
    assert format_datetime(datetime(2026, 12, 1, 9, 30, tzinfo=UTC)) == "Tuesday 1 December 2026, 9:30am"


def test_a_summer_meeting_stored_in_utc_is_shown_in_bst():
    assert format_datetime(datetime(2026, 6, 2, 8, 30, tzinfo=UTC)) == "Tuesday 2 June 2026, 9:30am"


def test_naive_values_from_sqlite_are_read_as_utc():
    assert format_time(datetime(2026, 6, 2, 11, 0)) == "12pm"


def test_whole_hours_have_no_minutes_and_afternoons_are_pm():
    assert format_time(datetime(2026, 1, 5, 14, 0, tzinfo=UTC)) == "2pm"
    assert format_time(datetime(2026, 1, 5, 0, 5, tzinfo=UTC)) == "12:05am"


def test_dates_have_no_leading_zero():
    assert format_date(date(2026, 3, 3)) == "Tuesday 3 March 2026"
