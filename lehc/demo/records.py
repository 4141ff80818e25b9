"""Demo families, meetings, discussions, agency checks and approved minutes for each locality. Every name here is
invented."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehc.demo.people import LAST_NAMES, demo_email
from lehc.models import (
    ActionStatus,
    Agency,
    AttendanceStatus,
    ConsentMethod,
    Decision,
    DiscussionType,
    Family,
    Frequency,
    Locality,
    MeetingSeries,
    MeetingStatus,
    MemberKind,
    Outcome,
    ScoreView,
    User,
)

DEMO_FAMILIES = [
    (
        "Worries about school attendance and a young carer",
        DiscussionType.NEW,
        25,
        False,
        "valid",
        [("Jayden", 9), ("Maisie", 6)],
    ),
    ("Family support after a house move", DiscussionType.REVIEW, 20, False, "valid", [("Leo", 12)]),
    (
        "Teenager at risk of exploitation; police intelligence needed",
        DiscussionType.NEW,
        25,
        True,
        "valid",
        [("Tyler", 15)],
    ),
    ("A toddler's development and parental mental health", DiscussionType.ANONYMOUS, 15, False, "none", [("Ava", 2)]),
    (
        "Parental conflict affecting a child's behaviour at school",
        DiscussionType.NEW,
        20,
        False,
        "withdrawn",
        [("Oliver", 7)],
    ),
]
ADULT_NAMES = ["Kelly", "Dean", "Stacey", "Craig", "Gemma"]


REFERRING_AGENCIES = ["", "0-25 Family Health Service", "VCS Alliance", "CAMHS"]


def _demo_families(session: Session, locality: Locality, presenter: User, chair: User) -> list[Family]:
    from lehc.families import services

    families = []
    today = date.today()
    for index, (focus, _kind, _minutes, _call_on, consent, children) in enumerate(DEMO_FAMILIES):
        surname = LAST_NAMES[(index * 3 + len(locality.name)) % len(LAST_NAMES)]
        family = services.create_family(
            locality=locality,
            presenter=presenter,
            requested_on=today - timedelta(weeks=12 - index),
            summary=f"{focus}. The presenting practitioner asks the LEHC for advice on the right support.",
            outcomes=[Outcome.EDUCATION, Outcome.HEALTH][: 1 + index % 2],
            lead_practitioner=chair if index == 1 else None,
        )
        referred_by = REFERRING_AGENCIES[index % len(REFERRING_AGENCIES)]
        if referred_by:  # the school presents them all, on behalf of the agency that asked for the conversation
            family.presenter_agency = session.scalar(select(Agency).where(Agency.name == referred_by))
        for first_name, age in children:
            services.add_member(
                family,
                kind=MemberKind.CHILD,
                name=f"{first_name} {surname}",
                date_of_birth=today - timedelta(days=365 * age + 40 * (index + 1)),
                school_or_setting=f"{locality.name} Primary" if age < 11 else f"{locality.name} Academy",
                send=index == 0 and first_name == children[0][0],
                relationship_to_child="",
            )
        services.add_member(
            family,
            kind=MemberKind.ADULT,
            name=f"{ADULT_NAMES[index]} {surname}",
            date_of_birth=None,
            school_or_setting="",
            send=False,
            relationship_to_child="Mother" if index % 2 == 0 else "Father",
        )
        if consent in ("valid", "withdrawn"):
            record = services.record_consent(
                family,
                given_by_name=f"{ADULT_NAMES[index]} {surname}",
                given_by_relationship="Parent",
                given_on=today - timedelta(weeks=13),
                method=ConsentMethod.WRITTEN,
                covers_discussion=True,
                covers_sharing=True,
                expires_on=today + timedelta(weeks=39),
                recorded_by=presenter,
            )
            if consent == "withdrawn":
                record.withdrawn_on = today - timedelta(days=3)
                record.withdrawn_recorded_by = presenter
                record.withdrawal_note = "Parent asked for the family not to be discussed by name."
        families.append(family)
    return families


def demo_meetings(session: Session, locality: Locality, locality_index: int) -> None:
    """A fortnightly series from ten weeks ago to four months ahead; past meetings held, the next one published."""
    from lehc.meetings import services
    from lehc.meetings.scheduling import ClashChoice, SeriesPattern, blocked_days, pattern_dates, plan_dates

    if session.scalar(select(MeetingSeries.id).where(MeetingSeries.locality_id == locality.id)) is not None:
        return
    coordinator = session.scalar(select(User).where(User.email == demo_email("coordinator", locality)))
    chair = session.scalar(select(User).where(User.email == demo_email("chair", locality)))
    police = session.scalar(select(User).where(User.email == demo_email("police", locality)))
    today = date.today()
    weekday = locality_index % 5
    first = today - timedelta(weeks=10)
    pattern = SeriesPattern(Frequency.FORTNIGHTLY, weekday, first_date=first, until_date=today + timedelta(weeks=16))
    dates = pattern_dates(pattern)
    series = MeetingSeries(
        locality=locality,
        frequency=Frequency.FORTNIGHTLY,
        weekday=weekday,
        start_time=time(9, 30),
        duration_minutes=150,
        first_date=first,
        until_date=pattern.until_date,
        venue=f"{locality.name} Family Hub, meeting room 1",
        online_link="https://teams.example/l/lehc-demo",
        created_by_id=coordinator.id,
    )
    meetings = services.create_series(series, plan_dates(dates, blocked_days(dates, {}), ClashChoice.MOVE), coordinator)
    upcoming = [meeting for meeting in meetings if meeting.starts_at.date() >= today]
    past = [meeting for meeting in meetings if meeting.starts_at.date() < today]
    school = session.scalar(select(User).where(User.email == demo_email("school", locality)))
    families = _demo_families(session, locality, school, chair)
    for meeting in past[-2:] + upcoming[:1]:
        for family, (focus, kind, minutes, call_on, _consent, _children) in zip(families, DEMO_FAMILIES, strict=True):
            services.add_item(
                meeting,
                title=focus,
                family=family,
                discussion_type=kind,
                presenter=school,
                duration_minutes=minutes,
                call_on=[police] if call_on and police else [],
                by=coordinator,
            )
        services.publish_agenda(meeting, coordinator)
    for meeting in past[-2:] + upcoming[:1]:
        _demo_agency_checks(meeting, school, everyone=meeting in past)
    for round_number, meeting in enumerate(past[-2:]):
        _demo_discussions(meeting, round_number, [school, chair, police], coordinator)
    for meeting in past:
        meeting.status = MeetingStatus.HELD
    if len(past) >= 2:
        _demo_approved_minutes(session, past[-2], chair)


DEMO_CHECK_ANSWERS = [
    ("known", "Known from a previous referral, closed last year"),
    ("not_known", ""),
    ("involved_now", "Sees the family every few weeks"),
]


def _demo_agency_checks(meeting, answerer: User, *, everyone: bool) -> None:
    """Answers to the agency checks: every agency's for past meetings, the school's only for the next one."""
    from lehc.meetings.services.agency_checks import answer
    from lehc.models import CheckAnswer
    from lehc.policy import member_agency

    school = member_agency(answerer, meeting.locality_id)
    checks = [check for item in meeting.items for check in item.agency_checks]
    for index, check in enumerate(checks):
        if everyone or check.agency_id == school.id:
            kind, note = DEMO_CHECK_ANSWERS[index % len(DEMO_CHECK_ANSWERS)]
            answer(check, CheckAnswer(kind), note, answerer)


def _demo_approved_minutes(session: Session, meeting, chair: User) -> None:
    """Attendance recorded and minutes approved, so exports and distribution copies have something to show."""
    from lehc.meetings.services import invitees
    from lehc.minutes import services as minutes_services

    entries = {
        invitee.user.id: (AttendanceStatus.APOLOGIES if index == 1 else AttendanceStatus.PRESENT, "")
        for index, invitee in enumerate(invitees(meeting))
    }
    minutes_services.record_attendance(meeting, entries)
    session.flush()
    minutes_services.approve(meeting, chair)


def _demo_discussions(meeting, round_number: int, people: list[User], by: User) -> None:
    """Mappings, scores that move between the two past meetings, decisions and actions."""
    from lehc.families import services as family_services

    for index, item in enumerate(i for i in meeting.items if i.is_discussion):
        group = min(10, 3 + index + 2 * round_number)
        family_services.record_discussion(
            item,
            mapping={
                "worries": "Attendance has dropped; the child is often late and tired.",
                "worry_statement": "If nothing changes, the child will fall behind and become isolated.",
                "complicating_factors": "A parent's health condition; a recent house move.",
                "strengths": "The family engage well with school and want help.",
                "existing_wellbeing": "Grandparent helps with the school run twice a week.",
                "wellbeing_goals": "Attendance above 90% and the child feels settled.",
                "next_steps": "Family Hub support and a school attendance plan.",
            },
            scores={ScoreView.GROUP: group, ScoreView.FAMILY: min(10, group + 1), ScoreView.PRESENTER: group},
            decision=Decision.REVIEW if round_number == 0 else Decision.TAF,
            decision_notes="",
            review_on=None,
            new_actions=[
                {
                    "description": "Agree an attendance plan with the family",
                    "owner_id": people[0].id,
                    "owner_agency_id": people[0].agency_id,
                    "due_on": meeting.starts_at.date() + timedelta(days=14),
                },
                {
                    "description": "Offer a Family Hub parenting group place",
                    "owner_id": people[1].id,
                    "owner_agency_id": people[1].agency_id,
                    "due_on": meeting.starts_at.date() + timedelta(days=21),
                },
            ],
            by=by,
        )
        if round_number == 0:  # the first meeting's first action was done in time, the second is still open
            first = item.discussion.actions[0]
            first.status, first.completed_on = ActionStatus.DONE, first.due_on - timedelta(days=2)
