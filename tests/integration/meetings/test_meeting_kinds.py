"""Kinds of meeting beside the LEHC (issue 15): a coordinator schedules the weekly step up / step down meeting, its
discussions record its own decisions, and its pages, invitations and Word files name it."""

import io
from datetime import date, time, timedelta

from docx import Document
from sqlalchemy import select

from lehc.dates import format_date, format_plain_date
from lehc.meetings.scheduling import blocked_days, next_working_day
from lehc.models import FORUM, LEHC, STEP, AuditEvent, Decision, Meeting, MembershipKind, OutboxMessage, Role
from tests.conftest import parse, sign_in_as
from tests.integration.meetings.test_meetings import next_weekday, series_form
from tests.integration.minutes.world import docx_text

ACTIONS = {f"new_actions-{index}-{field}": "0" for index in range(2) for field in ("owner_id", "owner_agency_id")}


def checked(page, name: str) -> str:
    return page.select_one(f"input[name={name}][checked]")["value"]


def test_a_coordinator_schedules_weekly_step_up_step_down_meetings_beside_the_lehc(app, db, factories):
    durham = factories.locality("DUR")
    client = sign_in_as(app.test_client(), factories.user(Role.COORDINATOR, locality="DUR"))
    page = parse(client.get(f"/localities/{durham.id}/series/new"))
    assert [label.get_text(strip=True) for label in page.select("#kind_code ~ * label, [name=kind_code] + label")] == [
        "Locality Early Help Conversation",
        "Step up and step down meeting",
    ]
    assert (checked(page, "kind_code"), checked(page, "frequency")) == (LEHC, "fortnightly")
    page = parse(client.get(f"/localities/{durham.id}/series/new?kind=step"))
    assert (checked(page, "kind_code"), checked(page, "frequency")) == (STEP, "weekly")  # its usual pattern

    lehc = factories.meeting("DUR", day=next_weekday(2) + timedelta(weeks=1))
    first = next_weekday(0)
    form = series_form(first, kind_code=STEP, frequency="weekly", occurrences="4", preview=None, save="Save series")
    del form["preview"]
    response = client.post(f"/localities/{durham.id}/series/new", data=form)
    assert response.status_code == 302
    steps = db.session.scalars(select(Meeting).where(Meeting.kind_code == STEP).order_by(Meeting.starts_at)).all()
    weekly = [first + timedelta(weeks=n) for n in range(4)]
    holidays = blocked_days(weekly, {})  # a bank holiday moves to the next working day
    assert [meeting.day for meeting in steps] == [next_working_day(d, holidays) if d in holidays else d for d in weekly]
    assert all(meeting.series.kind_code == STEP for meeting in steps)
    assert [item.title for item in steps[0].items] == ["Welcome and apologies", "Actions from last week"]
    locality = client.get(response.headers["Location"])
    assert "4 meetings scheduled for Durham step up / step down" in locality.text
    rows = parse(locality).select("table tbody tr")
    kinds = [row.select("td")[1].get_text(strip=True) for row in rows]
    assert sorted(kinds) == ["LEHC"] + ["step up / step down"] * 4  # a column for the kind, as the kinds are mixed
    assert steps[0].reference == f"DUR-STEP-{first:%Y%m%d}" and lehc.reference.startswith("DUR-LEHC-")

    single = {
        "kind_code": STEP,
        "day": [str(first.day), str(first.month), str(first.year)],
        "start_time": "15:00",
        "duration_minutes": "60",
        "venue": "Durham Family Hub",
        "online_link": "",
    }
    response = client.post(f"/localities/{durham.id}/meetings/new", data=single)
    assert db.session.get(Meeting, int(response.headers["Location"].rsplit("/", 1)[1])).kind_code == STEP
    page = parse(client.post(f"/localities/{durham.id}/meetings/new", data={**single, "kind_code": "forum"}))
    errors = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert errors == ["Select one of the kinds of meeting listed"]


