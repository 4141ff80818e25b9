"""Demo families, meetings, discussions, agency checks and approved minutes for each locality. Every name here is
invented."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lehc.demo.people import LAST_NAMES, demo_email
from lehc.meetings.scheduling import ClashChoice, PlannedDate, SeriesPattern, blocked_days, pattern_dates, plan_dates
from lehc.models import (
    ActionStatus,
    Agency,
    AgendaItem,
    AttendanceStatus,
    ConsentMethod,
    Decision,
    DiscussionType,
    Family,
    Frequency,
    Locality,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MemberKind,
    Outcome,
    ResponseKind,
    ResponseSource,
    ScoreView,
    User,
)
from lehc.models.people import utcnow

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

# Per family, in DEMO_FAMILIES order: what the group mapped and the actions it agreed (who: an index into the
# people the discussion is given: 0 school, 1 chair, 2 police, 3 health). No names: actions show in trackers.
DEMO_MAPPINGS = [
    ("Attendance has dropped to 84%; often late and tired.", "Caring for a parent with a long-term illness."),
    ("Rent arrears since the move; no GP registered yet.", "Settling at the new school; a grandparent nearby."),
    ("Missing from home twice; seen with older young people.", "Close to an aunt; enjoys boxing club."),
    ("Speech is behind for age; mum low in mood.", "Attends nursery two mornings a week."),
    ("Arguments at home; angry outbursts in class.", "Both parents want things to change."),
]
DEMO_ACTIONS = [
    [(0, "Agree an attendance plan with the family", 14), (1, "Refer to the young carers' service", 21)],
    [(1, "Ask the housing officer about arrears support", 10), (3, "Register the family with the new GP practice", 21)],
    [
        (2, "Review local intelligence and report back", 7),
        (0, "Share a safety plan with the school and youth club", 14),
    ],
    [(3, "Offer a health visitor development review", 14), (1, "Signpost to perinatal mental health support", 10)],
    [(1, "Offer the Reducing Parental Conflict programme", 28), (0, "Put a behaviour support plan in place", 14)],
]


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


def demo_series_dates(today: date, weekday: int) -> tuple[SeriesPattern, list[PlannedDate]]:
    """A fortnightly pattern on the weekday from about ten weeks ago to sixteen ahead, with no meeting today.

    Whether a meeting today had started would depend on the hour the demo is looked at, so the series moves a
    week when today would be one of its days (or a meeting moved off a bank holiday would land on it).
    """
    for weeks_back in (10, 9):
        pattern = SeriesPattern(
            Frequency.FORTNIGHTLY,
            weekday,
            first_date=today - timedelta(weeks=weeks_back),
            until_date=today + timedelta(weeks=16),
        )
        dates = pattern_dates(pattern)
        planned = plan_dates(dates, blocked_days(dates, {}), ClashChoice.MOVE)
        if all(plan.resolved != today for plan in planned):
            break
    return pattern, planned


def demo_meetings(session: Session, locality: Locality, locality_index: int) -> None:
    """A fortnightly series from ten weeks ago to four months ahead; past meetings held, the next one published.

    The next meeting has always still to start (demo_series_dates).
    """

    if session.scalar(select(MeetingSeries.id).where(MeetingSeries.locality_id == locality.id)) is not None:
        return
    families = _demo_lehc_meetings(session, locality, locality_index)
    _demo_step_meetings(session, locality, locality_index, families)


def _demo_lehc_meetings(session: Session, locality: Locality, locality_index: int) -> list[Family]:
    """The fortnightly LEHC series with the locality's demo families on its last two and next agendas."""
    from lehc.meetings import services
    from lehc.minutes import services as minutes_services

    coordinator = session.scalar(select(User).where(User.email == demo_email("coordinator", locality)))
    chair = session.scalar(select(User).where(User.email == demo_email("chair", locality)))
    police = session.scalar(select(User).where(User.email == demo_email("police", locality)))
    today = date.today()
    weekday = locality_index % 5
    pattern, planned = demo_series_dates(today, weekday)
    series = MeetingSeries(
        locality=locality,
        frequency=Frequency.FORTNIGHTLY,
        weekday=weekday,
        start_time=time(9, 30),
        duration_minutes=150,
        first_date=pattern.first_date,
        until_date=pattern.until_date,
        venue=f"{locality.name} Family Hub, meeting room 1",
        online_link="https://teams.example/l/lehc-demo",
        created_by_id=coordinator.id,
    )
    meetings = services.create_series(series, planned, coordinator)
    upcoming = [meeting for meeting in meetings if meeting.starts_at.date() >= today]
    past = [meeting for meeting in meetings if meeting.starts_at.date() < today]
    school = session.scalar(select(User).where(User.email == demo_email("school", locality)))
    families = _demo_families(session, locality, school, chair)
    health = session.scalar(select(User).where(User.email == demo_email("health", locality)))
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
        # as a coordinator would have: a week before the meeting, so call-on members saw their items in time
        meeting.agenda_published_at = min(meeting.starts_at - timedelta(days=7), utcnow())
    for meeting in past[-2:] + upcoming[:1]:
        _demo_agency_checks(meeting, school, everyone=meeting in past)
    _demo_replies(upcoming[:1], {coordinator, chair, school, police, health})
    for round_number, meeting in enumerate(past[-2:]):
        _demo_discussions(meeting, round_number, [school, chair, police, health or chair], coordinator)
    for meeting in past:
        meeting.status = MeetingStatus.HELD
    for meeting in past[:-1]:  # every past meeting's minutes approved but the last, which waits for the chair
        _demo_attendance(session, meeting, meeting is past[-2])
        if meeting is past[-2]:
            meeting.declarations = "None declared."
        minutes_services.approve(meeting, chair)
    if past:
        _demo_attendance(session, past[-1], True)
    return families


