"""The chair's preparation view: for each discussion, what the group will need and whether it is ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lehc.consent import consent_for_meeting
from lehc.dates import to_london
from lehc.families.services import open_actions, previous_discussion
from lehc.meetings.services import Slot, agenda_slots, response_of
from lehc.meetings.services.agency_checks import Completeness, completeness
from lehc.models import Action, AgendaItem, Consent, Discussion, DiscussionType, Meeting, ResponseKind, ScoreView
from lehc.policy import checkable
from lehc.redaction import is_anonymous


@dataclass
class Check:
    """One line of an item's checklist: done; or to do, with where the chair puts it right; or, with no
    fix_endpoint, waiting on someone else (a reply the chair cannot give for them)."""

    label: str
    done: bool
    fix_endpoint: str = ""
    fix_args: dict = field(default_factory=dict)

    @property
    def waiting(self) -> bool:
        return not self.done and not self.fix_endpoint


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


def checklist(item: AgendaItem, consent: Consent | None, counts: Completeness | None = None) -> list[Check]:
    """The item's preparation, each line done or not; `counts` are its agency checks' when already counted
    (completeness_by_item), else they are counted from the item's checks."""
    meeting = item.meeting
    edit_item = ("meetings.edit_item", {"meeting_id": meeting.id, "item_id": item.id})
    checks = [
        Check(
            "Summary written",
            bool(item.family and item.family.summary.strip()),
            "families.edit_family",
            {"family_id": item.family_id},
        ),
        _consent_check(item, consent),
        _presenter_check(item, edit_item),
    ]
    if item.call_on_members:
        replies = [response_of(meeting, user) for user in item.call_on_members]
        accepted = sum(1 for reply in replies if reply is not None and reply.response is ResponseKind.ACCEPTED)
        if accepted == len(replies):
            checks.append(Check("Call-on members are coming", True))
        else:
            checks.append(Check(f"Waiting for call-on members to accept ({accepted} of {len(replies)})", False))
    checks.append(_agency_check(item, counts))
    checks.append(
        Check(
            "Agenda published, so invitations have gone out",
            meeting.is_published,
            "meetings.view_meeting",
            {"meeting_id": meeting.id},
        )
    )
    return checks


def _consent_check(item: AgendaItem, consent: Consent | None) -> Check:
    if item.discussion_type is DiscussionType.ANONYMOUS:
        return Check("Anonymous consultation: no consent needed", True)
    if consent is not None:
        return Check("Consent valid on the meeting day", True)
    fix = ("families.record_consent", {"family_id": item.family_id})
    return Check("Record consent, or the family is discussed anonymously", False, *fix)


def _presenter_check(item: AgendaItem, edit_item: tuple[str, dict]) -> Check:
    if item.presenter is None:
        return Check("Choose a presenter", False, *edit_item)
    name = item.presenter.name
    if not item.meeting.is_published:
        return Check(f"Presenter ({name}) is asked when the agenda is published", False)
    reply = response_of(item.meeting, item.presenter)
    if reply is not None and reply.response is ResponseKind.ACCEPTED:
        return Check(f"Presenter ({name}) is coming", True)
    return Check(f"Waiting for the presenter ({name}) to accept", False)


def _agency_check(item: AgendaItem, counts: Completeness | None) -> Check:
    if not checkable(item):
        return Check("Agency checks not needed: anonymous, or consent does not cover sharing", True)
    counts = counts if counts is not None else completeness(item)
    if not counts.asked:
        return Check("Agency checks are asked when the agenda is published", False)
    fix = ("meetings.agency_checks_page", {"meeting_id": item.meeting_id})
    return Check(f"Agency checks answered ({counts.answered} of {counts.asked})", counts.complete, *fix)


def is_ready(item: AgendaItem, today: date, counts: Completeness | None = None) -> bool:
    """Whether an item's checklist is all done (the home page counts these; the preparation view lists them)."""
    consent = consent_for_meeting(item.family, to_london(item.meeting.starts_at).date(), today)
    return all(check.done for check in checklist(item, consent, counts))


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
