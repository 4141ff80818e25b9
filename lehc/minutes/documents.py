"""The minutes and the agenda as Word documents, written with the Word toolkit (lehc.word) from the minutes
content the reader may see (minutes.content, cut down by policy before it gets here)."""

from __future__ import annotations

from docx.document import Document

from lehc.minutes.content import ActionRow, ItemMinutes, Minutes
from lehc.word import cleaned, new_document, table, to_bytes


def _actions_table(document: Document, actions: list[ActionRow]) -> None:
    table(
        document,
        ["Action", "Owner", "Agency", "Due"],
        [(a.description, a.owner, a.agency, a.due) for a in actions],
        widths=[8, 3.5, 3.5, 2.5],
    )


COLUMNS = ["What are we worried about?", "What's working well?", "What needs to happen?"]


def _mapping_table(document: Document, item: ItemMinutes) -> None:
    """The Signs of Wellbeing mapping as three columns, each category labelled."""
    mapping = table(document, COLUMNS, [])
    cells = mapping.add_row().cells
    for cell, column in zip(cells, COLUMNS, strict=True):
        cell.text = ""
        entries = [e for e in item.mapping if e.column == column and e.text]
        for index, entry in enumerate(entries):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.add_run(f"{entry.label}: ").bold = True
            paragraph.add_run(entry.text)


def _item_section(document: Document, item: ItemMinutes) -> None:
    document.add_heading(f"{item.slot}  {item.heading}", level=2)
    if item.restricted or not item.reference:
        return
    facts = document.add_paragraph()
    facts.add_run("Type: ").bold = True
    facts.add_run(item.discussion_type)
    facts.add_run("\nPresented by: ").bold = True
    facts.add_run(item.presenter)
    if item.summary:
        document.add_paragraph(item.summary)
    if item.checks:
        document.add_paragraph().add_run("Agency checks").bold = True
        table(
            document, ["Agency", "Answer", "Current involvement"], [(c.agency, c.answer, c.note) for c in item.checks]
        )
    if any(entry.text for entry in item.mapping):
        _mapping_table(document, item)
    if item.scores:
        document.add_paragraph("Scaling: " + "; ".join(f"{view} {score}" for view, score in item.scores))
    if item.step_up:
        step_up = document.add_paragraph()
        step_up.add_run("Stepping up: ").bold = True
        step_up.add_run(item.step_up)
    if item.decision:
        decision = document.add_paragraph()
        decision.add_run("Decision: ").bold = True
        decision.add_run(item.decision + (f". {item.decision_notes}" if item.decision_notes else ""))
    if item.actions:
        _actions_table(document, item.actions)


def minutes_document(minutes: Minutes) -> bytes:
    minutes = cleaned(minutes)
    document = new_document(f"LEHC minutes – {minutes.locality} – {minutes.date}")
    document.add_heading(f"{minutes.locality} Locality Early Help Conversation: minutes", level=1)
    details = document.add_paragraph()
    details.add_run(f"{minutes.date}, {minutes.time}").bold = True
    if minutes.venue:
        details.add_run(f"\nVenue: {minutes.venue}")
    if minutes.online:
        details.add_run("\nOnline joining link provided")
    details.add_run(f"\nMeeting reference: {minutes.meeting_reference}")
    details.add_run(f"\nStatus: {minutes.status}")

    document.add_heading("Attendance", level=2)
    table(
        document,
        ["Name", "Agency", "Seat", "Attendance"],
        [(row.name, row.agency, row.seat, row.status) for row in minutes.attendance],
        widths=[4.5, 5, 4, 4],
    )

    for item in minutes.items:
        _item_section(document, item)

    if minutes.meeting_actions:
        document.add_heading("Meeting actions", level=2)
        _actions_table(document, minutes.meeting_actions)
    if minutes.notes:
        document.add_heading("Other notes", level=2)
        document.add_paragraph(minutes.notes)
    document.add_paragraph().add_run(f"Minutes status: {minutes.status}").italic = True
    return to_bytes(document)


def agenda_document(minutes: Minutes, call_on: dict[int, list[str]]) -> bytes:
    """The agenda: slots, items (restricted ones by reference only) and who is called on for each."""
    minutes, call_on = cleaned(minutes), cleaned(call_on)
    document = new_document(f"LEHC agenda – {minutes.locality} – {minutes.date}")
    document.add_heading(f"{minutes.locality} Locality Early Help Conversation: agenda", level=1)
    details = document.add_paragraph()
    details.add_run(f"{minutes.date}, {minutes.time}").bold = True
    if minutes.venue:
        details.add_run(f"\nVenue: {minutes.venue}")
    rows = []
    for item in minutes.items:
        presenter = "" if item.restricted else item.presenter
        rows.append(
            (item.slot, item.heading, item.discussion_type, presenter, ", ".join(call_on.get(item.item_id, [])))
        )
    table(document, ["Time", "Item", "Type", "Presenter", "Called on"], rows, widths=[3, 6.5, 2.5, 3, 3])
    return to_bytes(document)