def demo_step_weekday(today: date, lehc_weekday: int) -> int:
    """The weekday of a locality's weekly step up / step down meeting: two days after its LEHC's, or the next
    weekday that is neither the LEHC's nor today's (a weekly meeting on today's weekday would be today)."""
    for offset in (2, 3, 4, 1):
        weekday = (lehc_weekday + offset) % 5
        if weekday != today.weekday():
            return weekday
    raise AssertionError("unreachable: four weekdays cannot all be today")


STEP_MINUTES_WAITING = "SED"  # the locality whose last step meeting's minutes wait for its chair


def _demo_step_meetings(session: Session, locality: Locality, locality_index: int, families: list[Family]) -> None:
    """Weekly step up / step down meetings from six weeks ago to four ahead. Two held meetings moved families: one
    stepped up to Children's Social Care (the teenager at risk of exploitation), one stepped down to early help
    (the family after a house move, whose lead practitioner is the chair); the next meeting reviews the first. One
    locality's last meeting waits for its minutes (STEP_MINUTES_WAITING)."""
    from lehc.families import services as family_services
    from lehc.families.moves import MoveDetails
    from lehc.meetings import services
    from lehc.minutes import services as minutes_services
    from lehc.models import STEP

    coordinator = session.scalar(select(User).where(User.email == demo_email("coordinator", locality)))
    chair = session.scalar(select(User).where(User.email == demo_email("chair", locality)))
    today = date.today()
    weekday = demo_step_weekday(today, locality_index % 5)
    first = today - timedelta(days=(today.weekday() - weekday) % 7 + 35)  # six meetings before today
    pattern = SeriesPattern(Frequency.WEEKLY, weekday, first_date=first, until_date=first + timedelta(weeks=9))
    dates = pattern_dates(pattern)
    planned = plan_dates(dates, blocked_days(dates, {}), ClashChoice.DROP)  # no moving onto today or the LEHC's day
    series = MeetingSeries(
        locality=locality,
        kind=services.meeting_kind(STEP),
        frequency=Frequency.WEEKLY,
        weekday=weekday,
        start_time=time(13, 30),
        duration_minutes=60,
        first_date=pattern.first_date,
        until_date=pattern.until_date,
        venue=f"{locality.name} Family Hub, meeting room 2",
        online_link="https://teams.example/l/step-demo",
        created_by_id=coordinator.id,
    )
    meetings = services.create_series(series, planned, coordinator)
    past = [meeting for meeting in meetings if meeting.day < today]
    upcoming = [meeting for meeting in meetings if meeting.day > today]
    school = session.scalar(select(User).where(User.email == demo_email("school", locality)))
    exploitation, house_move = families[2], families[1]
    moves = [
        (past[-4], exploitation, Decision.SOCIAL_CARE, MoveDetails(referred_on=past[-4].day, reason=STEP_UP_REASON)),
        (
            past[-2],
            house_move,
            Decision.STEP_DOWN,
            MoveDetails(lead_id=chair.id, handover_on=past[-2].day + timedelta(days=8)),
        ),
    ]

    def bring(meeting: Meeting, family: Family, title: str) -> AgendaItem:
        """The family on the meeting's published agenda (published two days before, for a past meeting)."""
        item = services.add_item(
            meeting,
            title=title,
            family=family,
            discussion_type=DiscussionType.REVIEW,
            presenter=school,
            duration_minutes=15,
            call_on=[],
            by=coordinator,
        )
        services.publish_agenda(meeting, coordinator)
        if meeting.day < today:
            meeting.agenda_published_at = meeting.starts_at - timedelta(days=2)
        return item

    for meeting, family, decision, move in moves:
        item = bring(meeting, family, "Family moving between levels of need")
        family_services.record_discussion(
            item,
            mapping={"worries": STEP_WORRIES[decision], "next_steps": STEP_NEXT[decision]},
            scores={ScoreView.GROUP: 2 if decision is Decision.SOCIAL_CARE else 7},
            decision=decision,
            decision_notes="",
            review_on=None,
            new_actions=[],
            by=coordinator,
            move=move,
        )
    bring(upcoming[0], exploitation, "Review after the step up")
    # Sedgefield's last meeting is held and waits for its chair (the step journey runs it to approved minutes): a
    # family brought for a step up, not yet discussed. Elsewhere the minutes waiting for a chair are the LEHC's.
    waiting = past[-1] if locality.code == STEP_MINUTES_WAITING else None
    if waiting is not None:
        bring(waiting, families[0], "Worries growing despite the Team Around the Family plan")
    for meeting in past:
        meeting.status = MeetingStatus.HELD
        _demo_attendance(session, meeting, False)
        if meeting is not waiting:
            minutes_services.approve(meeting, chair)


