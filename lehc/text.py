"""How text from people is made safe to keep, show and export: one place for the rule.

Free text (notes, summaries, descriptions) keeps its line breaks (as line feeds) and tabs; a vertical tab or form
feed (what a pasted Word line or page break becomes) turns into a line break and every other control character is
dropped, because XML (Word files), PostgreSQL (NUL) and people cannot use them. A single-line value (a name,
title, venue, link or subject) holds no line break of any kind: forms refuse one, and text already stored is
flattened to one line wherever it goes into a header (e-mail subjects, calendar properties).
"""

from __future__ import annotations

import re

_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n", "\r": "\n"})
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Everything str.splitlines() breaks on (e-mail headers refuse these), every other C0 control, DEL and the C1 block.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BREAK_RUN = re.compile(r" *[\x00-\x1f\x7f-\x9f\u2028\u2029][\x00-\x20\x7f-\x9f\u2028\u2029]*")


def clean_text(text: str) -> str:
    """Free text as it is kept and exported: every line ending (CR LF, CR), vertical tab and form feed becomes a
    line feed; other control characters go (tab and line feed stay)."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").translate(_LINE_BREAKS))


def is_one_line(text: str) -> bool:
    """Whether a single-line value is free of line breaks and control characters (a tab included)."""
    return _NOT_ONE_LINE.search(text) is None


def one_line(text: str) -> str:
    """A value for a header or a calendar property: each run of line breaks and control characters becomes one
    space, so whatever is stored cannot add a header line or break the file."""
    return text if is_one_line(text) else _BREAK_RUN.sub(" ", text).strip()


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching the text anywhere, its own % and _ taken literally (use it with a backslash as
    the escape character)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
