"""The action tracker as a Word document, written with the Word toolkit (lehc.word)."""

from __future__ import annotations

from lehc.word import cleaned, new_document, table, to_bytes


def tracker_document(title: str, groups: list[tuple[str, list[dict]]]) -> bytes:
    """The action tracker, landscape, grouped (by locality or owner)."""
    groups = cleaned(groups)
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
