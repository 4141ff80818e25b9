"""The Early Help Forums (issue 15): an area's meeting once a school term, scheduled by a chair or coordinator of
one of its localities, open to the core members of every locality in the area and to nobody else, with an agenda
of presentation and partnership items whose presenters need not use LEHC."""

import io
from datetime import date, timedelta

from docx import Document
from sqlalchemy import select

from lehc.dates import format_date
from lehc.meetings.services import add_presentation, publish_agenda
from lehc.models import (
    FORUM,
    Area,
    AuditEvent,
    ForumContact,
    ItemKind,
    Meeting,
    MembershipKind,
    OutboxMessage,
    Role,
    SchoolTerm,
)
from tests.conftest import parse, sign_in_as
from tests.integration.minutes.world import docx_text

CENTRAL = "Central and East Durham"  # Durham and Easington, as seeded


def errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in parse(response).select(".govuk-error-summary a")]


def area(db, name: str) -> Area:
    return db.session.scalar(select(Area).where(Area.name == name))


def weekday_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def terms(db) -> tuple[SchoolTerm, SchoolTerm]:
    """This term (a month in, two months to go) and next, with a fortnight's holiday between."""
    today = date.today()
    this = SchoolTerm(name="Autumn term 2026", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=60))
    after = SchoolTerm(
        name="Spring term 2027", starts_on=this.ends_on + timedelta(days=15), ends_on=this.ends_on + timedelta(days=110)
    )
    db.session.add_all([this, after])
    db.session.commit()
    return this, after


def forum_form(day: date, **changes: str) -> dict:
    form = {
        "day": [str(day.day), str(day.month), str(day.year)],
        "start_time": "13:30",
        "duration_minutes": "150",
        "venue": "Seaham Leisure Centre",
        "online_link": "",
    }
    return {**form, **changes}


def test_a_coordinator_schedules_an_area_forum_once_in_each_school_term(app, db, factories):
    this, after = terms(db)
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    client = sign_in_as(app.test_client(), coordinator)
    central, north = area(db, CENTRAL), area(db, "North Durham")
    listing = parse(client.get("/meetings"))
    links = [a.get_text(" ", strip=True) for a in listing.select("a[href*='/forums/new']")]
    assert links == [f"schedule a forum for {CENTRAL}"]  # Durham is in Central and East Durham only
    assert client.get(f"/areas/{north.id}/forums/new").status_code == 403
    member = sign_in_as(app.test_client(), factories.user(Role.MEMBER, locality="DUR"))
    assert member.get(f"/areas/{central.id}/forums/new").status_code == 403  # members do not schedule
    # the locality's own forms offer the locality's kinds only
    series = parse(client.get(f"/localities/{factories.locality('DUR').id}/series/new"))
    assert [box["value"] for box in series.select("[name=kind_code]")] == ["lehc", "step"]

    url = f"/areas/{central.id}/forums/new"
    page = parse(client.get(url))
    assert page.h1.get_text(strip=True) == "Schedule an Early Help Forum"
    rows = [[td.get_text(strip=True) for td in row.select("td")] for row in page.select("[data-testid=terms] tbody tr")]
    assert rows == [
        ["Autumn term 2026", format_date(this.starts_on), format_date(this.ends_on)],
        ["Spring term 2027", format_date(after.starts_on), format_date(after.ends_on)],
    ]
    assert "Durham, Easington" in page.get_text()

    holiday = this.ends_on + timedelta(days=5)
    assert errors(client.post(url, data=forum_form(holiday))) == [
        "Date must be in a school term: choose a day from the terms listed"
    ]
    first_day = weekday_after(date.today() + timedelta(days=20))
    response = client.post(url, data=forum_form(first_day))
    assert response.status_code == 302
    forum = db.session.get(Meeting, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (forum.kind_code, forum.area.name, forum.locality.code, forum.day) == (FORUM, CENTRAL, "DUR", first_day)
    assert forum.name == "Central and East Durham Early Help Forum"
    assert forum.reference == f"DUR-FORUM-{first_day:%Y%m%d}"
    assert [item.title for item in forum.items] == ["Welcome and introductions", "Safeguarding partnership update"]
    page = client.get(response.headers["Location"])
    assert "Central and East Durham Early Help Forum scheduled" in page.text
    assert parse(page).select_one(".govuk-caption-l").get_text(strip=True) == "Central and East Durham Early Help Forum"

    again = weekday_after(first_day + timedelta(days=14))
    assert errors(client.post(url, data=forum_form(again))) == [
        f"Central and East Durham already has an Early Help Forum in the Autumn term 2026, on {format_date(first_day)}"
    ]
    assert errors(client.post(url, data=forum_form(again, start_time=""))) == ["Enter the start time"]
    next_term = weekday_after(after.starts_on + timedelta(days=7))
    assert client.post(url, data=forum_form(next_term)).status_code == 302
    # rescheduling keeps the rule: not into the holidays, and not beside the next term's forum
    reschedule = f"/meetings/{forum.id}/reschedule"
    moved = {**forum_form(next_term + timedelta(days=1)), "version": str(forum.version)}
    assert errors(client.post(reschedule, data=moved)) == [
        f"Central and East Durham already has an Early Help Forum in the Spring term 2027, on {format_date(next_term)}"
    ]
    moved = {**forum_form(weekday_after(first_day + timedelta(days=3))), "version": str(forum.version)}
    assert client.post(reschedule, data=moved).status_code == 302


def test_no_terms_yet_is_said_plainly(app, db, factories):
    client = sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="EAS"))
    page = client.get(f"/areas/{area(db, CENTRAL).id}/forums/new")
    assert "No school terms are set up yet. Ask an administrator to add this year’s terms." in page.text
    day = weekday_after(date.today() + timedelta(days=10))
    assert errors(client.post(f"/areas/{area(db, CENTRAL).id}/forums/new", data=forum_form(day))) == [
        "Date must be in a school term: choose a day from the terms listed"
    ]


