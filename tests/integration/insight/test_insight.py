"""Insight figures against a hand-built dataset (Durham and Easington, first half of 2025)."""

import csv
import io
from datetime import date

import pytest

from lehc.dates import format_date
from lehc.families import services as family_services
from lehc.families.moves import MoveDetails
from lehc.insight.figures import Period, compute
from lehc.insight.forms import InsightForm
from lehc.models import (
    LEHC,
    STEP,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Decision,
    DiscussionType,
    MeetingStatus,
    MembershipKind,
    Role,
    ScoreView,
)
from tests.conftest import parse, sign_in_as

PERIOD = Period(date(2025, 1, 1), date(2025, 6, 30))
TODAY = date(2025, 11, 24)


@pytest.fixture
def dataset(factories, db):
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    school = factories.user(locality="DUR", seat="Education representative")
    camhs = factories.user(locality="DUR", seat="CAMHS")
    police = factories.user(locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")

    def meeting(day: date, locality: str = "DUR", status: MeetingStatus = MeetingStatus.HELD, kind: str = LEHC):
        made = factories.meeting(locality, day=day, organiser=chair if locality == "DUR" else None, kind=kind)
        made.status = status
        return made

    m0 = meeting(date(2024, 11, 4))  # before the period
    m1 = meeting(date(2025, 2, 3))
    m2 = meeting(date(2025, 3, 3))
    m3 = meeting(date(2025, 4, 7), status=MeetingStatus.CANCELLED)
    m4 = meeting(date(2025, 7, 7))  # after the period
    e1 = meeting(date(2025, 2, 10), locality="EAS")

    def family(reference, requested, agency, *, consent=True, locality="DUR"):
        made = factories.family(locality, reference=reference, consent=consent)
        made.requested_on = requested
        made.presenter_agency = factories.agency(agency) if agency else None
        return made

    f1 = family("DUR-2025-0001", date(2025, 1, 20), "Schools and education settings")
    f2 = family("DUR-2025-0002", date(2025, 2, 1), "0-25 Family Health Service")
    f3 = family("DUR-2025-0003", date(2025, 1, 1), "Durham Constabulary", consent=False)
    f4 = family("DUR-2024-0004", date(2024, 10, 1), "Council Housing Solutions")
    f5 = family("EAS-2025-0001", date(2025, 1, 6), None, locality="EAS")

    def discuss(meeting_, family_, kind, group=None, decision=None, actions=(), move=None):
        item = factories.item(meeting_, family=family_, discussion_type=kind)
        return family_services.record_discussion(
            item,
            move=move,
            mapping={},
            scores={ScoreView.GROUP: group} if group is not None else {},
            decision=decision,
            decision_notes="",
            review_on=None,
            new_actions=[
                {"description": "Follow up", "owner_id": school.id, "owner_agency_id": None, "due_on": due}
                for due in actions
            ],
            by=chair,
        )

    discuss(m0, f4, DiscussionType.NEW, 7, Decision.REVIEW)
    first = discuss(m1, f1, DiscussionType.NEW, 3, Decision.TAF, actions=[date(2025, 2, 17), date(2025, 2, 20)])
    discuss(m1, f3, DiscussionType.ANONYMOUS)
    discuss(m1, f4, DiscussionType.REVIEW, 4, Decision.REVIEW)
    discuss(m2, f1, DiscussionType.REVIEW, 6, Decision.REVIEW, actions=[date(2025, 8, 1)])
    discuss(m2, f2, DiscussionType.NEW, 5, Decision.ADVICE, actions=[date(2025, 3, 20)])
    discuss(m4, f1, DiscussionType.REVIEW, 8, Decision.REVIEW)
    discuss(e1, f5, DiscussionType.NEW, 2, Decision.STEP_UP)
    # Step up / step down meetings in the same months: their discussions, actions and attendance are not the LEHC's
    s1, s2 = meeting(date(2025, 2, 5), kind=STEP), meeting(date(2025, 3, 12), kind=STEP)
    s3, s4 = meeting(date(2025, 2, 12), "EAS", kind=STEP), meeting(date(2025, 7, 9), kind=STEP)
    lead = MoveDetails(lead_id=school.id, handover_on=date(2025, 2, 12))
    discuss(s1, f1, DiscussionType.REVIEW, 4, Decision.STEP_DOWN, actions=[date(2025, 2, 20)], move=lead)
    referred = MoveDetails(referred_on=date(2025, 2, 4), reason="Harm disclosed")
    discuss(s1, f2, DiscussionType.REVIEW, 2, Decision.SOCIAL_CARE, move=referred)
    later = MoveDetails(lead_id=school.id, handover_on=date(2025, 3, 21))
    discuss(s2, f4, DiscussionType.REVIEW, 5, Decision.STEP_DOWN, move=later)
    discuss(s2, f2, DiscussionType.REVIEW, 3, Decision.TAF)
    discuss(s3, f5, DiscussionType.NEW, 2, Decision.SOCIAL_CARE, move=referred)
    discuss(s4, f1, DiscussionType.REVIEW, 6, Decision.STEP_DOWN, move=lead)  # after the period
    db.session.add(Attendance(meeting=s1, user=camhs, status=AttendanceStatus.PRESENT))  # not in the kind's seats
    db.session.add(Attendance(meeting=s1, user=chair, status=AttendanceStatus.PRESENT))

    on_time, late = first.actions
    on_time.status, on_time.completed_on = ActionStatus.DONE, date(2025, 2, 15)
    late.status, late.completed_on = ActionStatus.DONE, date(2025, 2, 25)

    for held, camhs_status in ((m1, AttendanceStatus.APOLOGIES), (m2, AttendanceStatus.DEPUTY)):
        db.session.add(Attendance(meeting=held, user=school, status=AttendanceStatus.PRESENT))
        db.session.add(Attendance(meeting=held, user=camhs, status=camhs_status))
        db.session.add(Attendance(meeting=held, user=police, status=AttendanceStatus.PRESENT))  # call-on: no seat
    db.session.add(Attendance(meeting=m3, user=school, status=AttendanceStatus.PRESENT))  # cancelled: not counted
    db.session.commit()
    return {"chair": chair, "school": school}


def test_durham_figures_match_the_hand_count(dataset, factories):
    insight = compute(factories.locality("DUR"), PERIOD, TODAY)
    assert insight.meetings_held == 2  # not the cancelled one, nor those outside the period
    assert insight.discussions == {"New": 2, "Review": 2, "Anonymous consultation": 1}
    assert insight.families_discussed == 4
    assert insight.referrals == {"Education": 1, "Health": 1, "Other": 2}
    assert insight.decisions["Team Around the Family with a lead practitioner"] == 1
    assert insight.decisions["Bring back to the LEHC for review"] == 2
    assert insight.decisions["Advice and signposting"] == 1
    assert insight.decisions["No decision recorded"] == 1
    assert sum(insight.decisions.values()) == 5
    assert (insight.actions_due, insight.actions_on_time, insight.on_time_percent) == (3, 1, 33)
    assert (insight.families_first_discussed, insight.median_days_to_discussion) == (3, 30)  # 14, 30 and 33 days
    change = insight.score_change
    assert (change.families, change.improved, change.same, change.worse, change.median_change) == (2, 1, 0, 1, 0)
    attendance = {line.agency: (line.attended, line.held) for line in insight.attendance}
    assert attendance["Schools and education settings"] == (2, 2)
    assert attendance["CAMHS"] == (1, 2)  # apologies once, a deputy once
    assert attendance["VCS Alliance"] == (0, 2)
    assert "Durham Constabulary" not in attendance  # a call-on seat is not a core seat


def test_step_meetings_have_figures_of_their_own_with_moves_by_month_and_days_to_handover(dataset, factories):
    insight = compute(factories.locality("DUR"), PERIOD, TODAY, STEP)
    assert insight.kind_name == "Step up and step down meeting"
    assert insight.meetings_held == 2 and insight.families_discussed == 3
    assert list(insight.decisions.items()) == list(
        {  # in the order the step meeting's form offers them
            "Referral to Children's Social Care": 1,
            "Step down to early help with a lead practitioner": 2,
            "Team Around the Family with a lead practitioner": 1,
            "No further action": 0,
            "No decision recorded": 0,
        }.items()
    )
    assert (insight.actions_due, insight.actions_on_time) == (1, 0)
    attendance = {line.agency: (line.attended, line.held) for line in insight.attendance}
    assert attendance == {  # the kind's seats only: Children's Social Care's seat is empty in this world
        "One Point Service (Durham County Council)": (1, 2),
        "Children's Social Care": (0, 2),
    }
    moves = insight.moves
    assert [(m.month, m.locality, m.up, m.down) for m in moves.by_month] == [
        (date(2025, 2, 1), "Durham", 1, 1),
        (date(2025, 3, 1), "Durham", 0, 1),
    ]
    assert (moves.up, moves.down, moves.handovers, moves.median_days_to_handover) == (1, 2, 2, 8)  # 7 and 9 days
    county = compute(None, PERIOD, TODAY, STEP).moves
    assert [(m.month, m.locality, m.up, m.down) for m in county.by_month] == [
        (date(2025, 2, 1), "Durham", 1, 1),
        (date(2025, 2, 1), "Easington", 1, 0),
        (date(2025, 3, 1), "Durham", 0, 1),
    ]
    assert compute(factories.locality("DUR"), PERIOD, TODAY).moves is None  # the LEHC records no moves


def test_the_step_meetings_page_and_csv_show_moves_and_hide_small_counts(app, dataset):
    client = sign_in_as(app.test_client(), dataset["chair"])
    page = parse(client.get(f"/insight?kind=step&{query()}"))
    assert page.select_one("[data-testid=insight-kind]").get_text() == "Step up and step down meeting"
    headlines = page.select_one("[data-testid=moves-headlines]").get_text(" ", strip=True)
    assert "Stepped up to Children's Social Care 1" in headlines and "8 days (2 step downs" in headlines
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in page.select("[data-testid=insight-moves] tbody tr")
    ]
    assert rows == [["February 2025", "Durham", "1", "1"], ["March 2025", "Durham", "0", "1"]]
    csv_link = page.select_one("a[href^='/insight.csv']")["href"]
    assert "kind=step" in csv_link
    response = client.get(csv_link)
    assert "LEHC-step-insight-durham-2025-01-01-to-2025-06-30.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    values = {(row[3], row[4]): row[5] for row in rows[1:] if len(row) == 7}
    assert rows[1][6] == "Step up and step down meeting"
    assert values[("Moves in February 2025, Durham", "Stepped up")] == "[c]"
    assert values[("Moves in March 2025, Durham", "Stepped up")] == "0"
    assert values[("Median days from step-down decision to handover meeting", "")] == "[c]"
    county = parse(client.get(f"/insight?kind=step&{query(area='all')}"))
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in county.select("[data-testid=insight-moves] tbody tr")
    ]
    assert ["February 2025", "Easington", "[c]", "0"] in rows  # not the chair's locality: its small count hidden
    assert ["February 2025", "Durham", "1", "1"] in rows
    wrong = parse(client.get(f"/insight?kind=weekly-lunch&{query()}"))
    assert "Choose one of the kinds of meeting listed" in wrong.select_one(".govuk-error-summary").get_text()


