"""How a family is shown when it may not be named: the one place that writes the neutral label and decides
whether an agenda item is held by name."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from lehc.consent import consent_for_meeting
from lehc.dates import to_london
from lehc.models import AgendaItem, Consent, DiscussionType, Family


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
    return to_london(item.meeting.starts_at).date()


def item_consent(item: AgendaItem, today: date | None = None) -> Consent | None:
    """The consent under which the item's family is named at its meeting, as things stand today (None for an
    anonymous consultation, a family without consent on the meeting date, or one that has withdrawn it)."""
    if item.family is None or item.discussion_type is DiscussionType.ANONYMOUS:
        return None
    return consent_for_meeting(item.family, item_date(item), today or date.today())


def is_anonymous(item: AgendaItem, today: date | None = None) -> bool:
    """An item is anonymous when brought as such, when the family had no valid consent on the meeting date, or
    when that consent has since been withdrawn: from then on every surface treats the family as anonymous."""
    if item.discussion_type is DiscussionType.ANONYMOUS:
        return True
    return item.family is not None and item_consent(item, today) is None


def item_title(item: AgendaItem, today: date | None = None) -> str:
    """What an agenda item is called on screens and in exports: its focus, or the neutral label if anonymous."""
    if item.is_discussion and is_anonymous(item, today):
        return anonymous_label(item.family, item_date(item))
    return item.title
