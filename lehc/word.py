"""The Word toolkit every document is written with (python-docx): a new document with real styles (Heading 1/2,
Table Grid), the OFFICIAL-SENSITIVE marking and page numbers in every header and footer, portrait or landscape;
tables whose heading row repeats; content cleaned of characters Word cannot hold; bytes to download. Each area
builds its own content (minutes.documents, actions.documents, families.letter, families.subject_access)."""

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
