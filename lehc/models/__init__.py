"""Typed SQLAlchemy models, one module per aggregate."""

from lehc.models.meetings import (
    AgendaItem,
    ClosureDate,
    DiscussionType,
    Frequency,
    ItemKind,
    Meeting,
    MeetingChange,
    MeetingResponse,
    MeetingSeries,
    MeetingStatus,
    ResponseKind,
    agenda_item_call_on,
)
from lehc.models.outbox import OutboxMessage, OutboxStatus
from lehc.models.people import Membership, MembershipKind, Role, User
from lehc.models.reference import Agency, AgencySector, Locality, Seat

__all__ = [
    "Agency",
    "AgendaItem",
    "AgencySector",
    "ClosureDate",
    "DiscussionType",
    "Frequency",
    "ItemKind",
    "Locality",
    "Meeting",
    "MeetingChange",
    "MeetingResponse",
    "MeetingSeries",
    "MeetingStatus",
    "Membership",
    "MembershipKind",
    "OutboxMessage",
    "OutboxStatus",
    "ResponseKind",
    "Role",
    "Seat",
    "User",
    "agenda_item_call_on",
]
