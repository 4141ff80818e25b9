"""Kinds of meeting beside the LEHC (issue 15): a coordinator schedules the weekly step up / step down meeting, its
discussions record its own decisions, and its pages, invitations and Word files name it."""

import io
from datetime import date, timedelta

from docx import Document
from sqlalchemy import select

from lehc.meetings.scheduling import blocked_days, next_working_day
from lehc.models import LEHC, STEP, Decision, Meeting, OutboxMessage, Role
from tests.conftest import parse, sign_in_as
from tests.integration.meetings.test_meetings import next_weekday, series_form

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
    from lehc.meetings.services import meeting_kind, new_meeting, publish_agenda

    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    day = date.today() + timedelta(days=3)
    meeting = new_meeting(
        factories.locality("DUR"),
        day,
        factories.meeting().starts_at.time(),
        60,
        venue="Durham Family Hub",
        online_link="",
        organiser=coordinator,
        kind=meeting_kind(STEP),
    )
    db.session.commit()
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
    saved = client.post(
        url, data={"decision": Decision.STEP_DOWN.value, "worries": "Worries", "version": "0", "submit": "y"} | ACTIONS
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert item.discussion.decision is Decision.STEP_DOWN
    assert "Step down to early help with a lead practitioner" in client.get(f"/meetings/{meeting.id}/minutes").text

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

    publish_agenda(meeting, coordinator)
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.calendar.is_not(None))).all()
    assert mails and all(m.subject.startswith("Invitation: Durham step up / step down, ") for m in mails)
    assert all(m.body.startswith("Durham Step up and step down meeting\n") for m in mails)
    assert all("SUMMARY:Durham Step up and step down meeting" in m.calendar for m in mails)
