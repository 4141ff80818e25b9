"""A family's moves between levels of need, decided at a meeting whose kind records them (the weekly step up /
step down meeting): stepped up from early help to Children's Social Care, with the reason and the date referred,
or stepped down from social care to early help, with the lead practitioner allocated and the date of the handover
meeting. One place for what a move is, what it needs and how it reads."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from lehc.dates import format_plain_date, to_london
from lehc.models import AgendaItem, Decision, Discussion


class Direction(enum.StrEnum):
    UP = "up"
    DOWN = "down"

    @property
    def label(self) -> str:
        return {
            "up": "Stepped up to Children's Social Care",
            "down": "Stepped down to early help",
        }[self.value]


MOVES = {Decision.SOCIAL_CARE: Direction.UP, Decision.STEP_DOWN: Direction.DOWN}


@dataclass(frozen=True)
class Move:
    decided_on: date  # the meeting's day
    direction: Direction
    details: str  # "Referred on 1 December 2026. Reason: ..." or "Lead practitioner: ... Handover meeting: ..."
    meeting_id: int

    @property
    def text(self) -> str:
        """As the minutes and a subject access export say it."""
        return f"{self.direction.label}. {self.details}"


@dataclass(frozen=True)
class MoveDetails:
    """What a discussion's form says of a move; only the part its direction needs is kept (kept_for)."""

    referred_on: date | None = None
    reason: str = ""
    lead_id: int | None = None
    handover_on: date | None = None

    def kept_for(self, direction: Direction | None) -> MoveDetails:
        if direction is Direction.UP:
            return MoveDetails(referred_on=self.referred_on, reason=self.reason.strip())
        if direction is Direction.DOWN:
            return MoveDetails(lead_id=self.lead_id or None, handover_on=self.handover_on)
        return MoveDetails()


def direction_of(decision: Decision | None, records_moves: bool) -> Direction | None:
    """The move a decision makes at a meeting of a kind that records moves; at an LEHC a referral to social care is
    a decision like any other."""
    return MOVES.get(decision) if records_moves and decision is not None else None


def move_problems(
    decision: Decision | None,
    *,
    records_moves: bool,
    referred_on: date | None,
    reason: str,
    lead_id: int | None,
    handover_on: date | None,
    today: date,
    meeting_day: date,
) -> dict[str, str]:
    """What a move still needs, as {field name: message}: a step up its date referred (not in the future) and its
    reason; a step down the lead practitioner allocated and the date of the handover meeting (not before the
    meeting that decides it)."""
    direction = direction_of(decision, records_moves)
    problems: dict[str, str] = {}
    if direction is Direction.UP:
        if referred_on is None:
            problems["referred_on"] = "Enter the date the family was referred to Children's Social Care"
        elif referred_on > today:
            problems["referred_on"] = "Date referred must be today or in the past"
        if not reason.strip():
            problems["move_reason"] = "Enter why the family steps up to Children's Social Care"
    elif direction is Direction.DOWN:
        if not lead_id:
            problems["allocated_lead_id"] = "Choose the lead practitioner allocated"
        if handover_on is None:
            problems["handover_on"] = "Enter the date of the handover meeting"
        elif handover_on < meeting_day:
            problems["handover_on"] = "Handover meeting must be on or after the day of this meeting"
    return problems


def move_of(discussion: Discussion | None) -> Move | None:
    """The move a recorded discussion made, if any."""
    if discussion is None:
        return None
    meeting = discussion.item.meeting
    direction = direction_of(discussion.decision, meeting.kind.records_moves)
    if direction is None:
        return None
    if direction is Direction.UP:
        referred = format_plain_date(discussion.referred_on) if discussion.referred_on else "not recorded"
        details = f"Referred on {referred}. Reason: {discussion.move_reason or 'not recorded'}"
    else:
        lead = discussion.allocated_lead.name if discussion.allocated_lead else "not recorded"
        handover = format_plain_date(discussion.handover_on) if discussion.handover_on else "not recorded"
        details = f"Lead practitioner: {lead}. Handover meeting: {handover}"
    return Move(to_london(meeting.starts_at).date(), direction, details, meeting.id)


def timeline(items: list[AgendaItem]) -> list[Move]:
    """A family's moves across meetings, oldest first, from the discussions its reader may see."""
    moves = [move for item in items if (move := move_of(item.discussion)) is not None]
    return sorted(moves, key=lambda move: move.decided_on)
