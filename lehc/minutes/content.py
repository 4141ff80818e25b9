"""The minutes as data: one builder feeds the screen, the Word export and the approved snapshot.

Redaction happens here and nowhere else: anonymous items carry the neutral label, and items a reader may not
see carry only their slot and reference.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from lehc.dates import format_date, format_datetime, format_time, to_london
from lehc.families.moves import move_of
from lehc.families.step_up import StepUpAnswer
from lehc.meetings.services import agenda_slots, call_on_members, core_members, invitees, meeting_core_members
from lehc.meetings.services.agency_checks import CheckRow, check_rows
from lehc.models import (
    MAPPING_FIELDS,
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MinutesVersion,
    ScoreView,
)
from lehc.redaction import is_anonymous, item_title

PRESENT, DEPUTY = AttendanceStatus.PRESENT.label, AttendanceStatus.DEPUTY.label  # as the rows say them


@dataclass
class ActionRow:
    description: str
    owner: str
    agency: str
    due: str
    status: str


@dataclass
class MappingEntry:
    column: str
    label: str
    text: str


@dataclass
class ItemMinutes:
    item_id: int
    slot: str
    heading: str
    reference: str = ""
    discussion_type: str = ""
    presenter: str = ""
    summary: str = ""
    mapping: list[MappingEntry] = field(default_factory=list)
    scores: list[tuple[str, int]] = field(default_factory=list)
    decision: str = ""
    decision_notes: str = ""
    step_up: str = ""  # the prompt a low or falling score raised, and the group's answer
    move: str = ""  # at a kind that records moves: "Stepped down to early help. Lead practitioner: ..."
    checks: list[CheckRow] = field(default_factory=list)  # agency checks asked before the meeting
    actions: list[ActionRow] = field(default_factory=list)
    anonymous: bool = False
    restricted: bool = False  # the reader may not see this item: slot and reference only


@dataclass
class AttendanceRow:
    name: str
    agency: str
    seat: str
    status: str


@dataclass
class Minutes:
    locality: str
    meeting_reference: str
    date: str
    time: str
    venue: str
    online: str
    status: str
    attendance: list[AttendanceRow]
    items: list[ItemMinutes]
    meeting_actions: list[ActionRow]
    notes: str
    declarations: str | None = ""  # of interest ("" from versions approved before they were recorded); None: not
    # for this reader (a member called on for some items reads neither these nor the other notes)
    meeting_name: str = ""  # "Durham LEHC" ("" in versions approved before meetings had kinds: all were LEHCs)
    # The kind's document titles, after the locality: "Locality Early Help Conversation: minutes" (and "" in
    # versions approved before kinds had them: all were LEHCs)
    agenda_title: str = ""
    minutes_title: str = ""
    forum: bool = False  # an area's forum: attendance also counted by organisation

    @property
    def organisations(self) -> list[tuple[str, int]]:
        """How many came from each organisation (present, or a deputy sent), most first: a forum's reach."""
        counts = Counter(
            row.agency or "Organisation not recorded"
            for row in self.attendance
            if row.status == PRESENT or row.status.startswith(DEPUTY)
        )
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))

    @property
    def name(self) -> str:
        return self.meeting_name or f"{self.locality} LEHC"

    @property
    def agenda_heading(self) -> str:
        return f"{self.locality} {self.agenda_title or 'Locality Early Help Conversation: agenda'}"

    @property
    def minutes_heading(self) -> str:
        return f"{self.locality} {self.minutes_title or 'Locality Early Help Conversation: minutes'}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Minutes:
        data = json.loads(text)
        data["attendance"] = [AttendanceRow(**row) for row in data["attendance"]]
        data["meeting_actions"] = [ActionRow(**row) for row in data["meeting_actions"]]
        items = []
        for item in data["items"]:
            item["mapping"] = [MappingEntry(**entry) for entry in item["mapping"]]
            item["actions"] = [ActionRow(**row) for row in item["actions"]]
            item["checks"] = [CheckRow(**row) for row in item.get("checks", [])]  # absent before agency checks
            item["scores"] = [tuple(score) for score in item["scores"]]
            items.append(ItemMinutes(**item))
        data["items"] = items
        return cls(**data)

    def restricted_to(self, may_see: Callable[[int], bool], *, whole_meeting: bool) -> Minutes:
        """A copy holding only the items (and their actions) that `may_see(item_id)` allows, and the other notes and
        declarations only for a reader of the whole meeting (not a member called on for some items)."""
        items = [
            item if (item.restricted or not item.reference or may_see(item.item_id)) else _restricted(item)
            for item in self.items
        ]
        texts = (
            {"notes": self.notes, "declarations": self.declarations}
            if whole_meeting
            else {"notes": "", "declarations": None}
        )
        return Minutes(**{**asdict_shallow(self), "items": items, **texts})


def asdict_shallow(minutes: Minutes) -> dict:
    return {name: getattr(minutes, name) for name in minutes.__dataclass_fields__}


