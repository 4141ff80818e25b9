"""Series arithmetic: which dates a pattern gives, which of them clash, and where a clash moves to.

Pure functions on dates; nothing here touches the database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import holidays
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from lehc.dates import LONDON
from lehc.models import Frequency

MAX_OCCURRENCES = 60


class ClashChoice(enum.StrEnum):
    MOVE = "move"
    DROP = "drop"


@dataclass(frozen=True)
class SeriesPattern:
    frequency: Frequency
    weekday: int  # Monday = 0
    first_date: date
    until_date: date | None = None
    occurrences: int | None = None
    week_of_month: int | None = None  # monthly: 1-4, or -1 for the last such weekday


@dataclass(frozen=True)
class PlannedDate:
    original: date
    clash: str | None  # why the original date cannot be used, e.g. "Christmas Day (bank holiday)"
    resolved: date | None  # the date the meeting will be on; None when dropped

    @property
    def moved(self) -> bool:
        return self.resolved is not None and self.resolved != self.original


def pattern_dates(pattern: SeriesPattern) -> list[date]:
    """Every date the pattern gives, from the first date (inclusive), capped at MAX_OCCURRENCES."""
    if pattern.until_date is None and pattern.occurrences is None:
        raise ValueError("a series needs an end date or a number of meetings")
    if pattern.frequency is Frequency.MONTHLY:
        by_day = weekday(pattern.weekday, pattern.week_of_month or 1)
        rule_kwargs = {"freq": MONTHLY, "interval": 1, "byweekday": by_day}
    else:
        interval = 2 if pattern.frequency is Frequency.FORTNIGHTLY else 1
        rule_kwargs = {"freq": WEEKLY, "interval": interval, "byweekday": pattern.weekday}
    first = pattern.first_date
    if pattern.frequency is not Frequency.MONTHLY:
        # rrule counts fortnights from the week of dtstart; start on the first matching day so that is week one
        first += timedelta(days=(pattern.weekday - first.weekday()) % 7)
    start = datetime.combine(first, time.min)
    if pattern.until_date is not None:
        rule = rrule(dtstart=start, until=datetime.combine(pattern.until_date, time.max), **rule_kwargs)
    else:
        rule = rrule(dtstart=start, count=pattern.occurrences, **rule_kwargs)
    return [moment.date() for moment, _ in zip(rule, range(MAX_OCCURRENCES), strict=False)]


def bank_holidays(years: Iterable[int]) -> dict[date, str]:
    """England's bank holidays (offline, from the holidays package), substitute days included."""
    return {
        day: f"{name} (bank holiday)"
        for day, name in holidays.country_holidays("GB", subdiv="ENG", years=years).items()
    }


def blocked_days(dates: Iterable[date], closures: dict[date, str]) -> dict[date, str]:
    """Days a meeting cannot be on: bank holidays for the years involved (and the next, for moves) and closures."""
    dates = list(dates)
    if not dates:
        return dict(closures)
    years = range(min(dates).year, max(dates).year + 2)
    return {**bank_holidays(years), **{day: f"Closure: {reason}" for day, reason in closures.items()}}


def next_working_day(day: date, blocked: dict[date, str]) -> date:
    candidate = day + timedelta(days=1)
    while candidate.weekday() >= 5 or candidate in blocked:
        candidate += timedelta(days=1)
    return candidate


def plan_dates(dates: Iterable[date], blocked: dict[date, str], choice: ClashChoice) -> list[PlannedDate]:
    """Flag each date that falls on a blocked day and move it to the next working day or drop it."""
    planned = []
    for day in dates:
        clash = blocked.get(day)
        if clash is None:
            planned.append(PlannedDate(day, None, day))
        else:
            planned.append(
                PlannedDate(day, clash, next_working_day(day, blocked) if choice is ClashChoice.MOVE else None)
            )
    return planned


def local_to_utc(day: date, at: time) -> datetime:
    """A Europe/London wall-clock time on a day, as an aware UTC datetime (09:30 is 09:30 in GMT and in BST)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)
