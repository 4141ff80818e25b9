import time
from datetime import UTC, date, datetime

import pytest

from lehc.dates import format_date, format_datetime, format_time, next_midnight


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


@pytest.fixture
def server_zone(monkeypatch):
    """Run with the server's own time zone set to the given one (and back afterwards)."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def test_the_next_midnight_is_londons_or_the_servers_whichever_comes_first(server_zone):
    server_zone("UTC")
    assert next_midnight(datetime(2026, 11, 24, 10, 0, tzinfo=UTC)) == datetime(2026, 11, 25, tzinfo=UTC)
    # 11:30pm UTC in summer is already the next day in London: the server's midnight comes first
    assert next_midnight(datetime(2026, 7, 24, 23, 30, tzinfo=UTC)) == datetime(2026, 7, 25, tzinfo=UTC)
    # 10:30pm UTC in summer: London's midnight (11pm UTC) comes before the server's
    assert next_midnight(datetime(2026, 7, 24, 22, 30, tzinfo=UTC)) == datetime(2026, 7, 24, 23, tzinfo=UTC)
    server_zone("America/New_York")  # a server far from London: its own midnight can come first
    assert next_midnight(datetime(2026, 11, 24, 1, 0, tzinfo=UTC)) == datetime(2026, 11, 24, 5, tzinfo=UTC)