def test_the_forum_is_the_whole_areas_and_only_the_areas(app, db, factories):
    terms(db)
    host = factories.user(Role.COORDINATOR, locality="DUR")
    forum = factories.meeting("DUR", kind=FORUM, area=CENTRAL, organiser=host)
    durham_core = factories.user(Role.MEMBER, locality="DUR", seat="Education representative")
    easington_core = factories.user(Role.MEMBER, locality="EAS", seat="CAMHS")
    easington_chair = factories.user(Role.CHAIR, locality="EAS", seat="Family Hub Team Manager")
    easington_call_on = factories.user(Role.MEMBER, locality="EAS", kind=MembershipKind.CALL_ON)
    derwentside_core = factories.user(Role.MEMBER, locality="DWS", seat="Education representative")
    lehc = factories.meeting("EAS", day=forum.day + timedelta(days=1))

    def sees(user) -> tuple[int, bool]:
        client = sign_in_as(app.test_client(), user)
        listed = f"/meetings/{forum.id}" in client.get("/meetings?when=upcoming").text
        return client.get(f"/meetings/{forum.id}").status_code, listed

    assert sees(durham_core) == (200, True)
    assert sees(easington_core) == (200, True)
    assert sees(easington_chair) == (200, True)
    assert sees(easington_call_on) == (404, False)  # called on for families, not a member of the area's table
    assert sees(derwentside_core) == (404, False)  # North Durham
    # only the host locality's chairs and coordinators run it; the forum is no locality meeting's action review
    other_chair = sign_in_as(app.test_client(), easington_chair)
    assert other_chair.get(f"/meetings/{forum.id}/presentations/new").status_code == 403
    assert other_chair.get(f"/meetings/{lehc.id}").status_code == 200

    publish_agenda(forum, host)
    db.session.commit()
    page = parse(sign_in_as(app.test_client(), host).get(f"/meetings/{forum.id}"))
    seats = [row.td.get_text(strip=True) for row in page.select("[data-testid=attendance] tbody tr") if row.td]
    text = page.get_text(" ", strip=True)
    assert "Nobody in this seat" not in text, text[text.find("Expected") :][:600]
    assert seats == ["Family Hub Team Manager", "Education representative", "CAMHS"]  # the seats its members sit
    assert page.find("a", string="Agency checks") is None  # no family to check
    invited = set(db.session.scalars(select(OutboxMessage.recipient)))  # nothing else was sent
    assert {durham_core.email, easington_core.email, easington_chair.email, host.email} <= invited
    assert not {easington_call_on.email, derwentside_core.email} & invited
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert {message.subject.split(",")[0] for message in messages} == {
        "Invitation: Central and East Durham Early Help Forum"
    }
    assert not any("agency checks" in message.body for message in messages)  # a forum has no family to check