def test_a_step_meeting_records_its_own_decisions_and_its_word_files_and_invites_name_it(app, db, factories):
    from lehc.meetings.services import publish_agenda

    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    day = date.today() + timedelta(days=3)
    meeting = step_meeting(factories, coordinator, day)
    item = factories.item(meeting, reference="DUR-2026-0042")
    client = sign_in_as(app.test_client(), coordinator)
    url = f"/meetings/{meeting.id}/items/{item.id}/discussion"
    page = parse(client.get(url))
    assert [label.get_text(strip=True) for label in page.select("[name=decision] + label")] == [
        "Referral to Children's Social Care",
        "Step down to early help with a lead practitioner",
        "Team Around the Family with a lead practitioner",
        "No further action",
    ]
    refused = client.post(url, data={"decision": Decision.REVIEW.value, "version": "0", "submit": "y"} | ACTIONS)
    assert refused.status_code == 200  # the form again, with its error
    error = parse(refused).select_one(".govuk-error-summary a").get_text(strip=True)
    assert error == "Select one of the decisions listed"
    assert not page.select("[name=step_up_answer]")  # the decision is the move: no separate step-up question
    stays = {"decision": Decision.TAF.value, "worries": "Worries", "version": "0", "submit": "y"} | ACTIONS
    saved = client.post(url, data=stays | {"score_group": "1"})  # a score that asks an LEHC about stepping up
    assert saved.status_code == 302
    db.session.expire_all()
    assert item.discussion.decision is Decision.TAF
    assert "Team Around the Family with a lead practitioner" in client.get(f"/meetings/{meeting.id}/minutes").text

    response = client.get(f"/meetings/{meeting.id}/minutes.docx")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="LEHC-step-minutes-durham-{day.isoformat()}.docx"'
    )
    document = Document(io.BytesIO(response.data))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Durham Step up and step down meeting: minutes"
    ]
    agenda = Document(io.BytesIO(client.get(f"/meetings/{meeting.id}/agenda.docx").data))
    assert [p.text for p in agenda.paragraphs if p.style.name == "Heading 1"] == [
        "Durham Step up and step down meeting: agenda"
    ]

    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")  # in one of the kind's seats
    publish_agenda(meeting, coordinator)
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.calendar.is_not(None))).all()
    assert {m.recipient for m in mails} == {chair.email}
    assert mails and all(m.subject.startswith("Invitation: Durham step up / step down, ") for m in mails)
    assert all(m.body.startswith("Durham Step up and step down meeting\n") for m in mails)
    assert all("SUMMARY:Durham Step up and step down meeting" in m.calendar for m in mails)


def step_meeting(factories, coordinator, day: date):
    from lehc.meetings.services import meeting_kind, new_meeting

    meeting = new_meeting(
        factories.locality("DUR"),
        day,
        time(11, 0),
        60,
        venue="Durham Family Hub",
        online_link="",
        organiser=coordinator,
        kind=meeting_kind(STEP),
    )
    factories.session.commit()
    return meeting


def errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in parse(response).select(".govuk-error-summary a")]


