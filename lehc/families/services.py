"""The families area's domain operations and queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from lehc import concurrency, policy
from lehc.extensions import db
from lehc.families.moves import MoveDetails, direction_of
from lehc.mail import queue_message
from lehc.models import (
    Action,
    AgendaItem,
    Consent,
    ConsentMethod,
    Decision,
    Discussion,
    Family,
    FamilyMember,
    FamilyNeed,
    FamilyStatus,
    Locality,
    Meeting,
    MemberKind,
    Membership,
    Outcome,
    ReferenceCounter,
    Role,
    ScalingScore,
    ScoreView,
    User,
)
from lehc.models.people import utcnow
from lehc.urls import external_url


def next_reference(locality: Locality, year: int) -> str:
    """DUR-2026-0042: locality code, year, and a number that is never reused within them."""
    counter = db.session.scalar(
        select(ReferenceCounter)
        .where(ReferenceCounter.locality_id == locality.id, ReferenceCounter.year == year)
        .with_for_update()
    )
    if counter is None:
        counter = ReferenceCounter(locality_id=locality.id, year=year, last_number=0)
        db.session.add(counter)
    counter.last_number += 1
    db.session.flush()
    return f"{locality.code}-{year}-{counter.last_number:04d}"


def create_family(
    *,
    locality: Locality,
    presenter: User,
    requested_on: date,
    summary: str,
    outcomes: list[Outcome],
    lead_practitioner: User | None = None,
) -> Family:
    family = Family(
        reference=next_reference(locality, requested_on.year),
        locality=locality,
        presenter=presenter,
        presenter_agency=presenter.agency,
        requested_on=requested_on,
        summary=summary.strip(),
        lead_practitioner=lead_practitioner,
    )
    set_needs(family, outcomes)
    db.session.add(family)
    db.session.flush()
    return family


def update_family(
    family: Family, *, summary: str, requested_on: date, outcomes: list[Outcome], lead_practitioner: User | None
) -> None:
    family.summary = summary.strip()
    family.requested_on = requested_on
    family.lead_practitioner = lead_practitioner
    set_needs(family, outcomes)
    concurrency.touch(family)


def set_needs(family: Family, outcomes: list[Outcome]) -> None:
    wanted = set(outcomes)
    family.needs = [need for need in family.needs if need.outcome in wanted] + [
        FamilyNeed(outcome=outcome) for outcome in sorted(wanted - set(family.outcomes))
    ]


def add_member(
    family: Family,
    *,
    kind: MemberKind,
    name: str,
    date_of_birth: date | None,
    school_or_setting: str,
    send: bool,
    relationship_to_child: str,
) -> FamilyMember:
    member = FamilyMember(
        kind=kind,
        name=name.strip(),
        date_of_birth=date_of_birth,
        school_or_setting=school_or_setting.strip() if kind is MemberKind.CHILD else "",
        send=send if kind is MemberKind.CHILD else False,
        relationship_to_child=relationship_to_child.strip() if kind is MemberKind.ADULT else "",
    )
    family.members.append(member)
    return member


def record_consent(
    family: Family,
    *,
    given_by_name: str,
    given_by_relationship: str,
    given_on: date,
    method: ConsentMethod,
    covers_discussion: bool,
    covers_sharing: bool,
    expires_on: date,
    recorded_by: User,
) -> Consent:
    consent = Consent(
        given_by_name=given_by_name.strip(),
        given_by_relationship=given_by_relationship.strip(),
        given_on=given_on,
        method=method,
        covers_discussion=covers_discussion,
        covers_sharing=covers_sharing,
        expires_on=expires_on,
        recorded_by=recorded_by,
    )
    family.consents.append(consent)
    return consent


def withdraw_consent(consent: Consent, *, withdrawn_on: date, note: str, by: User) -> list[AgendaItem]:
    """Withdraw, and tell the chairs of the locality about upcoming items that are now anonymous."""
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note.strip()
    consent.withdrawn_recorded_by = by
    family = consent.family
    affected = [item for item in upcoming_items(family)]
    if affected:
        for chair in chairs_of(family.locality):
            queue_message(
                to=chair,
                subject=f"Consent withdrawn: {family.reference}",
                locality=family.locality,
                body=(
                    f"Consent for {family.reference} has been withdrawn. {len(affected)} upcoming agenda "
                    f"item(s) will now be shown as anonymous consultations only.\n\n"
                    + "\n".join(external_url("meetings.view_meeting", meeting_id=item.meeting_id) for item in affected)
                    + "\n\nOFFICIAL-SENSITIVE. Details are in LEHC only."
                ),
            )
    return affected


def upcoming_items(family: Family) -> list[AgendaItem]:
    now = utcnow()
    return [item for item in family.items if item.meeting.starts_at >= now and not item.meeting.is_cancelled]


def chairs_of(locality: Locality) -> list[User]:
    query = (
        select(User)
        .join(Membership)
        .where(Membership.locality_id == locality.id, User.role == Role.CHAIR, User.active.is_(True))
    )
    return list(db.session.scalars(query))


def close_family(family: Family, *, closed_on: date, reason: str) -> None:
    family.status = FamilyStatus.CLOSED
    family.closed_on = closed_on
    family.closure_reason = reason.strip()


def families_visible_to(user: User) -> list[Family]:
    """The list page: the same rule as policy.can_view_family, as one query."""
    query = (
        select(Family)
        .where(policy.visible_family_clause(user))
        .options(selectinload(Family.locality), selectinload(Family.consents))
        .order_by(Family.status, Family.requested_on.desc())
        .limit(200)
    )
    return list(db.session.scalars(query))


def families_for_agenda(locality: Locality) -> list[Family]:
    query = (
        select(Family)
        .where(Family.locality_id == locality.id, Family.status == FamilyStatus.OPEN)
        .options(selectinload(Family.consents), selectinload(Family.members))
        .order_by(Family.reference)
    )
    return list(db.session.scalars(query))


# What the family page reads, loaded with the family (the access check reads its agenda items and meetings).
FAMILY_PAGE = (
    joinedload(Family.presenter),
    joinedload(Family.presenter_agency),
    joinedload(Family.lead_practitioner),
    selectinload(Family.members),
    selectinload(Family.needs),
    selectinload(Family.consents).joinedload(Consent.recorded_by),
    selectinload(Family.items).joinedload(AgendaItem.meeting),
)


def history(family: Family) -> list[AgendaItem]:
    """Every discussion of the family across meetings, newest first, with its scores and actions."""
    query = (
        select(AgendaItem)
        .join(Meeting)
        .where(AgendaItem.family_id == family.id)
        .options(
            contains_eager(AgendaItem.meeting),
            joinedload(AgendaItem.discussion).selectinload(Discussion.scores),
            joinedload(AgendaItem.discussion).selectinload(Discussion.actions).joinedload(Action.owner),
        )
        .order_by(Meeting.starts_at.desc())
    )
    return list(db.session.scalars(query))


def record_discussion(
    item: AgendaItem,
    *,
    mapping: dict[str, str],
    scores: dict[ScoreView, int],
    decision: Decision | None,
    decision_notes: str,
    review_on: date | None,
    new_actions: list[dict],
    by: User,
    step_up: tuple[str, str, str] = ("", "", ""),
    move: MoveDetails | None = None,
) -> Discussion:
    """Save what the group said about the item's family; scores are replaced, new actions added. At a kind that
    records moves, the move's details are kept as its direction needs them, and a step down makes the lead
    practitioner allocated the family's lead practitioner."""
    discussion = item.discussion or Discussion(item=item, family=item.family)
    db.session.add(discussion)
    if move is not None:
        kept = move.kept_for(direction_of(decision, item.meeting.kind.records_moves))
        discussion.referred_on, discussion.move_reason = kept.referred_on, kept.reason
        discussion.allocated_lead_id, discussion.handover_on = kept.lead_id, kept.handover_on
        if kept.lead_id:
            item.family.lead_practitioner_id = kept.lead_id
    for name, value in mapping.items():
        setattr(discussion, name, (value or "").strip())
    discussion.decision = decision
    discussion.decision_notes = decision_notes.strip()
    discussion.review_on = review_on
    discussion.step_up_prompt, discussion.step_up_answer, discussion.step_up_reason = step_up
    discussion.updated_by = by
    discussion.scores = [ScalingScore(view=view, score=score) for view, score in scores.items()]
    for action in new_actions:
        discussion.actions.append(
            Action(
                meeting=item.meeting,
                description=action["description"].strip(),
                owner_id=action["owner_id"] or None,
                owner_agency_id=action["owner_agency_id"] or None,
                due_on=action["due_on"],
                created_by=by,
            )
        )
    db.session.add(discussion)
    return discussion


def open_actions(family: Family) -> list[Action]:
    query = (
        select(Action)
        .join(Discussion)
        .where(Discussion.family_id == family.id, Action.is_open())
        .order_by(Action.due_on)
    )
    return list(db.session.scalars(query))


def previous_discussion(item: AgendaItem) -> Discussion | None:
    """The family's most recent discussion before this item's meeting."""
    if item.family is None:
        return None
    query = (
        select(Discussion)
        .join(AgendaItem)
        .join(Meeting)
        .where(Discussion.family_id == item.family_id, Meeting.starts_at < item.meeting.starts_at)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    return db.session.scalar(query)
