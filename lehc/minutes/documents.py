"""The minutes and the agenda as Word documents, written with the Word toolkit (lehc.word) from the minutes
content the reader may see (minutes.content, cut down by policy before it gets here).

Minutes read as council minutes do: the meeting's details, who attended (present, deputies, apologies, absent)
and the declarations of interest before the items; each item's reference, type and presenter, then its agency
checks, mapping, scaling (the family's, the presenter's, the group's), decision and actions; the meeting's own
actions and notes; and the version and approval line last.
"""

from __future__ import annotations

from docx.document import Document
from docx.shared import Pt

from lehc.minutes.content import ActionRow, AttendanceRow, ItemMinutes, Minutes
from lehc.word import add_paragraph, cleaned, heading, new_document, table, to_bytes

SUBJECT = "Locality Early Help Conversation"
COLUMNS = ["What are we worried about?", "What's working well?", "What needs to happen?"]
SCORE_ORDER = ["The family", "Presenting practitioner", "The group"]  # the order the group asks them in
ATTENDANCE_GROUPS = ["Present", "Deputies", "Apologies", "Absent", "Not recorded"]


def _labelled(document: Document, *pairs: tuple[str, str]) -> None:
    """One paragraph of 'Label: value' lines."""
    runs = []
    for index, (label, value) in enumerate(pairs):
        runs += [(("\n" if index else "") + f"{label}: ", True), (value, False)]
    add_paragraph(document, runs)


def _attendance_group(row: AttendanceRow) -> str:
    return "Deputies" if row.status.startswith("Deputy") else row.status


def _attendance(document: Document, rows: list[AttendanceRow]) -> None:
    heading(document, "Attendance", 2)
    for group in ATTENDANCE_GROUPS:
        members = [row for row in rows if _attendance_group(row) == group]
        if not members:
            continue
        heading(document, f"{group} ({len(members)})", 3)
        if group == "Deputies":
            table(
                document,
                ["Member", "Agency", "Seat", "Deputy"],
                [(r.name, r.agency, r.seat, r.status.partition(": ")[2]) for r in members],
                weights=[3, 3.5, 3.5, 3],
            )
        else:
            table(
                document,
                ["Name", "Agency", "Seat"],
                [(r.name, r.agency, r.seat) for r in members],
                weights=[3, 4.5, 3.5],
            )


def _actions_table(document: Document, actions: list[ActionRow]) -> None:
    table(
        document,
        ["Action", "Owner", "Agency", "Due"],
        [(a.description, a.owner, a.agency, a.due) for a in actions],
        weights=[6, 3, 3.5, 3.4],
    )


def _mapping_table(document: Document, item: ItemMinutes) -> None:
    """The Signs of Wellbeing mapping as three columns, each category labelled."""
    cells = [
        [
            [(f"{entry.label}: ", True), (entry.text, False)]
            for entry in item.mapping
            if entry.column == column and entry.text
        ]
        for column in COLUMNS
    ]
    table(document, COLUMNS, [cells], weights=[1, 1, 1])


def _scores(item: ItemMinutes) -> str:
    """'The family 6; Presenting practitioner 4; The group 5', always in that order."""
    order = {label: index for index, label in enumerate(SCORE_ORDER)}
    ordered = sorted(item.scores, key=lambda score: order.get(score[0], len(order)))
    return "; ".join(f"{view} {score}" for view, score in ordered)


def _item_section(document: Document, item: ItemMinutes) -> None:
    heading(document, f"{item.slot}  {item.heading}", 2)
    if item.restricted or not item.reference:
        if item.presenter and not item.restricted:  # a forum's presentation
            _labelled(document, ("Type", item.discussion_type), ("Presented by", item.presenter))
        return
    _labelled(
        document,
        ("Reference", item.reference),
        ("Type", item.discussion_type),
        ("Presented by", item.presenter or "Not recorded"),
    )
    _family_section(document, item)