def test_a_step_meeting_records_a_step_up_then_a_step_down_and_the_family_page_shows_them_in_order(app, db, factories):
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    lead = factories.user(Role.MEMBER, locality=None)
    family = factories.family("DUR", reference="DUR-2026-0077")
    up_day, down_day = date.today() - timedelta(days=14), date.today() + timedelta(days=2)
    up_item = factories.item(step_meeting(factories, coordinator, up_day), family=family)
    down_item = factories.item(step_meeting(factories, coordinator, down_day), family=family)
    lehc_day = up_day - timedelta(days=7)
    factories.item(factories.meeting("DUR", day=lehc_day), family=family)  # where the family was first discussed
    client = sign_in_as(app.test_client(), coordinator)
    base = {"version": "0", "submit": "y", "worries": "Worries"} | ACTIONS

    url = f"/meetings/{up_item.meeting_id}/items/{up_item.id}/discussion"
    page = parse(client.get(url))
    assert {"referred_on", "move_reason", "allocated_lead_id", "handover_on"} <= {
        field["name"] for field in page.select("[name]")
    }
    step_up = base | {"decision": Decision.SOCIAL_CARE.value}
    assert errors(client.post(url, data=step_up)) == [
        "Enter the date the family was referred to Children's Social Care",
        "Enter why the family steps up to Children's Social Care",
    ]
    tomorrow = date.today() + timedelta(days=1)
    future = step_up | {"referred_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)], "move_reason": "x"}
    assert errors(client.post(url, data=future)) == ["Date referred must be today or in the past"]
    referred = up_day + timedelta(days=1)
    step_up |= {"referred_on": [str(referred.day), str(referred.month), referred.year], "move_reason": "Harm disclosed"}
    assert client.post(url, data=step_up).status_code == 302

    url = f"/meetings/{down_item.meeting_id}/items/{down_item.id}/discussion"
    step_down = base | {"decision": Decision.STEP_DOWN.value}
    assert errors(client.post(url, data=step_down)) == [
        "Choose the lead practitioner allocated",
        "Enter the date of the handover meeting",
    ]
    before = down_day - timedelta(days=1)
    early = step_down | {"allocated_lead_id": str(lead.id), "handover_on": [before.day, before.month, before.year]}
    assert errors(client.post(url, data=early)) == ["Handover meeting must be on or after the day of this meeting"]
    handover = down_day + timedelta(days=5)
    step_down |= {"allocated_lead_id": str(lead.id), "handover_on": [handover.day, handover.month, handover.year]}
    assert client.post(url, data=step_down).status_code == 302

    db.session.expire_all()
    assert (up_item.discussion.referred_on, up_item.discussion.move_reason) == (referred, "Harm disclosed")
    assert up_item.discussion.allocated_lead_id is None and up_item.discussion.handover_on is None
    assert (down_item.discussion.allocated_lead_id, down_item.discussion.handover_on) == (lead.id, handover)
    assert family.lead_practitioner_id == lead.id  # the step down allocated the family's lead practitioner
    assert (
        db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.object_type == "family", AuditEvent.action == "update")
        )
        == f"lead practitioner allocated on stepping down: user {lead.id}"
    )

    expected = [
        [
            format_date(up_day),
            "Stepped up to Children's Social Care",
            f"Referred on {format_plain_date(referred)}. Reason: Harm disclosed",
        ],
        [
            format_date(down_day),
            "Stepped down to early help",
            f"Lead practitioner: {lead.name}. Handover meeting: {format_plain_date(handover)}",
        ],
    ]
    for reader in (coordinator, lead):  # the lead practitioner allocated now sees the family's record too
        page = parse(sign_in_as(app.test_client(), reader).get(f"/families/{family.id}"))
        rows = page.select("[data-testid=moves] tbody tr")
        assert [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in rows] == expected
        headings = [h.contents[0].strip().rstrip("–").strip() for h in page.select(".lehc-discussion h3")]
        assert sorted(headings) == sorted(  # which kind of meeting each discussion was at, as the kinds are mixed
            [f"{format_date(lehc_day)}, LEHC: New"]
            + [f"{format_date(day)}, step up / step down: New" for day in (up_day, down_day)]
        )

    minutes = parse(client.get(f"/meetings/{down_item.meeting_id}/minutes"))
    move = minutes.select_one("[data-testid=move]").get_text(" ", strip=True)
    assert move == f"Move: Stepped down to early help. {expected[1][2]}"
    document = Document(io.BytesIO(client.get(f"/meetings/{down_item.meeting_id}/minutes.docx").data))
    assert f"Lead practitioner: {lead.name}. Handover meeting: {format_plain_date(handover)}" in docx_text(document)
    export = sign_in_as(app.test_client(), lead).get(f"/families/{family.id}/subject-access.json").get_json()
    assert sorted(d["move"] for d in export["discussions"] if d["move"]) == [
        f"Stepped down to early help. {expected[1][2]}",
        f"Stepped up to Children's Social Care. {expected[0][2]}",
    ]


