"""A plain-English letter to the family after a discussion, drafted from the mapping and the actions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lehc import word
from lehc.dates import format_date
from lehc.models import AgendaItem

# Professional words a family should not have to decode, and what to say instead.
JARGON = {
    r"\bLEHC\b": "the meeting",
    r"\bLocality Early Help Conversations?\b": "the meeting",
    r"\bTAF\b": "a small team of the people working with you",
    r"\bTeam Around the Family\b": "a small team of the people working with you",
    r"\bIFS\b": "more intensive support for your family",
    r"\bIntensive Family Support\b": "more intensive support for your family",
    r"\bCSC\b": "children's social care",
    r"\bEHA\b": "an early help assessment",
    r"\bSEND\b": "special educational needs",
    r"\bCAMHS\b": "the children and young people's mental health service",
    r"\bDSL\b": "the school's safeguarding lead",
    r"\bstep(?:ping)? up\b": "getting more support",
    r"\blead practitioner\b": "key worker",
    r"\bsignpost(?:ing|ed)?\b": "pointing you to",
    r"\bmulti-agency\b": "from different services",
    r"\bSigns of (?:Safety|Wellbeing)\b": "our way of talking things through",
}


def plain_english(text: str) -> str:
    for pattern, replacement in JARGON.items():
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


def jargon_in(text: str) -> list[str]:
    """The professional terms found in the text, as written there."""
    found = (re.search(pattern, text, flags=re.IGNORECASE) for pattern in JARGON)
    return [match.group(0) for match in found if match]


@dataclass
class LetterDraft:
    talked_about: str
    working_well: str
    next_steps: str
    contact: str


def draft(item: AgendaItem) -> LetterDraft:
    """Only this item's discussion and actions: nothing from any other family discussed at the meeting."""
    discussion = item.discussion
    meeting_day = format_date(item.meeting.starts_at)
    worries = discussion.worries if discussion else ""
    strengths = " ".join(filter(None, [discussion.strengths, discussion.existing_wellbeing])) if discussion else ""
    steps = [discussion.next_steps] if discussion and discussion.next_steps else []
    for action in discussion.actions if discussion else []:
        who = action.owner.name if action.owner else (action.owner_agency.name if action.owner_agency else "")
        steps.append(f"{action.description} ({who}, by {format_date(action.due_on)})")
    lead = item.family.lead_practitioner or item.family.presenter
    agency = f" at {lead.agency.name}" if lead.agency else ""
    return LetterDraft(
        talked_about=plain_english(
            f"On {meeting_day} some of the people who work with your family met to talk about how to help. "
            f"We talked about: {worries.rstrip('. ') or 'how things are going for your family'}."
        ),
        working_well=plain_english(strengths or "You are working with us to make things better."),
        next_steps=plain_english("\n".join(steps) or "We will be in touch to agree the next steps with you."),
        contact=plain_english(f"If you have any questions, please contact {lead.name}{agency}."),
    )


def letter_document(letter: LetterDraft, reference: str) -> bytes:
    letter = word.cleaned(letter)
    document = word.new_document(f"Letter to the family – {reference}", subject="What happens next")
    word.heading(document, "What happens next", 1)
    for heading, text in (
        ("What we talked about", letter.talked_about),
        ("What is working well", letter.working_well),
        ("What will happen next", letter.next_steps),
        ("Who to contact", letter.contact),
    ):
        word.heading(document, heading, 2)
        for line in text.splitlines() or [""]:
            document.add_paragraph(line)
    return word.to_bytes(document)
