"""The action tracker as a Word document, written with the Word toolkit (lehc.word)."""

from __future__ import annotations

from docx.shared import Pt

from lehc.word import cleaned, heading, new_document, table, to_bytes

# (heading, row key, share of the landscape width in millimetres): the action wide, dates and references narrow
COLUMNS = [
    ("Action", "description", 67),
    ("Family", "family", 33),
    ("Meeting", "meeting_on", 26),
    ("Owner", "owner", 29),
    ("Agency", "agency", 44),
    ("Due", "due_short", 26),
    ("Status", "status", 26),
]


def tracker_document(title: str, groups: list[tuple[str, list[dict]]], *, group_by: str) -> bytes:
    """The action tracker, landscape and dense (one line an action where it fits), grouped by locality or owner
    (grouped by owner, the owner's column gives its width to the agency's); families by reference only, meetings
    and due dates short so the action has the width."""
    groups = cleaned(groups)
    columns = COLUMNS
    if group_by == "owner":  # the group names the owner: their column's width goes to the agency's
        owner_width = next(weight for _, key, weight in COLUMNS if key == "owner")
        columns = [
            (heading, key, weight + owner_width if key == "agency" else weight)
            for heading, key, weight in COLUMNS
            if key != "owner"
        ]
    document = new_document(title, subject="Locality Early Help Conversation: action tracker", landscape=True)
    heading(document, title, 1)
    for group, rows in groups:
        heading(document, f"{group} ({len(rows)})", 2)
        table(
            document,
            [name for name, _, _ in columns],
            [[row[key] for _, key, _ in columns] for row in rows],
            weights=[weight for _, _, weight in columns],
            size=Pt(9),
        )
    return to_bytes(document)
