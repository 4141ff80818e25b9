"""Anonymous stays anonymous everywhere: every GET route, for every kind of user, Word files and zips unpacked.

The dataset holds, in Durham, a family discussed by name (the control), a family only ever brought as an
anonymous consultation, a family that never gave consent, and a family that withdrew its consent after being
discussed by name at a meeting whose minutes were approved. Routes come from the URL map, so a new route is
swept without anyone remembering to add it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lehc import policy
from lehc.actions import services as action_services
from lehc.dates import format_datetime
from lehc.families import services as family_services
from lehc.meetings import services as meeting_services
from lehc.minutes import services as minutes_services
from lehc.models import (
    FORUM,
    STEP,
    Action,
    AgencyCheck,
    AttendanceStatus,
    ConsentMethod,
    Decision,
    DiscussionType,
    Family,
    MemberKind,
    MembershipKind,
    OutboxMessage,
    Role,
    SchoolTerm,
    ScoreView,
)
from tests.conftest import parse, sign_in_as

WINDOW = 14  # LEHC_CALL_ON_WINDOW_DAYS


@dataclass
class Household:
    family: Family
    names: list[str]
    born: list[date]

    def secrets(self) -> list[str]:
        """What identifies the family: names and surnames, and dates of birth as pages, files and JSON write them."""
        found = []
        for name in self.names:
            found += [name, name.split()[-1]]
        for day in self.born:
            found += [f"{day.day} {day:%B %Y}", day.isoformat(), f"{day:%d/%m/%Y}"]
        return found


@dataclass
class World:
    people: dict
    named: Household
    hidden: dict[str, Household]
    meetings: list
    items: list = field(default_factory=list)


def household(factories, db, reference: str, surname: str, child: str, born: date, *, consent: bool, presenter):
    family = factories.family("DUR", reference=reference, presenter=presenter, consent=False, children=[])
    family.summary = "Worries about school attendance and a parent's health."  # no names in the summary
    family_services.add_member(
        family,
        kind=MemberKind.CHILD,
        name=f"{child} {surname}",
        date_of_birth=born,
        school_or_setting="Bowburn Juniors",
        send=False,
        relationship_to_child="",
    )
    parent = f"Morven {surname}"
    family_services.add_member(
        family,
        kind=MemberKind.ADULT,
        name=parent,
        date_of_birth=None,
        school_or_setting="",
        send=False,
        relationship_to_child="Mother",
    )
    if consent:
        family_services.record_consent(
            family,
            given_by_name=parent,
            given_by_relationship="Mother",
            given_on=date.today() - timedelta(days=40),
            method=ConsentMethod.WRITTEN,
            covers_discussion=True,
            covers_sharing=True,
            expires_on=date.today() + timedelta(days=300),
            recorded_by=presenter,
        )
    db.session.commit()
    return Household(family, [f"{child} {surname}", parent], [born])


def discuss(item, by):
    family_services.record_discussion(
        item,
        mapping={"worries": "Attendance has fallen this term", "strengths": "Grandparents help", "next_steps": "Plan"},
        scores={ScoreView.GROUP: 6},
        decision=Decision.TAF,
        decision_notes="",
        review_on=None,
        new_actions=[
            {
                "description": "Offer a parenting group",
                "owner_id": by.id,
                "owner_agency_id": None,
                "due_on": date.today(),
            }
        ],
        by=by,
    )


@pytest.fixture
def world(factories, db) -> World:
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager", name="Cara Chair")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR", name="Cody Coordinator")
    core = factories.user(Role.MEMBER, locality="DUR", seat="0-25 Family Health Service Manager", name="Hana Health")
    call_on = factories.user(
        Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team", name="Pat Police"
    )
    call_on.agency = factories.agency("Durham Constabulary")
    # called on at the LEHC (for nothing here), at the table of every step up / step down meeting (its kind's seat)
    social_care = factories.user(
        Role.MEMBER,
        locality="DUR",
        kind=MembershipKind.CALL_ON,
        seat="Children's Social Care Team Manager",
        name="Sol Socialcare",
    )
    outsider = factories.user(Role.MEMBER, locality="EAS", name="Ezra Easington")
    admin = factories.user(Role.ADMIN, locality=None, name="Ada Admin")
    presenter = factories.user(Role.MEMBER, locality=None, name="Priya Presenter")
    for person in (chair, coordinator, core, call_on, social_care, outsider, admin):
        person.regenerate_calendar_token()

    named = household(
        factories, db, "DUR-2026-0201", "Witton", "Rory", date(2016, 2, 9), consent=True, presenter=presenter
    )
    anonymous = household(
        factories, db, "DUR-2026-0202", "Quarrington", "Tilly", date(2023, 3, 14), consent=True, presenter=presenter
    )
    never = household(
        factories, db, "DUR-2026-0203", "Shincliffe", "Noah", date(2018, 7, 21), consent=False, presenter=presenter
    )
    withdrawn = household(
        factories, db, "DUR-2026-0204", "Tweddle", "Oliver", date(2019, 5, 11), consent=True, presenter=presenter
    )

    past = factories.meeting("DUR", organiser=coordinator, day=date.today() - timedelta(days=5))
    upcoming = factories.meeting("DUR", organiser=coordinator, day=date.today() + timedelta(days=9))
    # the weekly step up / step down meeting (issue 15) holds the same families under the same rules
    step = meeting_services.new_meeting(
        past.locality,
        date.today() + timedelta(days=2),
        time(13, 0),
        60,
        venue="Durham Family Hub",
        online_link="",
        organiser=coordinator,
        kind=meeting_services.meeting_kind(STEP),
    )
    items = []
    for meeting in (past, upcoming, step):
        items.append(factories.item(meeting, family=named.family, title="Attendance and a young carer"))
        items.append(
            factories.item(
                meeting,
                family=anonymous.family,
                title="Sleep and speech worries",
                discussion_type=DiscussionType.ANONYMOUS,
                call_on=[call_on],
            )
        )
        items.append(factories.item(meeting, family=never.family, title="Housing worries", call_on=[call_on]))
        items.append(factories.item(meeting, family=withdrawn.family, title="Exploitation risk", call_on=[call_on]))
        meeting_services.publish_agenda(meeting, coordinator)
    past.agenda_published_at = past.starts_at - timedelta(days=7)
    # the area's Early Help Forum, which Durham hosts and Easington's outsider may see: it holds no family, and none
    # of Durham's family actions may reach it through its review of actions
    forum = factories.meeting("DUR", kind=FORUM, area="Central and East Durham", organiser=coordinator)
    items.append(
        meeting_services.add_presentation(
            forum,
            title="The school nursing offer",
            presenter_name="Sam Lee",
            presenter_organisation="0-25 Family Health Service",
            duration_minutes=30,
            by=coordinator,
        )
    )
    meeting_services.publish_agenda(forum, coordinator)
    for item in items[:4]:
        discuss(item, coordinator)
    minutes_services.record_attendance(
        past, {person.id: (AttendanceStatus.PRESENT, "") for person in (chair, coordinator, core, call_on)}
    )
    past.minutes_notes = "Room booking for the spring term to be confirmed."
    db.session.commit()
    minutes_services.approve(past, chair)
    db.session.commit()
    family_services.withdraw_consent(
        withdrawn.family.consents[0], withdrawn_on=date.today(), note="Mother withdrew consent by phone", by=chair
    )
    db.session.commit()
    people = {
        "chair": chair,
        "coordinator": coordinator,
        "core": core,
        "call_on": call_on,
        "social_care": social_care,
        "outsider": outsider,
        "admin": admin,
    }
    return World(
        people,
        named,
        {"anonymous only": anonymous, "never consented": never, "withdrawn": withdrawn},
        [past, upcoming, step, forum],
        items,
    )


# ---------------------------------------------------------------- every GET route, every kind of user

EXTRA_QUERIES = {
    "actions.tracker": [{"scope": "all", "status": "any"}],
    "actions.tracker_csv": [{"scope": "all", "status": "any"}],
    "actions.tracker_docx": [{"scope": "all", "status": "any"}, {"scope": "all", "status": "any", "group": "owner"}],
    "exports.minutes_docx": [{}, {"version": 1}],
    "insight.dashboard_csv": [{}, {"area": "DUR"}],
    "insight.dashboard": [{}, {"area": "DUR"}],
}
# The family record itself (its page and forms): the locality's chairs and coordinators hold it, as the rule says.
RECORD_ARGUMENTS = {"family_id"}
# A subject access request is the family's own lawful disclosure, answered by an administrator (audited).
SUBJECT_ACCESS = {"families.subject_access_json", "families.subject_access_docx"}


def url_arguments(rule, world: World, db, viewer) -> list[dict]:
    """Every combination of this dataset's records that the rule's URL takes."""
    checks = list(db.session.scalars(select(AgencyCheck)))
    actions = list(db.session.scalars(select(Action)))
    terms = list(db.session.scalars(select(SchoolTerm)))  # none in this world: a term's routes hold no family
    families = [world.named.family] + [h.family for h in world.hidden.values()]
    combinations = {
        (): lambda: [{}],
        ("item_id", "meeting_id"): lambda: [{"meeting_id": i.meeting_id, "item_id": i.id} for i in world.items],
        ("check_id", "meeting_id"): lambda: [{"meeting_id": c.item.meeting_id, "check_id": c.id} for c in checks],
        ("meeting_id",): lambda: [{"meeting_id": meeting.id} for meeting in world.meetings],
        ("family_id",): lambda: [{"family_id": family.id} for family in families],
        ("consent_id", "family_id"): lambda: [
            {"family_id": f.id, "consent_id": c.id} for f in families for c in f.consents
        ],
        ("action_id",): lambda: [{"action_id": action.id} for action in actions],
        ("user_id",): lambda: [{"user_id": person.id} for person in world.people.values()],
        ("locality_id",): lambda: [{"locality_id": world.meetings[0].locality_id}],
        ("area_id",): lambda: [{"area_id": world.meetings[0].locality.area_id}],
        ("term_id",): lambda: [{"term_id": term.id} for term in terms],
        ("kind_code",): lambda: [{"kind_code": kind} for kind in {meeting.kind_code for meeting in world.meetings}],
        ("kind_code", "locality_id"): lambda: [
            {"kind_code": meeting.kind_code, "locality_id": meeting.locality_id} for meeting in world.meetings
        ],
        ("token",): lambda: [{"token": viewer.calendar_token}],
    }
    build = combinations.get(tuple(sorted(rule.arguments)))
    if build is None:
        pytest.fail(f"{rule.endpoint}: no records for the URL arguments {sorted(rule.arguments)}: add them here")
    return build()


def readable(body: bytes) -> str:
    """The text of a response: Word files and zips (of Word files) unpacked, their XML reduced to its text."""
    if not body.startswith(b"PK"):
        return body.decode("utf-8", "replace")
    parts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            inner = archive.read(name)
            if inner.startswith(b"PK"):
                parts.append(readable(inner))
            elif name.endswith((".xml", ".rels", ".txt", ".json", ".csv")):
                parts.append(re.sub(r"<[^>]+>", "", inner.decode("utf-8", "replace")))
    return "\n".join(parts)


def sweep(app, world: World, db, who: str) -> tuple[dict[str, str], int]:
    """Request every GET route as one user; the readable bodies by URL, and how many were Word files or zips."""
    from flask import url_for

    viewer = world.people[who]
    client = sign_in_as(app.test_client(), viewer)
    rules = [
        r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in ("static", "assets.static")
    ]
    bodies, unpacked = {}, 0
    for rule in rules:
        for arguments in url_arguments(rule, world, db, viewer):
            for query in EXTRA_QUERIES.get(rule.endpoint, [{}]):
                with app.test_request_context():
                    url = url_for(rule.endpoint, **arguments, **query)
                response = client.get(url)
                assert response.status_code != 500, url
                body = response.get_data()
                unpacked += body.startswith(b"PK")
                bodies[f"{rule.endpoint} {url}"] = readable(body)
    return bodies, unpacked


def leaks(bodies: dict[str, str], households: dict[str, Household], *, skip=lambda key: False) -> list[str]:
    return [
        f"{label}: {secret!r} in {key}"
        for key, text in bodies.items()
        if not skip(key)
        for label, home in households.items()
        for secret in home.secrets()
        if secret in text
    ]


@pytest.mark.parametrize("who", ["core", "call_on", "social_care", "outsider", "admin", "chair", "coordinator"])
def test_no_route_shows_an_anonymous_unconsented_or_withdrawn_family_to_anyone_without_the_record(app, db, world, who):
    bodies, unpacked = sweep(app, world, db, who)
    word_files = {"outsider": 0, "admin": 0, "social_care": 4}.get(who, 5)  # social care sits at one meeting here
    assert len(bodies) > 150 and unpacked >= word_files

    def record_routes(key: str) -> bool:
        endpoint = key.split()[0]
        manager = who in ("chair", "coordinator")
        rule_args = next(r.arguments for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        return (manager and bool(RECORD_ARGUMENTS & set(rule_args))) or (who == "admin" and endpoint in SUBJECT_ACCESS)

    assert leaks(bodies, world.hidden, skip=record_routes) == []


def test_the_sweep_finds_names_where_the_rule_allows_them(app, db, world):
    """The control: the same sweep does find the named family for a core member, and a withdrawn family's record
    for its chair, so an empty list of leaks above means something."""
    bodies, _ = sweep(app, world, db, "core")
    assert leaks(bodies, {"named": world.named}) != []
    named_page = next(text for key, text in bodies.items() if key.endswith(f"/families/{world.named.family.id}"))
    assert "Rory Witton" in named_page
    chair = sign_in_as(app.test_client(), world.people["chair"])
    assert "Oliver Tweddle" in chair.get(f"/families/{world.hidden['withdrawn'].family.id}").get_data(as_text=True)


def test_e_mails_and_invites_name_no_family(app, db, world):
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert len(messages) >= 8  # invites for two meetings and the chairs' withdrawal notice
    households = {"named": world.named, **world.hidden}
    found = [
        f"{label}: {secret!r} in message to {message.recipient}"
        for message in messages
        for label, home in households.items()
        for secret in home.secrets()
        if secret in f"{message.subject}\n{message.body}\n{message.calendar or ''}"
    ]
    assert found == []


# ---------------------------------------------------------------- the rule, its SQL twin and the surfaces


def test_the_family_list_and_the_tracker_agree_with_their_predicates(app, db, world):
    today = date.today()
    families = list(db.session.scalars(select(Family)))
    actions = list(db.session.scalars(select(Action)))
    everything = action_services.ActionFilter(scope="all", status="any")
    for who, person in world.people.items():
        listed = {f.id for f in family_services.families_visible_to(person)}
        assert listed == {f.id for f in families if policy.can_view_family(person, f, today)}, who
        found = action_services.find_actions(person, everything, today=today, window_days=WINDOW)
        allowed = {a.id for a in actions if policy.can_view_action(person, a, today, WINDOW)}
        assert {a.id for a in found} == allowed, who
    core = world.people["core"]
    assert {f.reference for f in family_services.families_visible_to(core)} == {"DUR-2026-0201"}
    assert {f.reference for f in family_services.families_visible_to(world.people["chair"])} >= {
        "DUR-2026-0202",
        "DUR-2026-0203",
        "DUR-2026-0204",
    }


def test_social_care_sits_at_the_step_meeting_and_sees_only_what_it_is_called_on_for_at_the_lehc(app, db, world):
    """The Children's Social Care team manager holds a call-on seat at the LEHC that the step up / step down meeting
    names: on every surface they read the step meeting as a core member reads the LEHC, and nothing of an LEHC they
    are not called on for."""
    person = world.people["social_care"]
    client = sign_in_as(app.test_client(), person)
    past, upcoming, step, forum = world.meetings
    named = world.named.family

    pack = parse(client.get(f"/meetings/{step.id}/pack")).get_text(" ", strip=True)
    assert "Rory Witton" in pack and "Family consulted anonymously; child aged 3" in pack
    assert "Exploitation risk" not in pack  # withdrawn: anonymous on every surface
    family_page = client.get(f"/families/{named.id}")
    assert family_page.status_code == 200 and "Rory Witton" in family_page.get_data(as_text=True)
    # the record opens through the step meeting; the LEHC's discussion of the family stays closed to them
    assert "Grandparents help" not in family_page.get_data(as_text=True)
    assert "Grandparents help" in sign_in_as(app.test_client(), world.people["core"]).get(
        f"/families/{named.id}"
    ).get_data(as_text=True)
    lehc_item = next(item for item in world.items if item.meeting_id == past.id and item.family_id == named.id)
    assert not policy.can_view_item_family(person, lehc_item, date.today(), WINDOW)
    agenda_docx = readable(client.get(f"/meetings/{step.id}/agenda.docx").get_data())
    assert "DUR-2026-0201" in agenda_docx and "Sleep and speech worries" not in agenda_docx
    for meeting in (past, upcoming, forum):  # not called on, not at the LEHC's core table, not in the area
        assert client.get(f"/meetings/{meeting.id}").status_code == 404
        assert client.get(f"/meetings/{meeting.id}/pack").status_code == 404
    links = {a["href"] for a in parse(client.get("/meetings?when=all")).select("a[href^='/meetings/']")}
    assert f"/meetings/{step.id}" in links and not {f"/meetings/{m.id}" for m in (past, upcoming, forum)} & links
    feed = client.get(f"/calendar/{person.calendar_token}.ics").get_data(as_text=True)
    assert feed.count("BEGIN:VEVENT") == 1 and "Witton" not in feed
    invited = [m.subject for m in db.session.scalars(select(OutboxMessage)) if m.recipient_user_id == person.id]
    assert invited == [f"Invitation: {step.name}, {format_datetime(step.starts_at)}"]  # the whole meeting, no LEHC
    assert {f.reference for f in family_services.families_visible_to(person)} == {"DUR-2026-0201"}
    assert policy.sits_at_meeting(person, step) and not policy.sits_at_meeting(person, upcoming)

    # the moment an administrator takes the seat off the step meeting, all of it closes
    from lehc.admin import services as admin_services

    seats = [s for s in policy.kind_seat_ids(STEP, step.locality_id) if s != person.memberships[0].seat_id]
    admin_services.set_kind_seats(STEP, None, seats)
    db.session.commit()
    assert client.get(f"/meetings/{step.id}").status_code == 404
    assert client.get(f"/families/{named.id}").status_code == 404
    assert family_services.families_visible_to(person) == []


def test_a_core_member_reads_the_anonymous_discussion_but_not_the_record(app, db, world):
    core = sign_in_as(app.test_client(), world.people["core"])
    past, upcoming, step, _forum = world.meetings
    for meeting in (upcoming, step):  # an LEHC and a step up / step down meeting alike
        pack = parse(core.get(f"/meetings/{meeting.id}/pack")).get_text(" ", strip=True)
        assert "Family consulted anonymously; child aged 3" in pack  # the anonymous-only family's neutral label
        assert "Rory Witton" in pack  # the family held by name
    minutes = parse(core.get(f"/meetings/{past.id}/minutes")).get_text(" ", strip=True)
    assert "Attendance has fallen this term" in minutes and "Grandparents help" in minutes
    for home in world.hidden.values():
        assert core.get(f"/families/{home.family.id}").status_code == 404


def test_withdrawal_closes_the_record_and_the_agency_checks_from_that_day(app, db, world):
    withdrawn = world.hidden["withdrawn"].family
    core = sign_in_as(app.test_client(), world.people["core"])
    assert core.get(f"/families/{withdrawn.id}").status_code == 404
    upcoming = world.meetings[1]
    checks = [c for c in db.session.scalars(select(AgencyCheck)) if c.family_id == withdrawn.id]
    assert checks  # asked while consent held
    for check in checks:
        assert core.get(f"/meetings/{check.item.meeting_id}/agency-checks/{check.id}").status_code == 404
    page = parse(core.get(f"/meetings/{upcoming.id}/agency-checks")).get_text(" ", strip=True)
    assert "DUR-2026-0204" not in page
    # the approved minutes keep what was recorded while consent held: the item's title, not the family's names
    version = parse(core.get(f"/meetings/{world.meetings[0].id}/minutes")).get_text(" ", strip=True)
    assert "DUR-2026-0204: Exploitation risk" in version
    # the live agenda of the same meeting treats the family as anonymous now
    agenda = parse(core.get(f"/meetings/{world.meetings[0].id}")).select_one("[data-testid=agenda]")
    assert "Exploitation risk" not in agenda.get_text(" ", strip=True)


def test_a_call_on_member_sees_their_items_inside_the_window_only_and_never_the_other_notes(app, db, world):
    call_on = sign_in_as(app.test_client(), world.people["call_on"])
    past = world.meetings[0]
    minutes = parse(call_on.get(f"/meetings/{past.id}/minutes")).get_text(" ", strip=True)
    assert "Room booking" not in minutes and "DUR-2026-0201: not shared with you" in minutes
    agenda = parse(call_on.get(f"/meetings/{past.id}")).select_one("[data-testid=agenda]").get_text(" ", strip=True)
    assert "Housing worries" not in agenda  # never consented: anonymous
    assert "Family consulted anonymously" in agenda

    past.starts_at = datetime.now(UTC) - timedelta(days=WINDOW + 2)
    past.ends_at = past.starts_at + timedelta(hours=2)
    db.session.commit()
    agenda = parse(call_on.get(f"/meetings/{past.id}")).select_one("[data-testid=agenda]").get_text(" ", strip=True)
    assert "Family consulted anonymously" not in agenda
    assert "DUR-2026-0202: not shared with you" in agenda
