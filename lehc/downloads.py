"""Files people download: one way to name and send them (never cached, a file name that cannot break the header)."""

from __future__ import annotations

import re

from flask import Response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def slug(text: str) -> str:
    """A part of a file name: lower-case letters, digits and hyphens, whatever the text held."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _safe_name(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    parts = stem.split(".") if dot else [name]
    return ".".join(re.sub(r"[^A-Za-z0-9_-]+", "-", part).strip("-") for part in parts) + (
        f".{slug(extension)}" if dot else ""
    )


def attachment(body: bytes | str, name: str, *, mimetype: str | None = None, content_type: str | None = None):
    """A download: Content-Disposition attachment with a plain file name, and no-store (OFFICIAL-SENSITIVE)."""
    response = Response(body, mimetype=mimetype, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{_safe_name(name)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
