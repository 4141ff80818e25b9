import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lehc.dates import to_london
from lehc.meetings import services
from lehc.models import DiscussionType, Meeting, MeetingStatus, MembershipKind, OutboxMessage, ResponseKind, Role
from tests.conftest import parse, sign_in_as


def next_weekday(weekday: int, after: date | None = None) -> date:
    day = (after or date.today()) + timedelta(days=1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def series_form(first: date, **changes) -> MultiDict:
    fields = {
        "kind_code": "lehc",
        "frequency": "fortnightly",
        "weekday": str(first.weekday()),
        "week_of_month": "1",
        "start_time": "9:30",
        "duration_minutes": "150",
        "venue": "Durham Family Hub",
        "online_link": "https://teams.example/meet/abc",
        "first_date": date_parts(first),
        "until_date": ["", "", ""],
        "occurrences": "6",
        "on_clash": "move",
        "preview": "Preview dates",
    }
    fields.update(changes)
    data = MultiDict()
    for key, value in fields.items():
        for part in value if isinstance(value, list) else [value]:
            data.add(key, part)
    return data


@pytest.fixture
def coordinator(factories):
    return factories.user(Role.COORDINATOR, locality="DUR", name="Casey Coordinator")


@pytest.fixture
def coordinator_client(app, coordinator):
    return sign_in_as(app.test_client(), coordinator)


def meeting_count(db) -> int:
    return db.session.scalar(select(func.count(Meeting.id)))


# ---------------------------------------------------------------- series


def test_previewing_a_series_lists_the_dates_and_saves_nothing(coordinator_client, factories, db):
    durham = factories.locality("DUR")
    first = next_weekday(1)  # a Tuesday
    response = coordinator_client.post(f"/localities/{durham.id}/series/new", data=series_form(first))
    page = parse(response)
    rows = page.select("[data-testid=series-preview] tbody tr")
    assert len(rows) == 6
    assert rows[0].select("td")[0].get_text(strip=True) == f"{first:%A} {first.day} {first:%B %Y}"
    assert rows[0].select("td")[1].get_text(strip=True) == "9:30am"
    assert page.select_one("h2#preview").get_text(strip=True) == "Preview: 6 meetings"
    assert page.find(attrs={"name": "save"}) is not None
    assert meeting_count(db) == 0


def test_a_bank_holiday_in_the_series_is_flagged_and_moved_or_dropped(coordinator_client, factories, db):
    durham = factories.locality("DUR")
    # Fridays from 18 December 2026: Christmas Day and New Year's Day are Fridays
    form = series_form(date(2026, 12, 18), frequency="weekly", occurrences="3")
    if date.today() > date(2026, 12, 18):
        pytest.skip("the fixed Christmas dates are in the past")
    page = parse(coordinator_client.post(f"/localities/{durham.id}/series/new", data=form))
    notes = [
        row.select("td")[2].get_text(" ", strip=True) for row in page.select("[data-testid=series-preview] tbody tr")
    ]
    assert notes[0] == ""
    assert notes[1] == "Moved Christmas Day (bank holiday): moved from Friday 25 December 2026"
    assert "New Year's Day (bank holiday)" in notes[2]

    form.setlist("preview", [])
    form.add("save", "Save series")
    form["on_clash"] = "drop"
    response = coordinator_client.post(f"/localities/{durham.id}/series/new", data=form)
    assert response.status_code == 302
    starts = db.session.scalars(select(Meeting.starts_at).order_by(Meeting.starts_at)).all()
    assert starts == [datetime(2026, 12, 18, 9, 30, tzinfo=UTC)]


LEHC_STANDING_ITEMS = [("Welcome, introductions and apologies", 5), ("Review of actions from the last meeting", 10)]


def test_saving_a_series_creates_meetings_at_the_same_local_time_with_standing_items(coordinator_client, factories, db):
    durham = factories.locality("DUR")
    first = next_weekday(1)
    form = series_form(first)
    form.setlist("preview", [])
    form.add("save", "Save series")
    response = coordinator_client.post(f"/localities/{durham.id}/series/new", data=form)
    assert response.status_code == 302
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
    assert len(meetings) == 6
    for meeting in meetings:
        local = to_london(meeting.starts_at)
        assert (local.hour, local.minute) == (9, 30)
        assert meeting.duration == timedelta(minutes=150)
        assert meeting.status is MeetingStatus.SCHEDULED
        assert [(item.title, item.duration_minutes) for item in meeting.items] == LEHC_STANDING_ITEMS
        assert meeting.kind_code == "lehc" and meeting.series.kind_code == "lehc"
        assert meeting.series.frequency.value == "fortnightly"
    gaps = {(b.starts_at.date() - a.starts_at.date()).days for a, b in zip(meetings, meetings[1:], strict=False)}
    assert gaps <= {13, 14, 15}  # fortnightly; a moved holiday may shift one by a day


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"occurrences": ""}, "occurrences", "Enter a last possible date or a number of meetings"),
        ({"start_time": "25:00"}, "start_time", "Start time must be a real time, like 9:30 or 14:00"),
        ({"start_time": ""}, "start_time", "Enter the start time"),
        ({"duration_minutes": "5"}, "duration_minutes", "Length must be between 15 and 480 minutes"),
        ({"venue": "", "online_link": ""}, "venue", "Enter a venue or an online joining link"),
        (
            {"online_link": "teams meeting"},
            "online_link",
            "Enter the joining link as a full web address, starting https://",
        ),
        ({"first_date": ["31", "2", "2027"]}, "first_date-day", "Date of the first meeting must be a real date"),
        ({"first_date": ["", "", ""]}, "first_date-day", "Enter the date of the first meeting"),
        ({"frequency": ""}, "frequency", "Select how often the meetings happen"),
    ],
)
def test_bad_series_details_are_explained_and_nothing_is_saved(
    coordinator_client, factories, db, changes, field, message
):
    durham = factories.locality("DUR")
    response = coordinator_client.post(
        f"/localities/{durham.id}/series/new", data=series_form(next_weekday(1), **changes)
    )
    page = parse(response)
    assert response.status_code == 200
    errors = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert errors == {f"#{field}": message}
    assert meeting_count(db) == 0