def test_a_coordinator_builds_the_forums_agenda_of_presentations(app, db, factories):
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    forum = factories.meeting("DUR", kind=FORUM, area=CENTRAL, organiser=coordinator)
    lehc = factories.meeting("DUR", day=forum.day + timedelta(days=1))
    client = sign_in_as(app.test_client(), coordinator)
    page = parse(client.get(f"/meetings/{forum.id}"))
    buttons = [b.get_text(strip=True) for b in page.select("[data-testid=meeting-actions] .govuk-button")]
    assert "Add a presentation or partnership item" in buttons and "Add a discussion item" not in buttons
    assert client.get(f"/meetings/{forum.id}/items/new").status_code == 404  # a forum discusses no family
    assert client.get(f"/meetings/{lehc.id}/presentations/new").status_code == 404

    url = f"/meetings/{forum.id}/presentations/new"
    blank = {"title": " ", "presenter_name": "", "presenter_organisation": "", "duration_minutes": "200"}
    assert errors(client.post(url, data=blank)) == [
        "Enter a title for the item",
        "Minutes allotted must be between 5 and 120",
    ]
    first = {
        "title": "Changes to the school nursing offer",
        "presenter_name": "Sam Lee",
        "presenter_organisation": "0-25 Family Health Service",
        "duration_minutes": "30",
    }
    second = {
        "title": "Partnership update: domestic abuse",
        "presenter_name": "",
        "presenter_organisation": "Harbour",
        "duration_minutes": "20",
    }
    assert client.post(url, data=first).status_code == 302
    assert client.post(url, data=second).status_code == 302

    def agenda() -> list[list[str]]:
        rows = parse(client.get(f"/meetings/{forum.id}")).select("[data-testid=agenda] tbody tr")
        return [[td.get_text(" ", strip=True) for td in row.select("td")[1:3]] for row in rows]

    assert agenda() == [
        ["Welcome and introductions", ""],
        ["Safeguarding partnership update", ""],
        ["Changes to the school nursing offer", "Sam Lee, 0-25 Family Health Service"],
        ["Partnership update: domestic abuse", "Harbour"],
    ]
    db.session.expire_all()
    talk, update = [item for item in forum.items if item.kind is ItemKind.PRESENTATION]
    assert client.get(f"/meetings/{forum.id}/items/{talk.id}/edit").status_code == 404  # not a family's item
    assert client.post(f"/meetings/{forum.id}/items/{talk.id}/move", data={"direction": "down"}).status_code == 302
    assert [row[0] for row in agenda()][2:] == [
        "Partnership update: domestic abuse",
        "Changes to the school nursing offer",
    ]

    edit = f"/meetings/{forum.id}/presentations/{talk.id}/edit"
    page = parse(client.get(edit))
    assert page.select_one("[name=presenter_name]")["value"] == "Sam Lee"
    changed = {**first, "title": "The new school nursing offer", "version": str(talk.version)}
    assert client.post(edit, data=changed).status_code == 302
    stale = {**first, "title": "An older draft", "version": str(talk.version)}
    assert "Someone else saved this item" in errors(client.post(edit, data=stale))[0]
    assert client.post(f"/meetings/{forum.id}/items/{update.id}/remove").status_code == 302
    assert [row[0] for row in agenda()][2:] == ["The new school nursing offer"]

    document = docx_text(Document(io.BytesIO(client.get(f"/meetings/{forum.id}/agenda.docx").data)))
    assert "Central and East Durham Early Help Forum" in document
    assert "The new school nursing offer" in document and "Sam Lee, 0-25 Family Health Service" in document
    disposition = client.get(f"/meetings/{forum.id}/agenda.docx").headers["Content-Disposition"]
    assert f"LEHC-forum-agenda-central-and-east-durham-{forum.day.isoformat()}.docx" in disposition


