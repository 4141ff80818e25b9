"""LibreOffice (headless) and poppler: prove a Word file opens, and keep a picture of its first page."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support.external import require, require_program

# The fonts our Word files name (Arial; Calibri in python-docx's theme), and the metric-compatible fonts that
# make LibreOffice lay pages out as Word does (`make system-deps` installs them).
WORD_FONTS = {"Arial": "Liberation Sans", "Calibri": "Carlito"}

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


@dataclass(frozen=True)
class PdfText:
    """The words of a PDF rendered by LibreOffice. Where a line wraps depends on the fonts installed, and text
    read back from a table interleaves the lines of neighbouring cells, so phrases are compared as words: the
    document's own XML (python-docx) is where content is checked in order."""

    text: str

    @property
    def words(self) -> set[str]:
        return set(re.findall(r"[\w'’-]+", self.text.casefold()))

    def has_words(self, phrase: str) -> bool:
        """Every word of the phrase is on the pages, wherever the lines wrapped."""
        return set(PdfText(phrase).words) <= self.words

    def has_none_of(self, phrase: str) -> bool:
        """No word of the phrase is on the pages (for names that must not appear, even split across lines)."""
        return not (PdfText(phrase).words & self.words)


def require_word_fonts() -> None:
    fc_match = require_program("fc-match")
    for font, compatible in WORD_FONTS.items():
        found = subprocess.run([fc_match, "-f", "%{family}", font], check=True, capture_output=True, text=True).stdout
        require(compatible in found, f"{compatible}, metric-compatible with {font} (fonts for LibreOffice renders)")


@dataclass(frozen=True)
class Rendering:
    """A Word file as LibreOffice lays it out: the words of each page, and the page size pdfinfo reports (e.g.
    '595.304 x 841.89 pts (A4)')."""

    pages: list[PdfText]
    page_size: str

    @property
    def text(self) -> PdfText:
        return PdfText("\n".join(page.text for page in self.pages))

    def page_holding(self, phrase: str) -> int | None:
        """The first page (from 1) holding every word of the phrase, or None: a table row found on no single page
        was split across two."""
        return next((number for number, page in enumerate(self.pages, start=1) if page.has_words(phrase)), None)


def render(docx: bytes, name: str, workdir: Path) -> Rendering:
    """Convert with LibreOffice (the fonts the documents name, metric-compatible, are required) and save page 1
    as a PNG in test-artifacts/documents/ to be looked at."""
    soffice = require_program("soffice")
    require_program("pdftotext")
    require_word_fonts()
    source = workdir / f"{name}.docx"
    source.write_bytes(docx)
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = workdir / f"{name}.pdf"
    assert pdf.exists(), "LibreOffice did not produce a PDF"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    pages = text.split("\f")[: int(fields["Pages"])]  # pdftotext ends each page with a form feed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACTS / name)],
        check=True,
        capture_output=True,
    )
    return Rendering([PdfText(page) for page in pages], fields["Page size"].strip())


def docx_to_pdf(docx: bytes, name: str, workdir: Path) -> tuple[PdfText, int]:
    """Convert with LibreOffice; return the PDF's words and page count; save page 1 as a PNG."""
    rendering = render(docx, name, workdir)
    return rendering.text, len(rendering.pages)
