"""The Word toolkit every document is written with (python-docx): a new document with real styles (Heading 1/2,
Table Grid), the OFFICIAL-SENSITIVE marking and page numbers in every header and footer, portrait or landscape;
tables whose heading row repeats; content cleaned of characters Word cannot hold; bytes to download. Each area
builds its own content (minutes.documents, actions.documents, families.letter, families.subject_access)."""

from __future__ import annotations

import dataclasses
import html
import io
import re
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

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


def heading(document: Document, text: str, level: int) -> Paragraph:
    """A Heading 1–3 paragraph, as document.add_heading writes it. The style is set by its id: python-docx's
    style setter, given a name, reads every style of the template to see whether it is the default, which was a
    third of the time a set of minutes took to write."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = f"Heading{level}"
    return paragraph


# Documents are written as WordprocessingML built here and parsed once per paragraph or table: python-docx's
# object model builds the same XML an element at a time, keeping each in schema order, at several times the cost.
Run = tuple[str, bool]  # text, bold
Cell = str | list[list[Run]]  # a table cell: plain text, or paragraphs of runs (a label in bold, then its text)
_BREAKS = re.compile(r"([\t\n\r])")


def _runs_xml(runs: Iterable[Run], size: Pt | None = None) -> str:
    """Runs as Word writes them: a tab as w:tab and a line break as w:br (as python-docx's Run.text does)."""
    size_xml = f'<w:sz w:val="{round(size.pt * 2)}"/>' if size is not None else ""
    written = []
    for text, bold in runs:
        properties = ("<w:b/>" if bold else "") + size_xml
        parts = []
        for piece in _BREAKS.split(text):
            if piece == "\t":
                parts.append("<w:tab/>")
            elif piece in ("\n", "\r"):
                parts.append("<w:br/>")
            elif piece:
                parts.append(f'<w:t xml:space="preserve">{html.escape(piece, quote=False)}</w:t>')
        run_properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
        written.append(f"<w:r>{run_properties}{''.join(parts)}</w:r>")
    return "".join(written)


def add_paragraph(document: Document, runs: Iterable[Run]) -> None:
    """A Normal paragraph of runs, some bold: "Reference: " in bold, then the reference."""
    document.element.body._insert_p(parse_xml(f"<w:p {nsdecls('w')}>{_runs_xml(runs)}</w:p>"))


def _usable_width(document: Document) -> int:
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _cell_xml(value: Cell, width: int, size: Pt | None, *, bold: bool = False) -> str:
    paragraphs = value if isinstance(value, list) else [[(str(value), bold)]]
    body = "".join(f"<w:p>{_runs_xml(runs, size)}</w:p>" for runs in paragraphs) or "<w:p/>"  # a cell holds a p
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{body}</w:tc>'


def table(
    document: Document,
    headings: list[str],
    rows: Iterable[Iterable[Cell]],
    *,
    weights: list[float],
    size: Pt | None = None,
) -> Table:
    """A Table Grid table across the page whose columns share its width by `weights` (what they hold: a date is
    narrow, a description wide), set in the grid and in every cell so Word, LibreOffice and Google Docs agree;
    a heading row in bold that repeats on every page, and rows that never split across pages (w:cantSplit);
    `size` for smaller text in a dense table. Put a heading or a paragraph between two tables: side by side,
    Word draws them as one."""
    total = _usable_width(document)
    widths = [int(total * weight / sum(weights)) // 635 for weight in weights]  # EMU to twentieths of a point

    def row(values: Iterable[Cell], properties: str, *, bold: bool = False) -> str:
        cells = [_cell_xml(value, width, size, bold=bold) for value, width in zip(values, widths, strict=True)]
        return f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(cells)}</w:tr>"

    keep, repeat = '<w:cantSplit w:val="true"/>', '<w:tblHeader w:val="true"/>'
    look = 'w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"'
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    body = "".join(row(values, keep) for values in rows)
    xml = (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblLook {look}/></w:tblPr>'  # fixed: these widths, not the longest word's
        f"<w:tblGrid>{grid}</w:tblGrid>{row(headings, keep + repeat, bold=True)}{body}</w:tbl>"
    )
    element = parse_xml(xml)
    document.element.body._insert_tbl(element)
    return Table(element, document._body)


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