def _restricted(item: ItemMinutes) -> ItemMinutes:
    return ItemMinutes(
        item_id=item.item_id,
        slot=item.slot,
        heading=f"{item.reference}: not shared with you",
        reference=item.reference,
        restricted=True,
    )


def action_row(action: Action) -> ActionRow:
    return ActionRow(
        description=action.description,
        owner=action.owner.name if action.owner else "",
        agency=action.owner_agency.name
        if action.owner_agency
        else (action.owner.agency.name if action.owner and action.owner.agency else ""),
        due=format_date(action.due_on),
        status=action.status.label,
    )


def attendance_rows(meeting: Meeting, recorded: list[Attendance]) -> list[AttendanceRow]:
    """Each invitee's attendance as recorded, then a forum's guests (present, by organisation)."""
    by_user = {row.user_id: row for row in recorded}
    members = core_members(meeting.locality) + call_on_members(meeting.locality)
    if meeting.area_id is not None:  # the other localities of the forum's area
        members += meeting_core_members(meeting)
    seats = {m.user_id: m.seat.name for m in members if m.seat is not None}
    rows = []
    for invitee in invitees(meeting):
        user = invitee.user
        row = by_user.get(user.id)
        status = row.status.label if row else "Not recorded"
        if row is not None and row.deputy_name:
            status += f": {row.deputy_name}"
        rows.append(AttendanceRow(user.name, user.agency.name if user.agency else "", seats.get(user.id, ""), status))
    for guest in meeting.guests if meeting.area_id is not None else ():  # only a forum has guests
        rows.append(AttendanceRow(guest.name or "Name not recorded", guest.organisation, "Guest", PRESENT))
    return rows


def _item_minutes(item: AgendaItem, slot_text: str) -> ItemMinutes:
    if not item.is_discussion:  # a standing item, or a forum's presentation with its presenter
        kind = "Presentation" if item.is_presentation else ""
        return ItemMinutes(
            item_id=item.id, slot=slot_text, heading=item.title, discussion_type=kind, presenter=item.presented_by
        )
    anonymous = is_anonymous(item)
    discussion = item.discussion
    entry = ItemMinutes(
        item_id=item.id,
        slot=slot_text,
        heading=f"{item.reference}: {item_title(item)}",
        reference=item.reference,
        discussion_type="Anonymous consultation" if anonymous else item.discussion_type.label,
        presenter=item.presenter.name if item.presenter else "",
        summary=item.family.summary if item.family and not anonymous else "",  # the record stays out of it
        anonymous=anonymous,
        checks=check_rows(item),
    )
    if discussion is not None:
        entry.mapping = [
            MappingEntry(column, label, getattr(discussion, name)) for name, column, label in MAPPING_FIELDS
        ]
        in_order = sorted(discussion.scores, key=lambda score: list(ScoreView).index(score.view))  # family first
        entry.scores = [(score.view.label, score.score) for score in in_order]
        entry.decision = discussion.decision.label if discussion.decision else ""
        move = move_of(discussion)
        entry.move = move.text if move else ""
        if discussion.review_on:
            entry.decision += f" on {format_date(discussion.review_on)}"
        entry.decision_notes = discussion.decision_notes
        if discussion.step_up_prompt:
            answer = StepUpAnswer(discussion.step_up_answer).label if discussion.step_up_answer else "not recorded"
            reason = f" ({discussion.step_up_reason})" if discussion.step_up_reason else ""
            entry.step_up = f"{discussion.step_up_prompt}. Decision on stepping up: {answer}{reason}"
        entry.actions = [action_row(action) for action in discussion.actions]
    return entry


def build_minutes(
    meeting: Meeting, attendance: list[Attendance], meeting_actions: list[Action], approved: MinutesVersion | None
) -> Minutes:
    """The full minutes from the live records (before any per-reader restriction)."""
    local_start = to_london(meeting.starts_at)
    if approved is not None:
        when = format_datetime(approved.approved_at)
        status = f"Approved by {approved.approved_by.name} on {when} (version {approved.number})"
    else:
        status = "Draft: not yet approved by the chair"
    return Minutes(
        locality=meeting.place,  # an area's, for the forum
        meeting_name=meeting.name,
        agenda_title=meeting.kind.agenda_title,
        minutes_title=meeting.kind.minutes_title,
        forum=meeting.area_id is not None,
        meeting_reference=meeting.reference,
        date=format_date(local_start),
        time=f"{format_time(meeting.starts_at)} to {format_time(meeting.ends_at)}",
        venue=meeting.venue,
        online="Yes" if meeting.online_link else "",
        status=status,
        attendance=attendance_rows(meeting, attendance),
        items=[
            _item_minutes(slot.item, f"{format_time(slot.starts_at)} to {format_time(slot.ends_at)}")
            for slot in agenda_slots(meeting)
        ],
        meeting_actions=[action_row(action) for action in meeting_actions],
        notes=meeting.minutes_notes,
        declarations=meeting.declarations,
    )