def test_a_chair_runs_the_forum_to_approved_minutes_that_the_whole_area_reads(app, db, factories):
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Chair")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    easington = factories.user(Role.MEMBER, locality="EAS", seat="Police")
    derwentside = factories.user(Role.MEMBER, locality="DWS", seat="Police")
    forum = factories.meeting(
        "DUR", kind=FORUM, area=CENTRAL, organiser=coordinator, day=date.today() - timedelta(days=1)
    )
    add_presentation(
        forum,
        title="Changes to the school nursing offer",
        presenter_name="Sam Lee",
        presenter_organisation="0-25 Family Health Service",
        duration_minutes=30,
        by=coordinator,
    )
    publish_agenda(forum, coordinator)
    db.session.commit()
    client = sign_in_as(app.test_client(), coordinator)
    run = parse(client.get(f"/meetings/{forum.id}/run"))
    assert run.h1.get_text(strip=True) == "Run the meeting"
    attendance = {"form": "attendance", f"status-{easington.id}": "present", f"status-{chair.id}": "present"}
    assert client.post(f"/meetings/{forum.id}/run", data=attendance).status_code == 302
    guests = f"/meetings/{forum.id}/minutes/guests"
    page = parse(client.post(guests, data={"name": "", "organisation": "", "sector": ""}))
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "Enter their organisation",
        "Select the sector of their organisation",
    ]
    for guest in (
        {"name": "Sam Lee", "organisation": "0-25 Family Health Service", "sector": "health"},
        {"name": "", "organisation": "Seaham School", "sector": "education"},
        {"name": "", "organisation": "Seaham School", "sector": "education"},
        {"name": "Wrong Person", "organisation": "Nowhere", "sector": "other"},
    ):
        assert client.post(guests, data=guest).status_code == 302
    db.session.expire_all()
    wrong = forum.guests[-1]
    assert client.post(f"{guests}/{wrong.id}/remove").status_code == 302
    rows = parse(client.get(f"/meetings/{forum.id}/run")).select("[data-testid=guests] tbody tr")
    assert [row.td.get_text(strip=True) for row in rows] == ["Sam Lee", "Not recorded", "Not recorded"]
    lehc = factories.meeting("DUR", day=date.today() - timedelta(days=2))
    assert (
        client.post(f"/meetings/{lehc.id}/minutes/guests", data={"organisation": "X", "sector": "other"}).status_code
        == 404
    )
    notes = {"original": run.select_one("form[action$='/minutes/notes'] [name=original]")["value"]}
    client.post(f"/meetings/{forum.id}/minutes/notes", data={**notes, "minutes_notes": "Slides to go to every school."})
    action = {
        "description": "Send the slides to the forum's schools",
        "owner_id": str(coordinator.id),
        "owner_agency_id": "0",
        "due_on": ["1", "2", str(forum.day.year + 1)],
    }
    assert client.post(f"/meetings/{forum.id}/minutes/actions", data=action).status_code == 302
    approver = sign_in_as(app.test_client(), chair)
    assert approver.post(f"/meetings/{forum.id}/minutes/approve").status_code == 302
    db.session.expire_all()
    assert forum.status.value == "minutes_approved"

    reader = sign_in_as(app.test_client(), easington)  # Easington's member reads the area's forum's minutes
    page = parse(reader.get(f"/meetings/{forum.id}/minutes")).get_text(" ", strip=True)
    assert "Changes to the school nursing offer" in page and "Presentation, presented by Sam Lee" in page
    assert "Slides to go to every school." in page and "Send the slides to the forum's schools" in page
    organisations = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in parse(reader.get(f"/meetings/{forum.id}/minutes")).select("[data-testid=organisations] tbody tr")
    ]
    assert ["Seaham School", "2"] in organisations and ["0-25 Family Health Service", "1"] in organisations
    document = docx_text(Document(io.BytesIO(reader.get(f"/meetings/{forum.id}/minutes.docx").data)))
    assert "Central and East Durham Early Help Forum: minutes" in document
    assert "Sam Lee, 0-25 Family Health Service" in document and "Slides to go to every school." in document
    assert "Attendance by organisation" in document and "Seaham School\n2" in document
    locked = client.post(guests, data={"name": "", "organisation": "Late", "sector": "other"})
    assert locked.status_code == 302 and len(db.session.get(Meeting, forum.id).guests) == 3  # approved: no change
    outsider = sign_in_as(app.test_client(), derwentside)
    assert outsider.get(f"/meetings/{forum.id}/minutes").status_code == 404
    assert outsider.get(f"/meetings/{forum.id}/minutes.docx").status_code == 404


