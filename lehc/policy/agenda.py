"""What a reader may do with each item of an agenda, decided once for the whole agenda page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lehc.models import AgendaItem, User
from lehc.policy.families import can_record_discussion, can_write_family_letter
from lehc.policy.meetings import can_see_item


@dataclass(frozen=True)
class AgendaPermissions:
    """Ids of the items whose content the reader sees, whose discussion they record, and whose family letter they
    write."""

    visible: frozenset[int]
    recordable: frozenset[int]
    letters: frozenset[int]


def agenda_permissions(user: User, items: Iterable[AgendaItem], today: date, window_days: int) -> AgendaPermissions:
    items = list(items)
    return AgendaPermissions(
        visible=frozenset(item.id for item in items if can_see_item(user, item, today, window_days)),
        recordable=frozenset(item.id for item in items if can_record_discussion(user, item, today, window_days)),
        letters=frozenset(item.id for item in items if item.discussion and can_write_family_letter(user, item, today)),
    )
