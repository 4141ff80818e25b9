"""The chair's preparation view: for each discussion, what the group will need and whether it is ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lehc.consent import consent_for_meeting
from lehc.dates import to_london
from lehc.families.services import open_actions, previous_discussion
from lehc.meetings.services import Slot, agenda_slots, response_of
from lehc.meetings.services.agency_checks import completeness
from lehc.models import Action, AgendaItem, Consent, Discussion, DiscussionType, Meeting, ResponseKind, ScoreView
from lehc.policy import checkable
from lehc.redaction import is_anonymous


@dataclass
class Check:
    label: str
    done: bool
    fix_endpoint: str = ""  # where to put it right
    fix_args: dict = field(default_factory=dict)


@dataclass
class ItemPreparation:
    slot: Slot
    consent: Consent | None
    anonymous: bool
    previous: Discussion | None
    previous_group_score: int | None
    actions: list[Action]
    overdue: int
    checks: list[Check]

    @property
    def ready(self) -> bool:
        return all(check.done for check in self.checks)


def checklist(item: AgendaItem, consent: Consent | None) -> list[Check]:
    meeting = item.meeting
    presenter_reply = response_of(meeting, item.presenter) if item.presenter else None
    call_on_replies = [response_of(meeting, user) for user in item.call_on_members]
    return [
        Check(
            "Summary written",
            bool(item.family and item.family.summary.strip()),
            "families.edit_family",
            {"family_id": item.family_id},
        ),
        Check(
            "Consent valid on the meeting day, or the item is anonymous",
            consent is not None or item.discussion_type is DiscussionType.ANONYMOUS,  # else shown anonymously anyway
            "families.record_consent",
            {"family_id": item.family_id},
        ),
        Check(
            "Presenter confirmed",
            presenter_reply is not None and presenter_reply.response is ResponseKind.ACCEPTED,
            "meetings.edit_item",
            {"meeting_id": meeting.id, "item_id": item.id},
        ),
        Check(
            "Call-on members invited and accepted",
            all(reply is not None and reply.response is ResponseKind.ACCEPTED for reply in call_on_replies),
            "meetings.edit_item",
            {"meeting_id": meeting.id, "item_id": item.id},
        ),
        _agency_check(item),
        Check(
            "Agenda published, so invitations have gone out",
            meeting.is_published,
            "meetings.view_meeting",
            {"meeting_id": meeting.id},
        ),
    ]


def _agency_check(item: AgendaItem) -> Check:
    fix = ("meetings.agency_checks_page", {"meeting_id": item.meeting_id})
    if not checkable(item):
        return Check("Agency checks not needed: anonymous, or consent does not cover sharing", True, *fix)
    counts = completeness(item)
    if not counts.asked:
        return Check("Agency checks answered (asked when the agenda is published)", False, *fix)
    return Check(f"Agency checks answered ({counts.answered} of {counts.asked})", counts.complete, *fix)


def prepare(meeting: Meeting, today: date) -> list[ItemPreparation]:
    meeting_day = to_london(meeting.starts_at).date()
    prepared = []
    for slot in agenda_slots(meeting):
        item = slot.item
        if not item.is_discussion or item.family is None:
            continue
        consent = consent_for_meeting(item.family, meeting_day, today)
        anonymous = is_anonymous(item, today)
        previous = previous_discussion(item)
        actions = open_actions(item.family)
        prepared.append(
            ItemPreparation(
                slot=slot,
                consent=consent,
                anonymous=anonymous,
                previous=previous,
                previous_group_score=previous.score_of(ScoreView.GROUP) if previous else None,
                actions=actions,
                overdue=sum(1 for action in actions if action.due_on < today),
                checks=checklist(item, consent),
            )
        )
    return prepared