def test_the_mailing_list_invites_practitioners_by_address_and_they_leave_with_one_click(app, db, factories, smtp):
    from icalendar import Calendar

    from lehc.mail import send_outbox
    from lehc.meetings.services import cancel

    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    central, north = area(db, CENTRAL), area(db, "North Durham")
    client = sign_in_as(app.test_client(), coordinator)
    url = f"/areas/{central.id}/mailing-list"
    member = sign_in_as(app.test_client(), factories.user(Role.MEMBER, locality="DUR"))
    assert member.get(url).status_code == 403 and client.get(f"/areas/{north.id}/mailing-list").status_code == 403
    assert parse(client.get(url)).select_one("[data-testid=list-size]").get_text(strip=True) == "0 on the list."

    blank = {"email": "", "name": "", "organisation": " ", "sector": ""}
    assert errors(client.post(url, data=blank)) == [
        "Enter their email address",
        "Enter their organisation",
        "Select the sector of their organisation",
    ]
    sam = {"email": "Sam.Lee@Harbour.example", "name": "Sam Lee", "organisation": "Harbour", "sector": "voluntary"}
    assert errors(client.post(url, data={**sam, "email": "sam.lee"})) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert client.post(url, data=sam).status_code == 302
    school = {"email": "head@seaham.example", "name": "", "organisation": "Seaham School", "sector": "education"}
    assert client.post(url, data=school).status_code == 302
    assert errors(client.post(url, data={**sam, "email": "sam.lee@harbour.example"})) == [
        "This address is already on the mailing list"
    ]
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")[:5]]
        for tr in parse(client.get(url)).select("[data-testid=contacts] tbody tr")
    ]
    assert rows == [
        ["sam.lee@harbour.example", "Sam Lee", "Harbour", "Voluntary and community sector", "Subscribed"],
        ["head@seaham.example", "", "Seaham School", "Education", "Subscribed"],
    ]
    listing = parse(client.get("/meetings")).select_one("[data-testid=forum-areas]").get_text(" ", strip=True)
    assert "(2 on it)" in listing

    forum = factories.meeting("DUR", kind=FORUM, area=CENTRAL, organiser=coordinator)
    add_presentation(
        forum,
        title="The new referral pathway",
        presenter_name="Sam Lee",
        presenter_organisation="Harbour",
        duration_minutes=30,
        by=coordinator,
    )
    publish_agenda(forum, coordinator)
    db.session.commit()
    report = send_outbox({**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})
    assert report.failed == 0
    to_sam = next(message for message in smtp.messages if message["To"] == "sam.lee@harbour.example")
    contact = services_contact(db, "sam.lee@harbour.example")
    leave = f"{app.config['BASE_URL'].rstrip('/')}/forum-mailing-list/{contact.unsubscribe_token}"
    assert to_sam["Subject"].startswith("Invitation: Central and East Durham Early Help Forum, ")
    assert to_sam["List-Unsubscribe"] == f"<{leave}>"
    assert to_sam["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = to_sam.get_body(("plain",)).get_content()
    assert (
        "The new referral pathway (Sam Lee, Harbour)" in body and f"To stop getting these invitations: {leave}" in body
    )
    calendar = Calendar.from_ical(to_sam.get_body(("calendar",)).get_content())
    event = next(component for component in calendar.walk("VEVENT"))
    assert str(event["ATTENDEE"]) == "mailto:sam.lee@harbour.example"
    members = [message for message in smtp.messages if message["List-Unsubscribe"] is None]
    assert members and coordinator.email in {message["To"] for message in members}  # LEHC members: no list

    anonymous = app.test_client()
    page = parse(anonymous.get(f"/forum-mailing-list/{contact.unsubscribe_token}"))
    assert page.h1.get_text(strip=True) == "Stop getting forum invitations?"
    assert "sam.lee@harbour.example" in page.get_text()
    # the mail client's one-click unsubscribe (RFC 8058): a POST with no form token
    one_click = anonymous.post(
        f"/forum-mailing-list/{contact.unsubscribe_token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 204
    db.session.expire_all()
    assert not contact.subscribed
    assert anonymous.get("/forum-mailing-list/not-a-token").status_code == 404
    page = parse(anonymous.get(f"/forum-mailing-list/{contact.unsubscribe_token}"))
    assert page.h1.get_text(strip=True) == "You have left the mailing list"
    assert errors(client.post(url, data=sam))[0].startswith("This address left the mailing list on ")

    before = len(smtp.messages)
    forum = db.session.get(Meeting, forum.id)
    cancel(forum, "The hall is not available", coordinator)
    db.session.commit()
    send_outbox({**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})
    cancelled = smtp.messages[before:]
    assert "head@seaham.example" in {message["To"] for message in cancelled}  # still on the list
    assert "sam.lee@harbour.example" not in {message["To"] for message in cancelled}  # left it
    to_school = next(message for message in cancelled if message["To"] == "head@seaham.example")
    assert "This forum is cancelled. Reason: The hall is not available" in to_school.get_body(("plain",)).get_content()

    assert anonymous.post(f"/forum-mailing-list/{contact.unsubscribe_token}/rejoin").status_code == 302
    db.session.expire_all()
    assert contact.subscribed
    school_contact = services_contact(db, "head@seaham.example")
    assert client.post(f"/areas/{central.id}/mailing-list/{school_contact.id}/remove").status_code == 302
    assert services_contact(db, "head@seaham.example") is None
    assert client.post(f"/areas/{north.id}/mailing-list/{contact.id}/remove").status_code == 403
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "forum_contact")).all()
    assert sorted(actions) == ["create", "create", "delete", "rejoin", "unsubscribe"]


