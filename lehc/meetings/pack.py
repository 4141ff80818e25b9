"""The meeting pack: the agenda with, for each item the reader is entitled to, the family's summary, consent, last
mapping, open actions and agency checks; for the others only the slot and reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lehc import policy
from lehc.families.services import open_actions, previous_discussion
from lehc.meetings.services import Slot, agenda_slots
from lehc.meetings.services.agency_checks import CheckRow, check_rows
from lehc.models import Action, Consent, Discussion, Meeting, User
from lehc.redaction import is_anonymous, item_consent, item_title


@dataclass(frozen=True)
class PackEntry:
    slot: Slot
    title: str
    entitled: bool  # the item's content (policy.can_see_item)
    identified: bool  # and the family's details with it (policy.can_view_item_family)
    anonymous: bool
    consent: Consent | None
    previous: Discussion | None
    actions: list[Action]
    checks: list[CheckRow]


def pack_entries(reader: User, meeting: Meeting, today: date, window_days: int) -> list[PackEntry]:
    entries = []
    for slot in agenda_slots(meeting):
        item = slot.item
        entitled = item.is_discussion and policy.can_see_item(reader, item, today, window_days)
        identified = item.is_discussion and policy.can_view_item_family(reader, item, today, window_days)
        entries.append(
            PackEntry(
                slot=slot,
                title=item_title(item, today) if (entitled or not item.is_discussion) else "",
                entitled=entitled,
                identified=identified,
                anonymous=item.is_discussion and is_anonymous(item, today),
                consent=item_consent(item, today) if identified else None,
                previous=previous_discussion(item) if identified else None,
                actions=open_actions(item.family) if identified else [],
                checks=check_rows(item) if identified else [],
            )
        )
    return entries
