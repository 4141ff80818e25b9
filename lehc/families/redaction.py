"""How a family is shown when it may not be named: the one place that writes the neutral label."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from lehc.families.consent import consent_valid
from lehc.models import AgendaItem, DiscussionType, Family


def age_on(born: date, on: date) -> int:
    return relativedelta(on, born).years


def anonymous_label(family: Family | None, on: date) -> str:
    """'Family consulted anonymously; child aged 7' — ages only: no names, dates of birth, schools or address."""
    if family is None:
        return "Family consulted anonymously"
    ages = sorted(age_on(child.date_of_birth, on) for child in family.children if child.date_of_birth)
    if not ages:
        return "Family consulted anonymously"
    if len(ages) == 1:
        return f"Family consulted anonymously; child aged {ages[0]}"
    return f"Family consulted anonymously; children aged {', '.join(map(str, ages[:-1]))} and {ages[-1]}"


def item_date(item: AgendaItem) -> date:
    from lehc.dates import to_london

    return to_london(item.meeting.starts_at).date()


def is_anonymous(item: AgendaItem) -> bool:
    """An item is anonymous when brought as such, or when the family has no valid consent on the meeting date."""
    if item.discussion_type is DiscussionType.ANONYMOUS:
        return True
    return item.family is not None and not consent_valid(item.family, item_date(item))


def item_title(item: AgendaItem) -> str:
    """What an agenda item is called on screens and in exports: its focus, or the neutral label if anonymous."""
    if item.is_discussion and is_anonymous(item):
        return anonymous_label(item.family, item_date(item))
    return item.title