def services_contact(db, email: str):
    db.session.expire_all()
    return db.session.scalar(select(ForumContact).where(ForumContact.email == email))


def test_insight_counts_who_came_to_the_forums_by_sector(app, db, factories):
    import csv

    from lehc.minutes.services import add_guest, record_attendance
    from lehc.models import AgencySector, AttendanceStatus

    chair = factories.user(Role.CHAIR, locality="DUR", seat="Chair")  # CAMHS, a health agency
    school = factories.user(Role.MEMBER, locality="EAS", seat="Education")
    school.agency = factories.agency("Schools and education settings")
    absent = factories.user(Role.MEMBER, locality="DUR", seat="Police")
    day = date.today() - timedelta(days=20)
    central = factories.meeting("DUR", kind=FORUM, area=CENTRAL, organiser=chair, day=day)
    north = factories.meeting("CLS", kind=FORUM, area="North Durham", day=day + timedelta(days=1))
    lehc = factories.meeting("DUR", day=day + timedelta(days=2))
    record_attendance(central, {chair.id: (AttendanceStatus.PRESENT, ""), absent.id: (AttendanceStatus.APOLOGIES, "")})
    record_attendance(central, {school.id: (AttendanceStatus.DEPUTY, "Deputy Head")})
    add_guest(central, name="", organisation="Seaham School", sector=AgencySector.EDUCATION)
    add_guest(central, name="Sam Lee", organisation="Harbour", sector=AgencySector.VOLUNTARY)
    add_guest(north, name="", organisation="Stanley School", sector=AgencySector.EDUCATION)
    record_attendance(lehc, {chair.id: (AttendanceStatus.PRESENT, "")})  # an LEHC: not a forum's figure
    db.session.commit()
    client = sign_in_as(app.test_client(), chair)
    today = date.today()
    period = f"start={day.day}&start={day.month}&start={day.year}&end={today.day}&end={today.month}&end={today.year}"
    page = parse(client.get(f"/insight?kind=forum&area=DUR&{period}"))
    assert page.select_one("[data-testid=insight-kind]").get_text(strip=True) == "Early Help Forum"
    headlines = page.select_one("[data-testid=forum-headlines]").get_text(" ", strip=True)
    assert "Forums held 1" in headlines and "People at the forums 4" in headlines  # Durham's area only
    sectors = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page.select("[data-testid=insight-forum-sectors] tbody tr")
    }
    assert (sectors["Education"], sectors["Health"], sectors["Voluntary and community sector"]) == ("2", "1", "1")
    forums = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in page.select("[data-testid=insight-forums] tbody tr")
    ]
    assert forums == [[format_date(day), CENTRAL, "2", "2"]]
    assert page.select_one("[data-testid=headlines]") is None  # no family figures at a forum
    county = parse(client.get(f"/insight?kind=forum&area=all&{period}"))
    assert "Forums held 2" in county.select_one("[data-testid=forum-headlines]").get_text(" ", strip=True)
    response = client.get(f"/insight.csv?kind=forum&area=DUR&{period}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    values = {(row[3], row[4]): row[5] for row in rows[1:] if len(row) == 7}
    assert values[("People at the forums, by sector", "Education")] == "2"  # professionals: not hidden as small
    assert values[(f"Forum of {day.isoformat()}, {CENTRAL}", "Others")] == "2"
    assert "LEHC-forum-insight-durham-" in response.headers["Content-Disposition"]