def test_an_end_date_before_the_first_date_is_refused(coordinator_client, factories):
    durham = factories.locality("DUR")
    first = next_weekday(1)
    earlier = first - timedelta(days=1)
    page = parse(
        coordinator_client.post(
            f"/localities/{durham.id}/series/new",
            data=series_form(first, occurrences="", until_date=date_parts(earlier)),
        )
    )
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "Last possible date must be after the date of the first meeting"
    ]


def test_a_locality_closure_date_is_a_clash(coordinator_client, factories, db):
    from lehc.models import ClosureDate

    durham = factories.locality("DUR")
    first = next_weekday(2)
    db.session.add(ClosureDate(locality=durham, day=first, reason="Team training day"))
    db.session.commit()
    page = parse(coordinator_client.post(f"/localities/{durham.id}/series/new", data=series_form(first)))
    first_row = page.select("[data-testid=series-preview] tbody tr")[0]
    assert "Closure: Team training day" in first_row.get_text()


# ---------------------------------------------------------------- who may schedule and see


@pytest.mark.parametrize(
    "role, locality, kind, expected",
    [
        (Role.COORDINATOR, "DUR", MembershipKind.CORE, 200),
        (Role.CHAIR, "DUR", MembershipKind.CORE, 200),
        (Role.COORDINATOR, "EAS", MembershipKind.CORE, 403),
        (Role.MEMBER, "DUR", MembershipKind.CORE, 403),
        (Role.ADMIN, None, MembershipKind.CORE, 403),
    ],
)
def test_only_the_localitys_chairs_and_coordinators_schedule(client_as, factories, role, locality, kind, expected):
    durham = factories.locality("DUR")
    client = client_as(role, locality=locality, kind=kind)
    assert client.get(f"/localities/{durham.id}/series/new").status_code == expected
    assert client.get(f"/localities/{durham.id}/meetings/new").status_code == expected


@pytest.fixture
def published_meeting(factories, db):
    """A Durham meeting with two items, the second calling on a police officer, published."""
    police = factories.user(
        Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team", name="Pat Police"
    )
    meeting = factories.meeting("DUR")
    factories.item(meeting, reference="DUR-2026-0001", title="Smith family: attendance worries")
    factories.item(meeting, reference="DUR-2026-0002", title="Jones family: exploitation risk", call_on=[police])
    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    return meeting, police