STEP_UP_REASON = (
    "Missing from home again and seen with adults known to police; the threshold for a strategy discussion is met."
)
STEP_WORRIES = {
    Decision.SOCIAL_CARE: "Two more missing episodes; intelligence of exploitation.",
    Decision.STEP_DOWN: "Social care assessment closed; the family wants to keep Family Hub support.",
}
STEP_NEXT = {
    Decision.SOCIAL_CARE: "Referral made to the Children's Social Care front door the same day.",
    Decision.STEP_DOWN: "Handover meeting with the family and the lead practitioner.",
}


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


DEMO_REPLIES = [  # how some members answered the next meeting's invitation: on LEHC, or from their calendar
    (ResponseKind.ACCEPTED, ResponseSource.CALENDAR, "Joining online for the first hour"),
    (ResponseKind.ACCEPTED, ResponseSource.LEHC, ""),
    (ResponseKind.TENTATIVE, ResponseSource.CALENDAR, ""),
    (ResponseKind.APOLOGIES, ResponseSource.CALENDAR, "Clinic that morning, will send notes"),
]


def _demo_replies(meetings: list, walk_through: set[User | None]) -> None:
    """Replies to the next meeting from some core members; the people whose day the demo walks through (and the
    tests) have not answered yet."""
    from lehc.meetings.services import invitees, record_response

    for meeting in meetings:
        others = [i.user for i in invitees(meeting) if i.whole_meeting and i.user not in walk_through]
        for user, (kind, source, note) in zip(others, DEMO_REPLIES, strict=False):
            record_response(meeting, user, kind, source=source, note=note)


def _demo_attendance(session: Session, meeting, discussed: bool) -> None:
    """Attendance as a minute-taker records it: most present, one apology, one deputy (for a discussed meeting)."""
    from lehc.meetings.services import invitees
    from lehc.minutes import services as minutes_services

    entries = {}
    for index, invitee in enumerate(invitees(meeting)):
        if index == 1:
            entries[invitee.user.id] = (AttendanceStatus.APOLOGIES, "")
        elif index == 2 and discussed:
            entries[invitee.user.id] = (AttendanceStatus.DEPUTY, "Sam Deputy")
        else:
            entries[invitee.user.id] = (AttendanceStatus.PRESENT, "")
    minutes_services.record_attendance(meeting, entries)
    session.flush()


def _demo_discussions(meeting, round_number: int, people: list[User], by: User) -> None:
    """Mappings, scores that move between the two past meetings, decisions and actions."""
    from lehc.families import services as family_services

    for index, item in enumerate(i for i in meeting.items if i.is_discussion):
        group = min(10, 3 + index + 2 * round_number)
        worries, strengths = DEMO_MAPPINGS[index % len(DEMO_MAPPINGS)]
        family_services.record_discussion(
            item,
            mapping={
                "worries": worries,
                "worry_statement": "If nothing changes, the child will fall behind and become isolated.",
                "complicating_factors": "A parent's health condition; a recent house move.",
                "strengths": strengths,
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
                    "description": description if round_number == 0 else f"{description} (follow-up)",
                    "owner_id": people[who].id,
                    "owner_agency_id": people[who].agency_id,
                    "due_on": meeting.starts_at.date() + timedelta(days=days),
                }
                for who, description, days in DEMO_ACTIONS[index % len(DEMO_ACTIONS)]
            ],
            by=by,
        )
        if round_number == 0:  # the first meeting's first action was done in time, the second is still open
            first = item.discussion.actions[0]
            first.status, first.completed_on = ActionStatus.DONE, first.due_on - timedelta(days=2)


FORUM_ITEMS = [  # (title, presenter, organisation, minutes): invented
    ("Changes to the school nursing offer", "Priya Shah", "0-25 Family Health Service", 30),
    ("Domestic abuse: the new referral pathway", "Tom Wilson", "Harbour Support Services", 30),
    ("The youth offer in the area this winter", "", "Durham County Council Youth Service", 20),
]


