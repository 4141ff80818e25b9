"""Reminders queued by the scheduled job and read back at a real SMTP server: each kind reaches the right person at the
right time, names references and dates only, is never sent twice for one reason, and can be switched off."""

from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from lehc.mail import send_outbox
from lehc.meetings import services
from lehc.meetings.scheduling import bank_holidays
from lehc.models import Action, MeetingStatus, ReminderKind, ReminderSent, Role
from lehc.reminders import queue_reminders, working_days_between
from tests.conftest import sign_in_as

NAMES = ["Kayden", "Smith", "attendance worries", "Call the mum"]


def working_day(start: date, count: int) -> date:
    """`count` working days after (or, negative, before) `start`."""
    holidays = bank_holidays(range(start.year - 1, start.year + 2))
    day, step = start, 1 if count >= 0 else -1
    for _ in range(abs(count)):
        day += timedelta(days=step)
        while day.weekday() >= 5 or day in holidays:
            day += timedelta(days=step)
    return day


@pytest.fixture
def today() -> date:
    """A working day, Monday to Thursday, whose next working day is in the same week: the digest goes once a week
    from the first working day, so a Friday's next run would rightly send the next week's."""
    day = working_day(date.today() - timedelta(days=1), 1)
    while day.weekday() > 3 or working_day(day, 1).isocalendar()[1] != day.isocalendar()[1]:
        day = working_day(day, 1)
    return day


@pytest.fixture
def county(factories, db, today):
    chair = factories.user(Role.CHAIR, seat="Chair")
    health = factories.user(Role.MEMBER, seat="Health")
    presenter = factories.user(Role.MEMBER, seat="School")
    # minutes of a meeting held six working days ago, published and never approved
    held = factories.meeting("DUR", day=working_day(today, -6))
    factories.item(held, reference="DUR-2026-0001", title="Smith family: attendance worries", presenter=presenter)
    services.publish_agenda(held, held.organiser)
    held.status = MeetingStatus.HELD
    # a meeting in two working days with agency checks nobody answered
    soon = factories.meeting("DUR", day=working_day(today, 2))
    factories.item(soon, reference="DUR-2026-0002", title="Smith family again", presenter=presenter)
    services.publish_agenda(soon, soon.organiser)
    # a draft agenda that closes tomorrow (7 days before the meeting, the default)
    draft = factories.meeting("DUR", day=working_day(today, 1) + timedelta(days=7))
    factories.item(draft, reference="DUR-2026-0003", title="Kayden Smith: attendance worries", presenter=presenter)
    # an overdue action and one due this week
    db.session.add(Action(meeting=held, description="Call the mum", owner=health, due_on=today - timedelta(days=3)))
    db.session.add(
        Action(meeting=held, description="Call the mum again", owner=health, due_on=today + timedelta(days=4))
    )
    db.session.commit()
    return chair, health, presenter, held, soon, draft


def run(db, smtp, today) -> list:
    queue_reminders(current_app.config, today=today)
    db.session.commit()
    before = len(smtp.messages)
    report = send_outbox({**current_app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})
    assert report.error == ""
    # the published agendas' invitations go too: keep the reminders
    return [m for m in smtp.messages[before:] if str(m["Subject"]).startswith(("Reminder", "Your LEHC actions"))]


def by_recipient(messages, address) -> dict[str, object]:
    return {str(m["Subject"]): m for m in messages if m["To"] == address}