def test_an_lehc_discussion_asks_nothing_of_moves(app, db, factories):
    meeting = factories.meeting("DUR")
    item = factories.item(meeting)
    client = sign_in_as(app.test_client(), meeting.organiser)
    url = f"/meetings/{meeting.id}/items/{item.id}/discussion"
    names = {field["name"] for field in parse(client.get(url)).select("[name]")}
    assert not names & {"referred_on", "move_reason", "allocated_lead_id", "handover_on"}
    response = client.post(
        url, data={"decision": Decision.SOCIAL_CARE.value, "version": "0", "submit": "y", "worries": "W"} | ACTIONS
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert item.discussion.decision is Decision.SOCIAL_CARE and item.discussion.referred_on is None
    family_page = parse(client.get(f"/families/{item.family_id}"))
    assert family_page.select_one("[data-testid=moves]") is None  # a referral at an LEHC is not a step up move


def test_a_step_meeting_invites_its_kinds_seats_and_an_administrator_chooses_them_per_locality(app, db, factories):
    from lehc.meetings.services import expected_attendance, invitees, kind_seat_ids
    from lehc.reference_data import seed_reference_data

    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    advisor = factories.user(Role.MEMBER, locality="DUR", seat="One Point Early Help Advisor")
    school = factories.user(Role.MEMBER, locality="DUR", seat="Education representative")
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    social_care = factories.user(  # called on at the LEHC, at the table of every step meeting
        Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Children's Social Care Team Manager"
    )
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    factories.user(Role.MEMBER, locality="EAS", seat="Education representative")  # Durham's own seats are not hers
    step = step_meeting(factories, coordinator, date.today() + timedelta(days=3))
    lehc = factories.meeting("DUR", organiser=coordinator)
    eas_step = factories.meeting("EAS", kind=STEP)

    def invited(meeting) -> set:
        db.session.expire_all()
        return {invitee.user for invitee in invitees(meeting) if invitee.whole_meeting}

    assert invited(step) == {chair, advisor, social_care}  # not the whole LEHC table, every week
    assert invited(lehc) == {chair, advisor, school, coordinator}  # the LEHC as it was
    assert [seat.seat_name for seat in expected_attendance(step)] == [
        "Family Hub Team Manager",
        "One Point Early Help Advisor",
        "Children's Social Care Team Manager",
    ]
    client = sign_in_as(app.test_client(), coordinator)
    page = parse(client.get(f"/meetings/{step.id}/items/new"))
    called = {label.get_text(strip=True) for label in page.select("[name=call_on] + label")}
    assert called == {  # the locality's other members may be called on for a family
        f"{school.name}, CAMHS (Education representative)",
        f"{police.name}, CAMHS (Neighbourhood Police Team)",
        f"{coordinator.name}, CAMHS (core)",
    }
    lehc_page = parse(client.get(f"/meetings/{lehc.id}/items/new"))
    assert {label.get_text(strip=True) for label in lehc_page.select("[name=call_on] + label")} == {
        f"{police.name}, CAMHS (Neighbourhood Police Team)",
        f"{social_care.name}, CAMHS (Children's Social Care Team Manager)",
    }

    admin = sign_in_as(app.test_client(), factories.user(Role.ADMIN, locality=None))
    durham = factories.locality("DUR")
    url = f"/admin/localities/{durham.id}/meeting-kinds/{STEP}/seats"
    page = parse(admin.get(url))
    assert {box.find_next("label").get_text(strip=True) for box in page.select("[name=seats][checked]")} == {
        "Family Hub Team Manager",
        "One Point Early Help Advisor",
        "Children's Social Care Team Manager (call-on at LEHC)",
    }
    offered = [box.find_next("label").get_text(strip=True) for box in page.select("[name=seats]")]
    assert "Neighbourhood Police Team (call-on at LEHC)" in offered and len(offered) == 16  # every seat
    forum_seats = parse(admin.get(f"/admin/meeting-kinds/{FORUM}/seats")).select("[name=seats]")
    assert len(forum_seats) == 9  # an area's meeting seats core members only: only they sit in the area
    assert errors(admin.post(url, data={})) == ["Select at least one seat"]
    seats = {box.find_next("label").get_text(strip=True): box["value"] for box in page.select("[name=seats]")}
    chosen = [seats["Family Hub Team Manager"], seats["Education representative"]]
    assert admin.post(url, data={"seats": chosen}).status_code == 302
    assert invited(step) == {chair, school}  # Durham's own choice
    assert invited(eas_step) == set()  # Easington keeps the default: its education representative is not invited
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.object_type == "kind_seats")) == (
        "step, DUR: Family Hub Team Manager, Education representative"
    )
    summary = parse(admin.get(f"/admin/localities/{durham.id}/edit")).select_one("[data-testid=locality-kind-seats]")
    assert "Family Hub Team Manager, Education representative" in summary.get_text(" ", strip=True)

    assert admin.post(f"{url}/clear").status_code == 302
    assert invited(step) == {chair, advisor, social_care}  # the county default again
    assert admin.post(f"/admin/meeting-kinds/{STEP}/seats/clear").status_code == 302
    assert invited(step) == {chair, advisor, school, coordinator}  # no seats: every core member, as the LEHC
    assert kind_seat_ids(STEP, durham.id) == set()
    seed_reference_data(db.session)  # seeding again keeps the administrator's choice of no seats
    assert kind_seat_ids(STEP, durham.id) == set()
    assert sign_in_as(app.test_client(), chair).get(url).status_code == 403


