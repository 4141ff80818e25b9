"""Word documents with python-docx: real styles (Heading 1/2, Table Grid), the OFFICIAL-SENSITIVE marking in
every header and footer, and page numbers, so they navigate, print and survive being forwarded."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from lehc.minutes.content import ActionRow, ItemMinutes, Minutes
from lehc.text import clean_text

MARKING = "OFFICIAL-SENSITIVE"


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when the page is laid out."""
    run = paragraph.add_run()
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.extend([begin, text, end])


def _mark_section(section) -> None:
    header = section.header.paragraphs[0]
    header.text = MARKING
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{MARKING} · Page ").bold = False
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def new_document(title: str, *, landscape: bool = False) -> Document:
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "LEHC"
    document.core_properties.keywords = MARKING
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(2)
    _mark_section(section)
    return document


def table(document: Document, headings: list[str], rows: Iterable[Iterable[str]], widths: list[float] | None = None):
    """A Table Grid table whose heading row repeats on every page."""
    result = document.add_table(rows=1, cols=len(headings))
    result.style = document.styles["Table Grid"]
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row = result.rows[0]
    row_properties = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row_properties.append(repeat)
    for cell, heading in zip(header_row.cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for values in rows:
        cells = result.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    if widths:
        for row in result.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return result


def cleaned(value: Any) -> Any:
    """A copy of the content (dataclasses, dicts, lists and tuples of strings) with every string cleaned, so a
    document can be written from anything already stored, approved minutes included."""
    if isinstance(value, str):
        return clean_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(cleaned(item) for item in value)
    return value


def to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
    minutes, call_on = cleaned(minutes), cleaned(call_on)
    """The agenda: slots, items (restricted ones by reference only) and who is called on for each."""
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


def tracker_document(title: str, groups: list[tuple[str, list[dict]]]) -> bytes:
    groups = cleaned(groups)
    """The action tracker, landscape, grouped (by locality or owner)."""
    document = new_document(title, landscape=True)
    document.add_heading(title, level=1)
    for group, rows in groups:
        document.add_heading(f"{group} ({len(rows)})", level=2)
        table(
            document,
            ["Action", "Family / meeting", "Owner", "Agency", "Due", "Status"],
            [(r["description"], r["context"], r["owner"], r["agency"], r["due"], r["status"]) for r in rows],
            widths=[9, 4, 3.5, 4, 2.5, 2.5],
        )
    return to_bytes(document)