def demo_forum_day(term_starts: date, term_ends: date, today: date, area_index: int) -> date:
    """A weekday of the term for an area's forum, a different one for each area: from two weeks ahead, else (the
    term ending sooner) from two weeks back; never today, a weekend or a bank holiday."""
    holidays = blocked_days([term_starts, term_ends], {})
    days = [term_starts + timedelta(days=n) for n in range((term_ends - term_starts).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5 and day not in holidays and day != today]
    ahead = [day for day in weekdays if day >= today + timedelta(days=14)]
    back = [day for day in reversed(weekdays) if day <= today - timedelta(days=14)]
    rest = sorted(set(weekdays) - set(ahead) - set(back), key=lambda day: abs((day - today).days))
    return (ahead + back + rest)[area_index]


def demo_forums(session: Session, today: date) -> None:
    """One Early Help Forum per area this term (the next term's, in the holidays), hosted by the area's first
    locality, its agenda of presentations published (a forum already held has its minutes approved); and the first
    area's forum of last term, held, its minutes waiting for the chair."""
    from lehc.models import SchoolTerm
    from lehc.reference_data import all_areas

    terms = session.scalars(select(SchoolTerm).order_by(SchoolTerm.starts_on)).all()
    this = next((term for term in terms if term.ends_on >= today), None)
    last = next((term for term in reversed(terms) if term.ends_on < today), None)
    for index, area in enumerate(all_areas()):
        if not area.localities or session.scalar(select(Meeting.id).where(Meeting.area_id == area.id).limit(1)):
            continue
        if index == 0 and last is not None:
            _demo_forum(session, area, demo_forum_day(last.starts_on, last.ends_on, last.ends_on, 0), approve=False)
        if this is not None:
            day = demo_forum_day(this.starts_on, this.ends_on, today, index)
            _demo_forum(session, area, day, approve=day < today)


def _demo_forum(session: Session, area, day: date, *, approve: bool) -> None:
    from lehc.meetings import services
    from lehc.minutes import services as minutes_services
    from lehc.models import FORUM

    host = area.localities[0]
    coordinator = session.scalar(select(User).where(User.email == demo_email("coordinator", host)))
    forum = services.new_meeting(
        host,
        day,
        time(15, 0),
        90,
        venue=f"{host.name} Family Hub, main hall",
        online_link="https://teams.example/l/forum-demo",
        organiser=coordinator,
        kind=services.meeting_kind(FORUM),
        area=area,
    )
    for title, name, organisation, minutes in FORUM_ITEMS:
        services.add_presentation(
            forum,
            title=title,
            presenter_name=name,
            presenter_organisation=organisation,
            duration_minutes=minutes,
            by=coordinator,
        )
    session.flush()
    services.publish_agenda(forum, coordinator)
    forum.agenda_published_at = min(forum.starts_at - timedelta(days=21), utcnow())
    if day < date.today():
        forum.status = MeetingStatus.HELD
    if approve:
        forum.minutes_notes = "Slides sent to every school in the area after the meeting."
        minutes_services.approve(forum, session.scalar(select(User).where(User.email == demo_email("chair", host))))


def demo_term_dates(today: date) -> list[tuple[str, date, date]]:
    """The terms of last school year, this one and the next, earliest first: dates like the county's (invented for
    the demo; an administrator keeps the real ones, published a year or more ahead). Each starts on a weekday and
    ends on a Friday."""
    this_autumn = today.year if today.month >= 8 else today.year - 1
    terms = []
    for autumn in (this_autumn - 1, this_autumn, this_autumn + 1):
        for name, year, (start_month, start_day), (end_month, end_day) in [
            ("Autumn term", autumn, (9, 3), (12, 18)),
            ("Spring term", autumn + 1, (1, 5), (3, 26)),
            ("Summer term", autumn + 1, (4, 12), (7, 21)),
        ]:
            starts_on = date(year, start_month, start_day)
            starts_on += timedelta(days=7 - starts_on.weekday() if starts_on.weekday() > 4 else 0)  # a weekday
            ends_on = date(year, end_month, end_day)
            ends_on -= timedelta(days=max(0, ends_on.weekday() - 4))  # a Friday, not the weekend after
            terms.append((f"{name} {year}", starts_on, ends_on))
    return terms


def demo_terms(session: Session, today: date) -> None:
    """The demo's school terms (demo_term_dates), if the table is empty."""
    from lehc.models import SchoolTerm

    if session.scalar(select(SchoolTerm.id).limit(1)) is not None:
        return
    for name, starts_on, ends_on in demo_term_dates(today):
        session.add(SchoolTerm(name=name, starts_on=starts_on, ends_on=ends_on))
    session.flush()