@pytest.mark.parametrize(
    "who, expected",
    [
        ("core same locality", 200),
        ("call-on called", 200),
        ("call-on not called", 404),
        ("core other locality", 404),
        ("admin", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_open_a_meeting(app, factories, published_meeting, who, expected):
    meeting, police = published_meeting
    users = {
        "core same locality": lambda: factories.user(Role.MEMBER, locality="DUR"),
        "call-on called": lambda: police,
        "call-on not called": lambda: factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON),
        "core other locality": lambda: factories.user(Role.MEMBER, locality="EAS"),
        "admin": lambda: factories.user(Role.ADMIN, locality=None),
    }
    client = app.test_client()
    if who in users:
        sign_in_as(client, users[who]())
    assert client.get(f"/meetings/{meeting.id}").status_code == expected
    assert client.get(f"/meetings/{meeting.id}/calendar.ics").status_code == expected


def test_a_call_on_member_sees_only_the_item_they_are_called_on_for(app, published_meeting):
    meeting, police = published_meeting
    page = parse(sign_in_as(app.test_client(), police).get(f"/meetings/{meeting.id}"))
    agenda = page.select_one("[data-testid=agenda]").get_text(" ", strip=True)
    assert "Jones family: exploitation risk" in agenda
    assert "Smith family" not in agenda
    assert "DUR-2026-0001: not shared with you" in agenda


def test_a_core_member_cannot_change_the_agenda(client_as, published_meeting):
    meeting, _ = published_meeting
    client = client_as(Role.MEMBER, locality="DUR")
    item = meeting.items[-1]
    assert client.get(f"/meetings/{meeting.id}/items/new").status_code == 403
    assert client.post(f"/meetings/{meeting.id}/items/{item.id}/remove").status_code == 403
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 403
    assert client.get(f"/meetings/{meeting.id}/reschedule").status_code == 403


# ---------------------------------------------------------------- agenda


def item_form(factories, reference: str | None = "DUR-2026-0042", **changes) -> dict:
    form = {
        "family_id": str(factories.family("DUR", reference=reference).id) if reference else "0",
        "title": "Young carer, school worried",
        "discussion_type": "new",
        "presenter_id": str(factories.user(Role.MEMBER, locality="DUR").id),
        "duration_minutes": "20",
    }
    form.update(changes)
    return form


def slot_times(page) -> list[str]:
    return [row.select("td")[0].get_text(strip=True) for row in page.select("[data-testid=agenda] tbody tr")]


def test_slot_times_follow_the_durations_and_reordering_recomputes_them(coordinator_client, factories, db):
    meeting = factories.meeting("DUR", start=time(9, 30), minutes=120)
    for reference, minutes in [("DUR-2026-0001", "30"), ("DUR-2026-0002", "20")]:
        response = coordinator_client.post(
            f"/meetings/{meeting.id}/items/new",
            data=item_form(factories, reference=reference, duration_minutes=minutes),
        )
        assert response.status_code == 302
    page = parse(coordinator_client.get(f"/meetings/{meeting.id}"))
    assert slot_times(page) == [
        "9:30am to 9:35am",
        "9:35am to 9:45am",
        "9:45am to 10:15am",
        "10:15am to 10:35am",
    ]
    second = meeting.items[-1]
    coordinator_client.post(f"/meetings/{meeting.id}/items/{second.id}/move", data={"direction": "up"})
    page = parse(coordinator_client.get(f"/meetings/{meeting.id}"))
    assert slot_times(page)[2:] == ["9:45am to 10:05am", "10:05am to 10:35am"]
    rows = page.select("[data-testid=agenda] tbody tr")
    assert "DUR-2026-0002" in rows[2].get_text() and "DUR-2026-0001" in rows[3].get_text()
    presenter = second.presenter  # by name and agency, as the pickers name people: namesakes are told apart
    assert rows[2].select("td")[2].get_text(strip=True) == f"{presenter.name}, {presenter.agency.name}"


def test_an_agenda_that_runs_past_the_end_is_warned_about(coordinator_client, db, factories):
    meeting = factories.meeting("DUR", start=time(9, 30), minutes=60)
    for number in range(3):
        coordinator_client.post(
            f"/meetings/{meeting.id}/items/new", data=item_form(factories, reference=f"DUR-2026-09{number}")
        )
    page = parse(coordinator_client.get(f"/meetings/{meeting.id}"))
    warning = page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "The agenda runs 15 minutes past the end of the meeting at 10:30am" in warning

    meeting.items[-1].duration_minutes -= 14
    db.session.commit()
    warning = parse(coordinator_client.get(f"/meetings/{meeting.id}")).select_one(".govuk-warning-text")
    assert "The agenda runs 1 minute past the end of the meeting at 10:30am" in warning.get_text(" ", strip=True)
    meeting.items[-1].duration_minutes -= 1
    db.session.commit()
    assert "The agenda runs" not in parse(coordinator_client.get(f"/meetings/{meeting.id}")).get_text()


def test_standing_items_cannot_be_moved_or_removed(coordinator_client, factories):
    meeting = factories.meeting("DUR")
    standing = meeting.items[0]
    assert coordinator_client.post(f"/meetings/{meeting.id}/items/{standing.id}/remove").status_code == 404


def test_bad_item_details_are_explained(coordinator_client, factories, db):
    meeting = factories.meeting("DUR")
    page = parse(
        coordinator_client.post(
            f"/meetings/{meeting.id}/items/new",
            data=item_form(factories, reference=None, duration_minutes="200", presenter_id="0"),
        )
    )
    errors = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert errors == [
        "Select the family",
        "Select the presenting practitioner",
        "Minutes allotted must be between 5 and 120",
    ]
    db.session.expire_all()
    assert len(db.session.get(Meeting, meeting.id).items) == 2


# ---------------------------------------------------------------- publishing, changes, cancelling


def outbox(db) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_publishing_invites_core_members_to_the_meeting_and_call_on_members_to_their_slot(
    coordinator_client, factories, db
):
    core = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    factories.user(Role.MEMBER, locality="EAS")  # another locality: not invited
    meeting = factories.meeting("DUR")
    coordinator_client.post(
        f"/meetings/{meeting.id}/items/new", data=item_form(factories, call_on=[str(police.id)], title="Smith family")
    )
    before = len(outbox(db))
    response = coordinator_client.post(f"/meetings/{meeting.id}/publish", follow_redirects=True)
    banners = [banner.get_text(" ", strip=True) for banner in parse(response).select(".govuk-notification-banner")]
    assert any("Agenda published" in banner for banner in banners)
    messages = outbox(db)[before:]
    recipients = {m.recipient for m in messages}
    core_members = {m.user.email for m in services.core_members(meeting.locality)}
    assert recipients == core_members | {police.email}
    assert core.email in recipients
    police_message = next(m for m in messages if m.recipient == police.email)
    assert "You are called on for Discussion DUR-2026-0042 only" in police_message.body
    assert all(m.calendar_method == "REQUEST" for m in messages)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.AGENDA_PUBLISHED


def test_a_change_after_publication_is_recorded_and_re_notified(coordinator_client, factories, db, published_meeting):
    meeting, police = published_meeting
    organiser = meeting.organiser
    client = sign_in_as(coordinator_client.application.test_client(), organiser)
    before = len(outbox(db))
    sequence = meeting.sequence
    item = meeting.items[-1]
    client.post(f"/meetings/{meeting.id}/items/{item.id}/move", data={"direction": "up"})
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.sequence == sequence + 1
    assert meeting.changes[-1].description == "Moved Discussion DUR-2026-0002 up"
    new = outbox(db)[before:]
    assert new and all(m.subject.startswith("Updated invitation:") for m in new)
    page = parse(client.get(f"/meetings/{meeting.id}"))
    assert "Moved Discussion DUR-2026-0002 up" in page.get_text()


def test_removing_a_call_on_member_from_an_item_cancels_their_slot(app, factories, db, published_meeting):
    meeting, police = published_meeting
    client = sign_in_as(app.test_client(), meeting.organiser)
    item = meeting.items[-1]
    before = len(outbox(db))
    form = item_form(
        factories, reference=None, title=item.title, family_id=str(item.family_id), version=str(item.version)
    )
    client.post(f"/meetings/{meeting.id}/items/{item.id}/edit", data=form)
    cancels = [m for m in outbox(db)[before:] if m.recipient == police.email]
    assert [m.calendar_method for m in cancels] == ["CANCEL"]


def test_rescheduling_moves_the_meeting_and_keeps_its_local_time(app, db, published_meeting):
    meeting, _ = published_meeting
    client = sign_in_as(app.test_client(), meeting.organiser)
    new_day = meeting.starts_at.date() + timedelta(days=7)
    response = client.post(
        f"/meetings/{meeting.id}/reschedule",
        data=MultiDict(
            [
                ("day", str(new_day.day)),
                ("day", str(new_day.month)),
                ("day", str(new_day.year)),
                ("start_time", "1:30pm"),
                ("duration_minutes", "90"),
                ("venue", "Sedgefield Hub"),
                ("online_link", ""),
                ("version", str(meeting.version)),
            ]
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert to_london(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == f"{new_day} 13:30"
    assert meeting.duration == timedelta(minutes=90)
    assert meeting.venue == "Sedgefield Hub"
    assert meeting.sequence == 1


def test_cancelling_needs_a_reason_and_tells_everyone(app, db, published_meeting):
    meeting, police = published_meeting
    client = sign_in_as(app.test_client(), meeting.organiser)
    page = parse(client.post(f"/meetings/{meeting.id}/cancel", data={"reason": ""}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter why the meeting is cancelled"
    before = len(outbox(db))
    client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Chair unwell"})
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.status is MeetingStatus.CANCELLED
    cancels = outbox(db)[before:]
    assert {m.calendar_method for m in cancels} == {"CANCEL"}
    assert police.email in {m.recipient for m in cancels}
    assert all("Chair unwell" in m.body for m in cancels)
    # a cancelled meeting can no longer be changed
    response = client.post(f"/meetings/{meeting.id}/publish")
    assert response.status_code == 302


# ---------------------------------------------------------------- responses and attendance


def test_members_accept_send_apologies_or_name_a_deputy_and_the_coordinator_sees_seats(
    app, coordinator_client, factories, db
):
    meeting = factories.meeting("DUR")
    camhs = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS", name="Cam Hughes")
    school = factories.user(Role.MEMBER, locality="DUR", seat="Education representative", name="Sam School")
    housing = factories.user(Role.MEMBER, locality="DUR", seat="Council Housing", name="Hana Housing")
    sign_in_as(app.test_client(), camhs).post(f"/meetings/{meeting.id}/response", data={"response": "accepted"})
    sign_in_as(app.test_client(), housing).post(f"/meetings/{meeting.id}/response", data={"response": "apologies"})
    school_client = sign_in_as(app.test_client(), school)
    page = parse(school_client.post(f"/meetings/{meeting.id}/response", data={"response": "deputy"}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter the name of your deputy"
    school_client.post(f"/meetings/{meeting.id}/response", data={"response": "deputy", "deputy_name": "Dee Puty"})
    db.session.expire_all()
    assert services.response_of(db.session.get(Meeting, meeting.id), school).response is ResponseKind.DEPUTY

    page = parse(coordinator_client.get(f"/meetings/{meeting.id}"))
    rows = {
        row.select("td")[1].get_text(strip=True): row.select("td")[2].get_text(strip=True)
        for row in page.select("[data-testid=attendance] tbody tr")
        if len(row.select("td")) == 3
    }
    assert rows["Cam Hughes"] == "Attending"
    assert rows["Sam School"] == "Sending a deputy: Dee Puty"
    assert rows["Hana Housing"] == "Apologies"
    warning = page.select_one("#attendance ~ .govuk-warning-text").get_text(" ", strip=True)
    assert "Council Housing" in warning and "CAMHS" not in warning and "Education representative" not in warning
    assert "SEND and Inclusion" in warning  # nobody sits in it


def test_the_dashboard_lists_my_meetings(app, factories, published_meeting):
    meeting, police = published_meeting
    core = factories.user(Role.MEMBER, locality="DUR")
    other = factories.user(Role.MEMBER, locality="EAS")
    for user, expected in [(core, 1), (police, 1), (other, 0)]:
        page = parse(sign_in_as(app.test_client(), user).get("/"))
        assert len(page.select("[data-testid=my-meetings] li")) == expected


# ---------------------------------------------------------------- closures, single meetings, held


def test_a_coordinator_adds_and_removes_closure_dates(coordinator_client, factories, db):
    from lehc.models import ClosureDate

    durham = factories.locality("DUR")
    day = next_weekday(3)
    form = MultiDict([("day", str(day.day)), ("day", str(day.month)), ("day", str(day.year)), ("reason", "Training")])
    assert coordinator_client.post(f"/localities/{durham.id}/closures", data=form).status_code == 302
    page = parse(coordinator_client.post(f"/localities/{durham.id}/closures", data=form))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "There is already a closure on that date"
    [closure] = db.session.scalars(select(ClosureDate)).all()
    assert (closure.day, closure.reason) == (day, "Training")
    coordinator_client.post(f"/localities/{durham.id}/closures/{closure.id}/remove")
    assert db.session.scalars(select(ClosureDate)).all() == []


def test_closure_dates_are_for_the_localitys_managers_only(client_as, factories):
    durham = factories.locality("DUR")
    assert client_as(Role.MEMBER, locality="DUR").get(f"/localities/{durham.id}/closures").status_code == 403
    assert client_as(Role.CHAIR, locality="EAS").get(f"/localities/{durham.id}/closures").status_code == 403


def test_a_single_meeting_is_added_but_not_in_the_past(coordinator_client, factories, db):
    durham = factories.locality("DUR")

    def form(day):
        return MultiDict(
            [
                ("day", str(day.day)),
                ("day", str(day.month)),
                ("day", str(day.year)),
                ("start_time", "14:00"),
                ("duration_minutes", "120"),
                ("venue", ""),
                ("online_link", "https://teams.example/x"),
                ("kind_code", "lehc"),
            ]
        )

    page = parse(
        coordinator_client.post(f"/localities/{durham.id}/meetings/new", data=form(date.today() - timedelta(days=1)))
    )
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "Date must be today or in the future"
    ]
    assert meeting_count(db) == 0
    day = next_weekday(0)
    response = coordinator_client.post(f"/localities/{durham.id}/meetings/new", data=form(day))
    meeting = db.session.scalar(select(Meeting))
    assert response.headers["Location"] == f"/meetings/{meeting.id}"
    assert to_london(meeting.starts_at).strftime("%H:%M") == "14:00" and meeting.venue == ""


def test_a_meeting_is_marked_held_only_once_it_has_started(coordinator_client, factories, db):
    meeting = factories.meeting("DUR")
    coordinator_client.post(f"/meetings/{meeting.id}/held")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.SCHEDULED
    meeting.starts_at = datetime.now(UTC) - timedelta(minutes=5)
    db.session.commit()
    coordinator_client.post(f"/meetings/{meeting.id}/held")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.HELD


def test_the_preparation_view_flags_each_missing_piece(app, factories, db):
    from lehc.models import ResponseKind

    chair = factories.user(Role.CHAIR, locality="DUR")
    presenter = factories.user(Role.MEMBER, locality="DUR")
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON)
    meeting = factories.meeting("DUR", organiser=chair)
    factories.item(meeting, reference="DUR-2026-0301", presenter=presenter, call_on=[police])
    factories.item(
        meeting, family=factories.family("DUR", reference="DUR-2026-0302", consent=False), presenter=presenter
    )
    client = sign_in_as(app.test_client(), chair)

    def checks() -> dict[str, list[str]]:
        """Each item's open lines: what the chair can put right (To do, a link) and what waits on others."""
        page = parse(client.get(f"/meetings/{meeting.id}/prepare"))
        result = {}
        for section in page.select("[data-testid=prepare-item]"):
            reference = re.search(r"DUR-\d{4}-\d{4}", section.select_one("h2").get_text()).group(0)
            result[reference] = [
                li.get_text(" ", strip=True) + (" (link)" if li.select_one("a") else "")
                for li in section.select("[data-testid=checklist] li")
                if not li.get_text().strip().startswith("Done")
            ]
        return result

    todo = checks()
    assert todo["DUR-2026-0301"] == [
        f"Waiting Presenter ({presenter.name}) is asked when the agenda is published",
        "Waiting Waiting for call-on members to accept (0 of 1)",
        "Waiting Agency checks are asked when the agenda is published",
        "To do Agenda published, so invitations have gone out for DUR-2026-0301 (link)",
    ]
    no_consent = "To do Record consent, or the family is discussed anonymously for DUR-2026-0302 (link)"
    assert no_consent in todo["DUR-2026-0302"]

    services.publish_agenda(meeting, chair)
    db.session.commit()
    assert checks()["DUR-2026-0301"][0] == f"Waiting Waiting for the presenter ({presenter.name}) to accept"
    services.record_response(meeting, presenter, ResponseKind.ACCEPTED)
    services.record_response(meeting, police, ResponseKind.ACCEPTED)
    db.session.commit()
    todo = checks()
    assert todo["DUR-2026-0301"] == ["To do Agency checks answered (0 of 1) for DUR-2026-0301 (link)"]
    check = meeting.items[-2].agency_checks[0]
    from lehc.meetings.services.agency_checks import answer
    from lehc.models import CheckAnswer

    answer(check, CheckAnswer.NOT_KNOWN, "", presenter)
    db.session.commit()
    todo = checks()
    assert todo["DUR-2026-0301"] == []
    assert todo["DUR-2026-0302"] == [no_consent]
    page = parse(client.get(f"/meetings/{meeting.id}/prepare"))
    assert "New: shown anonymously until consent is recorded" in page.get_text(" ", strip=True)

    anonymous = factories.item(
        meeting,
        family=factories.family("DUR", reference="DUR-2026-0303", consent=False),
        presenter=presenter,
        discussion_type=DiscussionType.ANONYMOUS,
    )
    assert anonymous.discussion_type is DiscussionType.ANONYMOUS
    todo = checks()
    assert not [line for line in todo["DUR-2026-0303"] if "consent" in line.lower()]


def test_the_first_item_cannot_move_up_nor_the_last_down_and_publishing_says_where_invites_are(app, db, factories):
    meeting = factories.meeting("DUR")
    for number in (1, 2, 3):
        factories.item(meeting, reference=f"DUR-2026-010{number}")
    client = sign_in_as(app.test_client(), meeting.organiser)
    buttons = [b.get_text(" ", strip=True) for b in parse(client.get(f"/meetings/{meeting.id}")).select("button")]
    moves = [text for text in buttons if text.startswith("Move")]
    assert moves == [
        "Move down DUR-2026-0101",
        "Move up DUR-2026-0102",
        "Move down DUR-2026-0102",
        "Move up DUR-2026-0103",
    ]
    page = parse(client.post(f"/meetings/{meeting.id}/publish", follow_redirects=True))
    banner = page.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "waiting in the outbox: no mail server is set up yet" in banner  # the test app has no SMTP_HOST


def test_person_pickers_offer_the_localitys_members_and_never_an_administrator(app, db, factories):
    """The rest of the county is found by typing: tests/integration/main/test_people_picker.py."""
    meeting = factories.meeting("DUR")
    elsewhere = factories.user(Role.MEMBER, locality="EAS", name="Aaron Easington")
    here = factories.user(Role.MEMBER, locality="DUR", name="Zoe Durham")
    factories.user(Role.ADMIN, locality=None, name="Ada Admin")
    client = sign_in_as(app.test_client(), meeting.organiser)
    page = parse(client.get(f"/meetings/{meeting.id}/items/new"))
    picker = page.select_one("select#presenter_id")
    assert picker["data-autocomplete"] == "person"
    names = [option.get_text() for option in picker.select("option")][1:]
    assert f"{here.name}, {here.agency.name}" in names
    assert f"{elsewhere.name}, {elsewhere.agency.name}" not in names
    assert not [name for name in names if name.startswith("Ada Admin")]
    family = factories.family("DUR", reference="DUR-2026-0777")
    options = [o.get_text() for o in parse(client.get(f"/meetings/{meeting.id}/items/new")).select("#family_id option")]
    [label] = [text for text in options if text.startswith("DUR-2026-0777")]
    assert label.startswith(f"DUR-2026-0777, presented by {family.presenter.name}, requested ")


def test_a_series_never_lands_on_a_day_the_locality_already_meets_at_that_time(coordinator_client, factories, db):
    from lehc.meetings.scheduling import bank_holidays

    durham = factories.locality("DUR")
    today = date.today()
    holiday = min(
        day
        for day in bank_holidays([today.year, today.year + 1])
        if day >= today + timedelta(days=14)
        and day.weekday() < 4
        and (day + timedelta(days=1)) not in bank_holidays([day.year])
    )
    day_after = holiday + timedelta(days=1)
    factories.meeting("DUR", day=day_after, start=time(10, 0), minutes=60)  # overlaps 9:30 to 12:00
    factories.meeting("DUR", day=holiday - timedelta(days=7), start=time(14, 0), minutes=60)  # the afternoon: free
    form = series_form(holiday - timedelta(days=7), frequency="weekly", occurrences="2")
    page = parse(coordinator_client.post(f"/localities/{durham.id}/series/new", data=form))
    rows = page.select("[data-testid=series-preview] tbody tr")
    notes = [row.select("td")[2].get_text(" ", strip=True) for row in rows]
    assert notes[0] == ""  # an afternoon meeting does not clash with a morning one
    moved_to = holiday + timedelta(days=2)
    while moved_to.weekday() >= 5:
        moved_to += timedelta(days=1)
    assert rows[1].select("td")[0].get_text(strip=True) == f"{moved_to:%A} {moved_to.day} {moved_to:%B %Y}"
    assert "another meeting" in page.select_one(".govuk-warning-text").get_text()

    form = series_form(day_after, frequency="weekly", occurrences="1", on_clash="drop")
    page = parse(coordinator_client.post(f"/localities/{durham.id}/series/new", data=form))
    note = page.select_one("[data-testid=series-preview] tbody tr").select("td")[2].get_text(" ", strip=True)
    assert note == "Dropped Already a meeting at 10am"

    single = {
        "kind_code": "lehc",
        "day": date_parts(day_after),
        "start_time": "10:30",
        "duration_minutes": "60",
        "venue": "Durham Family Hub",
        "online_link": "",
    }
    page = parse(coordinator_client.post(f"/localities/{durham.id}/meetings/new", data=single))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == (
        "Already a meeting at 10am on that day. Choose another day or time."
    )
    single["start_time"] = "13:00"
    assert coordinator_client.post(f"/localities/{durham.id}/meetings/new", data=single).status_code == 302


def test_the_closures_page_lists_the_coming_bank_holidays(coordinator_client, factories):
    from lehc.meetings.scheduling import bank_holidays

    durham = factories.locality("DUR")
    page = parse(coordinator_client.get(f"/localities/{durham.id}/closures"))
    rows = page.select("[data-testid=bank-holidays] tbody tr")
    today = date.today()
    expected = [d for d in bank_holidays([today.year, today.year + 1]) if today <= d <= today + timedelta(days=365)]
    assert len(rows) == len(expected) >= 8
    assert page.select_one("[data-testid=no-closures]") is not None


def test_rescheduling_onto_another_meeting_of_the_locality_is_refused(coordinator_client, factories, db):
    day = date.today() + timedelta(days=21)
    factories.meeting("DUR", day=day)  # 9:30 to 11:30
    moving = factories.meeting("DUR", day=day + timedelta(days=7))
    form = {
        "day": date_parts(day),
        "start_time": "11:00",
        "duration_minutes": "60",
        "venue": "Durham Family Hub",
        "online_link": "",
        "version": str(moving.version),
    }
    page = parse(coordinator_client.post(f"/meetings/{moving.id}/reschedule", data=form))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True).startswith("Already a meeting at 9:30am")
    form["start_time"] = "12:00"
    assert coordinator_client.post(f"/meetings/{moving.id}/reschedule", data=form).status_code == 302
    form["day"] = date_parts(day + timedelta(days=7))  # back to its own day: not a clash with itself
    db.session.expire_all()
    form["version"] = str(db.session.get(Meeting, moving.id).version)
    assert coordinator_client.post(f"/meetings/{moving.id}/reschedule", data=form).status_code == 302


def test_a_kind_of_meeting_is_data_its_name_and_standing_items_make_its_meetings(coordinator_client, factories, db):
    """A kind added as data (no code of its own) gives its meetings its standing items, and its name on the page,
    in the reference and in the invitation, where an LEHC says "LEHC"; a kind that discusses no family takes no
    discussion item."""
    from lehc.models import MeetingKind, MeetingKindItem

    kind = MeetingKind(
        code="panel",
        name="Partnership panel",
        short_name="partnership panel",
        discusses_families=False,
        standing_items=[MeetingKindItem(position=1, title="Updates from partners", duration_minutes=15)],
    )
    db.session.add(kind)
    db.session.commit()
    meeting = services.new_meeting(
        factories.locality("DUR"),
        date.today() + timedelta(days=9),
        time(13, 0),
        60,
        venue="Durham Family Hub",
        online_link="",
        organiser=factories.user(Role.COORDINATOR),
        kind=kind,
    )
    lehc = factories.meeting()
    db.session.commit()

    assert [(item.title, item.duration_minutes) for item in meeting.items] == [("Updates from partners", 15)]
    assert [(item.title, item.duration_minutes) for item in lehc.items] == LEHC_STANDING_ITEMS
    assert meeting.name == "Durham partnership panel" and lehc.name == "Durham LEHC"
    assert meeting.reference.startswith("DUR-PANEL-") and lehc.reference.startswith("DUR-LEHC-")
    page = coordinator_client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert parse(page).title.get_text().startswith("Durham partnership panel, ")
    assert parse(page).select_one(".govuk-caption-l").get_text(strip=True) == "Durham Partnership panel"
    assert "Add a discussion item" not in page.text
    assert coordinator_client.get(f"/meetings/{meeting.id}/items/new").status_code == 404
    assert "Add a discussion item" in coordinator_client.get(f"/meetings/{lehc.id}").text

    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    subjects = set(db.session.scalars(select(OutboxMessage.subject)))
    assert subjects and all(subject.startswith("Invitation: Durham partnership panel, ") for subject in subjects)