def test_each_reminder_reaches_its_person_with_references_and_dates_only(app, db, county, smtp, today):
    chair, health, presenter, held, soon, draft = county
    messages = run(db, smtp, today)

    [approve] = [s for s in by_recipient(messages, chair.email) if s.startswith("Reminder: minutes")]
    assert approve == f"Reminder: minutes of Durham LEHC, {held.day:%-d %B %Y}, are not approved"
    body = by_recipient(messages, chair.email)[approve].get_content()
    assert "6 working days after" in body and f"/meetings/{held.id}/minutes" in body

    checks = [s for s in by_recipient(messages, health.email) if "agency check" in s]
    assert checks == [f"Reminder: 1 agency check before Durham LEHC, {soon.day:%-d %B %Y}"]
    assert "Discussion DUR-2026-0002" in by_recipient(messages, health.email)[checks[0]].get_content()

    [closing] = [s for s in by_recipient(messages, presenter.email) if "agenda" in s]
    closes = draft.day - timedelta(days=7)
    assert closing == f"Reminder: the agenda for Durham LEHC closes {closes:%-d %B %Y}"
    assert "Discussion DUR-2026-0003" in by_recipient(messages, presenter.email)[closing].get_content()

    [digest] = [s for s in by_recipient(messages, health.email) if s.startswith("Your LEHC actions")]
    assert digest == "Your LEHC actions: 1 overdue, 1 due this week"
    digest_body = by_recipient(messages, health.email)[digest].get_content()
    assert f"Meeting action, due {(today - timedelta(days=3)):%-d %B %Y}" in digest_body

    for message in messages:  # names references and dates only: no family, no title, no action's words
        text = str(message["Subject"]) + message.get_content()
        for detail in NAMES:
            assert detail not in text, (detail, message["Subject"])
        assert "/profile" in text  # where to switch it off

    # run again the same day, and again the next: nothing is sent twice for the same reason
    assert run(db, smtp, today) == []
    again = run(db, smtp, working_day(today, 1))
    assert not [m for m in again if "agency check" in str(m["Subject"]) or "Your LEHC actions" in str(m["Subject"])]
    rows = db.session.scalar(select(func.count()).select_from(ReminderSent))
    assert rows == len(messages) + len(again)


def test_a_member_is_reminded_of_the_checks_their_seats_agency_owes(app, db, county, factories, smtp, today):
    """A member answers for the agency of their seat (policy.member_agency), whatever agency their account names:
    the reminder reaches them for that agency's checks."""
    from lehc.meetings.services.agency_checks import request_checks

    soon = county[4]
    teacher = factories.user(Role.MEMBER, seat="Education representative")
    teacher.agency = factories.agency("Durham Works")  # not asked about anyone
    assert request_checks(soon) == 1  # the schools are now at the table: their check is asked
    db.session.commit()
    messages = run(db, smtp, today)
    checks = [s for s in by_recipient(messages, teacher.email) if "agency check" in s]
    assert checks == [f"Reminder: 1 agency check before Durham LEHC, {soon.day:%-d %B %Y}"]


def test_a_kind_switched_off_on_the_profile_page_is_not_sent(app, db, county, smtp, today):
    chair, health, presenter, *_ = county
    client = sign_in_as(app.test_client(), health)
    page = client.get("/profile").get_data(as_text=True)
    assert page.count('name="kinds"') == len(ReminderKind) and page.count("checked") >= len(ReminderKind)
    kept = [kind.value for kind in ReminderKind if kind is not ReminderKind.AGENCY_CHECKS]
    response = client.post("/profile/reminders", data={"kinds": kept})
    assert response.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert f'value="{ReminderKind.AGENCY_CHECKS.value}" checked' not in page
    messages = run(db, smtp, today)
    subjects = list(by_recipient(messages, health.email))
    assert subjects and not [s for s in subjects if "agency check" in s]
    assert any(s.startswith("Your LEHC actions") for s in subjects)  # the others still come


def test_a_made_up_kind_is_an_error_on_the_form(app, db, county):
    client = sign_in_as(app.test_client(), county[1])
    response = client.post("/profile/reminders", data={"kinds": ["agency_checks", "everything"]})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_working_days_skip_weekends_and_bank_holidays():
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1  # Christmas, Boxing Day substitute
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1  # Friday to Monday
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 27)) == -1


def test_the_meeting_page_says_when_the_agenda_closes(app, db, county):
    *_, draft = county
    page = sign_in_as(app.test_client(), draft.organiser).get(f"/meetings/{draft.id}").get_data(as_text=True)
    closes = draft.day - timedelta(days=7)
    assert "Agenda closes" in page and f"{closes:%-d %B %Y}" in page


def test_unticking_every_kind_switches_every_reminder_off(app, db, county, smtp, today):
    health = county[1]
    client = sign_in_as(app.test_client(), health)
    assert client.post("/profile/reminders", data={}).status_code == 302  # no box ticked: the browser sends none
    assert by_recipient(run(db, smtp, today), health.email) == {}
