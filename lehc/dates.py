"""Dates and times: stored as aware UTC, shown in Europe/London the GOV.UK way."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def to_london(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite hands back naive values; we only ever store UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def format_time(moment: datetime) -> str:
    """9:30am, 12pm, 2:05pm (GOV.UK style guide)."""
    local = to_london(moment)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def format_date(value: date | datetime) -> str:
    """Tuesday 3 March 2026."""
    if isinstance(value, datetime):
        value = to_london(value).date()
    return f"{value:%A} {value.day} {value:%B %Y}"


def format_plain_date(value: date) -> str:
    """3 March 2026: a date that is not a day's plan (a date of birth), without its weekday."""
    return f"{value.day} {value:%B %Y}"


def format_short_date(value: date | datetime) -> str:
    """3 Mar 2026: for table columns where the full date would wrap."""
    if isinstance(value, datetime):
        value = to_london(value).date()
    return f"{value.day} {value:%b %Y}"


def format_datetime(moment: datetime) -> str:
    """Tuesday 3 March 2026, 9:30am."""
    return f"{format_date(moment)}, {format_time(moment)}"


def next_midnight(moment: datetime) -> datetime:
    """The first midnight after `moment`, in London or in this server's own time zone, whichever comes first:
    when what "today" means changes for anything that compares dates."""
    midnights = []
    for local in (to_london(moment), to_london(moment).astimezone()):
        midnights.append(datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo))
    return min(midnights)