def test_county_figures_add_easington(dataset):
    insight = compute(None, PERIOD, TODAY)
    assert insight.scope == "County Durham"
    assert insight.meetings_held == 3
    assert insight.discussions == {"New": 3, "Review": 2, "Anonymous consultation": 1}
    assert insight.families_discussed == 5
    assert insight.referrals == {"Education": 1, "Health": 1, "Other": 3}
    assert insight.decisions["Step up to Intensive Family Support"] == 1


def test_an_empty_period_gives_zeros_not_errors(dataset, factories):
    insight = compute(factories.locality("DUR"), Period(date(2020, 1, 1), date(2020, 1, 31)), TODAY)
    assert (insight.meetings_held, insight.families_discussed, insight.actions_due) == (0, 0, 0)
    assert insight.median_days_to_discussion is None and insight.on_time_percent is None


def query(area="DUR", start=(1, 1, 2025), end=(30, 6, 2025)) -> str:
    parts = [f"area={area}"] + [f"start={n}" for n in start] + [f"end={n}" for n in end]
    return "&".join(parts)


def test_the_page_shows_charts_with_their_tables(app, dataset):
    client = sign_in_as(app.test_client(), dataset["chair"])
    page = parse(client.get(f"/insight?{query()}"))
    assert page.select_one("[data-testid=insight-scope]").get_text(strip=True).startswith("Durham, Wednesday 1 January")
    section = page.select_one("[data-testid=insight-discussions]")
    assert section.select_one("svg[role=img] title").get_text().startswith("Discussions by type")
    rows = {r.th.get_text(strip=True): r.td.get_text(strip=True) for r in section.select("tbody tr")}
    assert rows == {"New": "2", "Review": "2", "Anonymous consultation": "1"}
    headlines = page.select_one("[data-testid=headlines]").get_text(" ", strip=True)
    assert "1 of 3 due (33%)" in headlines
    assert "1 improved, 0 the same, 1 worse; median change +0" in headlines


