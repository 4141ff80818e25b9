"""LibreOffice (headless) and poppler: prove a Word file opens, and keep a picture of its first page."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.external import require_program

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def docx_to_pdf(docx: bytes, name: str, workdir: Path) -> tuple[str, int]:
    """Convert with LibreOffice; return the PDF's text (whitespace folded) and page count; save page 1 as a PNG."""
    soffice = require_program("soffice")
    require_program("pdftotext")
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
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACTS / name)],
        check=True,
        capture_output=True,
    )
    return " ".join(text.split()), pages  # words in reading order; table cells wrap lines
