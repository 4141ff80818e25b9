"""Calendars come out byte for byte as icalendar writes them, without icalendar folding lines too short to fold."""

import cProfile
import pstats
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar, Event

from lehc.meetings.calendar import FOLD_AT, to_ical


def calendar_of(*texts: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Durham County Council//LEHC//EN")
    calendar.add("version", "2.0")
    for number, text in enumerate(texts):
        event = Event()
        event.add("uid", f"meeting-{number}@lehc.example")
        event.add("dtstart", datetime(2026, 12, 2, 9, 30, tzinfo=UTC) + timedelta(days=number))
        event.add("summary", text)
        event.add("description", text)
        calendar.add_component(event)
    return calendar


# lines either side of the fold, escapes (\, ; , and new lines) where a fold could split them, several-byte
# characters (Welsh, an emoji) across it, and a description of many lines
TEXTS = [
    "LEHC",
    "x" * (FOLD_AT - len("SUMMARY:") - 2),
    "x" * (FOLD_AT - len("SUMMARY:") - 1),
    "x" * (FOLD_AT - len("SUMMARY:")),
    "x" * (FOLD_AT - len("SUMMARY:") + 1),
    "x" * (FOLD_AT - len("SUMMARY:") - 2) + "\\" + "y" * 80,
    "a; b, c\\d " * 30,
    "Ysgol Gynradd Llanfair – ŵ ŷ " * 8,
    "North Durham 🙂 " * 10,
    "Agenda and responses in LEHC: https://lehc.example/meetings/1\nOFFICIAL-SENSITIVE: details are in LEHC only.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_each_kind_of_line_comes_out_as_icalendar_writes_it(text):
    calendar = calendar_of(text)
    assert to_ical(calendar) == calendar.to_ical()


def test_a_whole_calendar_comes_out_the_same_and_reads_back():
    calendar = calendar_of(*TEXTS)
    written = to_ical(calendar)
    assert written == calendar.to_ical()
    assert [str(event["summary"]) for event in Calendar.from_ical(written).walk("VEVENT")] == TEXTS
    assert all(len(line) <= FOLD_AT for line in written.split(b"\r\n"))


def test_short_lines_cost_dozens_of_calls_fewer_each():
    calendar = calendar_of(*(f"Meeting {number}" for number in range(25)))

    def calls(write) -> int:
        profile = cProfile.Profile()
        profile.enable()
        write()
        profile.disable()
        return pstats.Stats(profile).total_calls

    lines = len(calendar.content_lines())
    assert calls(calendar.to_ical) - calls(lambda: to_ical(calendar)) > 40 * lines  # icalendar 7.3: about 60 each