def _family_section(document: Document, item: ItemMinutes) -> None:
    """What a family's discussion recorded: summary, checks, mapping, scaling, decision, move and actions."""
    if item.summary:
        document.add_paragraph(item.summary)
    if item.checks:
        heading(document, "Agency checks", 3)
        table(
            document,
            ["Agency", "Answer", "Current involvement"],
            [(c.agency, c.answer, c.note) for c in item.checks],
            weights=[4, 2.5, 6],
        )
    if any(entry.text for entry in item.mapping):
        heading(document, "Signs of Wellbeing mapping", 3)
        _mapping_table(document, item)
    if item.scores:
        heading(document, "Scaling", 3)
        document.add_paragraph(_scores(item))
    if item.step_up:
        _labelled(document, ("Stepping up", item.step_up))
    if item.decision:
        _labelled(document, ("Decision", item.decision + (f". {item.decision_notes}" if item.decision_notes else "")))
    if item.move:
        _labelled(document, ("Move", item.move))
    if item.actions:
        heading(document, "Actions", 3)
        _actions_table(document, item.actions)


def _details(document: Document, minutes: Minutes, online_link: str = "") -> None:
    pairs = [("Date", minutes.date), ("Time", minutes.time)]
    if minutes.venue:
        pairs.append(("Venue", minutes.venue))
    if online_link:
        pairs.append(("Join online", online_link))
    elif minutes.online:
        pairs.append(("Online", "joining link sent with the invitation"))
    pairs.append(("Meeting reference", minutes.meeting_reference))
    _labelled(document, *pairs)


def minutes_document(minutes: Minutes, *, copy_for: str = "") -> bytes:
    """The minutes; `copy_for` names the agency a distribution copy is for, inside the document as well as in its
    file name."""
    minutes = cleaned(minutes)
    subject = f"{SUBJECT}: minutes" + (f", copy for {copy_for}" if copy_for else "")
    document = new_document(f"{minutes.name} minutes, {minutes.date}", subject=subject)
    heading(document, minutes.minutes_heading, 1)
    if copy_for:
        add_paragraph(document, [(f"Copy for {copy_for}: holds only the items shared with {copy_for}.", True)])
    _details(document, minutes)
    _labelled(document, ("Status", minutes.status))
    _attendance(document, minutes.attendance)
    if minutes.forum and minutes.organisations:
        heading(document, "Attendance by organisation", 2)
        table(document, ["Organisation", "People"], minutes.organisations, weights=[9, 2])
    if minutes.declarations is not None:
        heading(document, "Declarations of interest", 2)
        document.add_paragraph(minutes.declarations or "None recorded.")

    for item in minutes.items:
        _item_section(document, item)

    if minutes.meeting_actions:
        heading(document, "Meeting actions", 2)
        _actions_table(document, minutes.meeting_actions)
    if minutes.notes:
        heading(document, "Other notes", 2)
        document.add_paragraph(minutes.notes)
    document.add_paragraph().add_run(f"Minutes status: {minutes.status}").italic = True
    return to_bytes(document)


def agenda_document(minutes: Minutes, call_on: dict[int, list[str]], *, online_link: str = "") -> bytes:
    """The agenda: when and where (with the online joining link), then the slots, items (restricted ones by
    reference only) and who is called on for each."""
    minutes, call_on = cleaned(minutes), cleaned(call_on)
    document = new_document(f"{minutes.name} agenda, {minutes.date}", subject=f"{SUBJECT}: agenda")
    heading(document, minutes.agenda_heading, 1)
    _details(document, minutes, online_link)
    rows = []
    for item in minutes.items:
        presenter = "" if item.restricted else item.presenter
        rows.append(
            (item.slot, item.heading, item.discussion_type, presenter, ", ".join(call_on.get(item.item_id, [])))
        )
    # millimetres of the A4 width at 10pt: a slot on one line, a type's longest word whole, the item the rest
    table(document, ["Time", "Item", "Type", "Presenter", "Called on"], rows, weights=[40, 52, 25, 27, 26], size=Pt(10))
    return to_bytes(document)
