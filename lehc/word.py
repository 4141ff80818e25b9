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
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Row

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


A4 = (Mm(210), Mm(297))
MARGIN = Cm(2)
FONT = "Arial"  # Windows has it; Liberation Sans is its metric twin where the tests render with LibreOffice
HEADING_SIZES = {1: Pt(16), 2: Pt(13), 3: Pt(11)}


def _name_font(style, name: str) -> None:
    """Name the font for every script, so Word does not fall back to the theme's for some characters."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):  # a theme font wins over a name
        fonts.attrib.pop(qn(theme), None)


def new_document(title: str, *, subject: str, landscape: bool = False) -> Document:
    """An A4 document (landscape for wide tables) with 2 cm margins, Arial throughout, Heading 1–3 for the
    navigation pane and a table of contents, the marking and page numbers in its header and footer, and
    properties that name the service, never a person or a family."""
    document = Document()
    properties = document.core_properties
    properties.title, properties.subject = title, subject
    properties.author = properties.last_modified_by = "LEHC"
    properties.keywords = MARKING
    properties.comments = ""
    normal = document.styles["Normal"]
    _name_font(normal, FONT)
    normal.font.size = Pt(11)
    for level, size in HEADING_SIZES.items():
        heading = document.styles[f"Heading {level}"]
        _name_font(heading, FONT)
        heading.font.size = size
        heading.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        heading.paragraph_format.keep_with_next = True
    section = document.sections[0]
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    _mark_section(section)
    return document


# The elements that follow w:tblW in a table's properties, and w:cantSplit in a row's (ECMA-376 order).
_AFTER_TABLE_WIDTH = (
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")


def _usable_width(document: Document) -> int:
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _keep_row_together(row) -> None:
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert_element_before(keep, *_AFTER_CANT_SPLIT)  # Word reads children in order


def _size_cells(row, widths: list[int]) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width


def table(
    document: Document,
    headings: list[str],
    rows: Iterable[Iterable[str]],
    *,
    weights: list[float],
    size: Pt | None = None,
) -> Table:
    """A Table Grid table across the page whose columns share its width by `weights` (what they hold: a date is
    narrow, a description wide), set in the grid and in every cell so Word, LibreOffice and Google Docs agree;
    a heading row that repeats on every page, and rows that never split across pages; `size` for smaller text
    in a dense table. Put a heading or a paragraph between two tables: side by side, Word draws them as one."""
    total = _usable_width(document)
    widths = [int(total * weight / sum(weights)) for weight in weights]
    result = document.add_table(rows=1, cols=len(headings))
    result.style = document.styles["Table Grid"]
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    result.autofit = False  # a fixed layout: the widths below, not whatever the longest word suggests
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(sum(widths) // 635))  # EMU to twentieths of a point
    table_width.set(qn("w:type"), "dxa")
    result._tbl.tblPr.insert_element_before(table_width, *_AFTER_TABLE_WIDTH)
    for column, width in zip(result.columns, widths, strict=True):
        column.width = width
    header_row = result.rows[0]
    _keep_row_together(header_row)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    _size_cells(header_row, widths)
    for cell, heading in zip(header_row.cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for values in rows:
        cells = add_row(result).cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    if size is not None:
        for row in result.rows:
            for cell in row.cells:
                for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
                    run.font.size = size
    return result


def add_row(into: Table) -> _Row:
    """A row that keeps to one page, its cells as wide as the table's columns."""
    row = into.add_row()
    _keep_row_together(row)
    _size_cells(row, [column.width for column in into.columns])
    return row


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