def test_my_meetings_and_my_calendar_hold_the_step_meeting_for_those_it_invites_only(app, db, factories):
    """A core member without a step seat may open the step meeting, but is not invited to it: neither the home
    page's "My meetings" nor their calendar feed lists it (nor asks them to reply); its seat holders' do."""
    from icalendar import Calendar

    from lehc.meetings.services import publish_agenda

    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    school = factories.user(Role.MEMBER, locality="DUR", seat="Education representative")
    social_care = factories.user(
        Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Children's Social Care Team Manager"
    )
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    step = step_meeting(factories, coordinator, date.today() + timedelta(days=3))
    lehc = factories.meeting("DUR", organiser=coordinator, day=date.today() + timedelta(days=5))
    for meeting in (step, lehc):
        publish_agenda(meeting, coordinator)
    db.session.commit()

    def listed(user) -> tuple[list[str], list[str]]:
        client = sign_in_as(app.test_client(), user)
        home = parse(client.get("/")).select_one("[data-testid=my-meetings]")
        mine = [item.a.get_text(strip=True).split(":")[0] for item in home.select("li")] if home else []
        client.post("/profile/calendar-link")
        db.session.expire_all()
        token = db.session.get(type(user), user.id).calendar_token
        feed = Calendar.from_ical(app.test_client().get(f"/calendar/{token}.ics").data)
        return mine, sorted(str(event["SUMMARY"]) for event in feed.walk("VEVENT"))

    step_name, lehc_name = step.name, lehc.name
    assert listed(school) == ([lehc_name], ["Durham Locality Early Help Conversation"])
    assert listed(social_care) == ([step_name], ["Durham Step up and step down meeting"])
    chair_home, chair_feed = listed(chair)
    assert chair_home == [step_name, lehc_name]
    assert chair_feed == ["Durham Locality Early Help Conversation", "Durham Step up and step down meeting"]
    page = sign_in_as(app.test_client(), school).get(f"/meetings/{step.id}")
    assert page.status_code == 200  # a core member may still see it (policy.sits_at_meeting)
