"""A held Durham meeting for the minutes tests, and how they read a Word file's text."""

from datetime import date, timedelta

from docx import Document

from lehc.families import services as family_services
from lehc.models import Decision, ScoreView

NAMED_CHILD, ANON_CHILD = "Kayden Named", "Ava Quarrington"


def discuss(item, by, *, group: int, actions: list[str]):
    family_services.record_discussion(
        item,
        mapping={"worries": f"Worries about {item.reference}", "strengths": "Engaged family", "next_steps": "Plan"},
        scores={ScoreView.GROUP: group},
        decision=Decision.TAF,
        decision_notes="",
        review_on=None,
        new_actions=[
            {
                "description": text,
                "owner_id": by.id,
                "owner_agency_id": None,
                "due_on": date.today() + timedelta(days=7),
            }
            for text in actions
        ],
        by=by,
    )


def docx_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