def test_the_csv_hides_small_counts(app, dataset):
    client = sign_in_as(app.test_client(), dataset["chair"])
    response = client.get(f"/insight.csv?{query()}")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Area", "From", "To", "Measure", "Category", "Value", "Meeting"]  # as before, then the kind
    assert (rows[1][0], rows[1][6]) == ("Durham", "Locality Early Help Conversation")
    values = {(row[3], row[4]): row[5] for row in rows[1:] if len(row) == 7}
    assert values[("Meetings held", "")] == "[c]"
    assert values[("Discussions by type", "New")] == "[c]"
    assert values[("Median days from request to first discussion", "")] == "[c]"  # from 3 families
    assert values[("Decisions", "Advice and signposting")] == "[c]"
    assert values[("Decisions", "No further action")] == "0"
    assert all(value in ("0", "[c]", "") or int(value) >= 5 for value in values.values())
    assert "DUR-2025" not in response.get_data(as_text=True)


def test_only_chairs_and_coordinators_see_it_and_only_for_their_localities(app, dataset, factories):
    member = sign_in_as(app.test_client(), dataset["school"])
    assert member.get("/insight").status_code == 403
    assert member.get("/insight.csv").status_code == 403
    chair = sign_in_as(app.test_client(), dataset["chair"])
    page = parse(chair.get(f"/insight?{query(area='EAS')}"))
    assert (
        "Choose County Durham or a locality you chair or coordinate"
        in page.select_one(".govuk-error-summary").get_text()
    )
    assert page.select_one("[data-testid=headlines]") is None
    assert chair.get(f"/insight.csv?{query(area='EAS')}").status_code == 302
    assert parse(chair.get(f"/insight?{query(area='all')}")).select_one("[data-testid=headlines]") is not None


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((31, 2, 2025), (30, 6, 2025), "From must be a real date"),
        (("", "", ""), (30, 6, 2025), "Enter the first day of the period"),
        ((1, 7, 2025), (30, 6, 2025), "The last day must be the same as or after the first day"),
        ((1, 1, 2000), (30, 6, 2025), "Choose a period of 10 years or less"),
    ],
)
def test_a_bad_period_is_explained_on_the_form(app, dataset, start, end, message):
    client = sign_in_as(app.test_client(), dataset["chair"])
    response = client.get(f"/insight?{query(start=start, end=end)}")
    assert response.status_code == 200
    assert message in parse(response).select_one(".govuk-error-summary").get_text()


def test_the_default_is_the_last_twelve_months_of_the_first_locality(app, dataset):
    client = sign_in_as(app.test_client(), dataset["chair"])
    page = parse(client.get("/insight"))
    start, end = InsightForm.default_period(date.today())
    scope = page.select_one("[data-testid=insight-scope]").get_text(strip=True)
    assert scope == f"Durham, {format_date(start)} to {format_date(end)}"
    assert (end - start).days in (364, 365)
