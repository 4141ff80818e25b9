from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from lehc.meetings import services as meeting_services
from lehc.models import (
    AuditEvent,
    Consent,
    DiscussionType,
    Family,
    MembershipKind,
    OutboxMessage,
    Role,
    ScoreView,
)
from tests.conftest import parse, sign_in_as

CHILD_NAME, ADULT_NAME = "Kayden Smith", "Jo Smith"


def date_parts(day: date) -> list[tuple[str, str]]:
    return [(str(day.day)), (str(day.month)), (str(day.year))]


def form_data(pairs: dict) -> MultiDict:
    data = MultiDict()
    for key, value in pairs.items():
        for part in value if isinstance(value, list) else [value]:
            data.add(key, part)
    return data


@pytest.fixture
def world(factories, db):
    """A Durham family with consent on a published agenda two weeks ahead, its item calling on police."""
    presenter = factories.user(Role.MEMBER, locality=None, name="Pat Presenter")
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    family = factories.family("DUR", reference="DUR-2026-0042", presenter=presenter)
    meeting = factories.meeting("DUR")
    item = factories.item(meeting, family=family, call_on=[police])
    meeting_services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    return {"family": family, "meeting": meeting, "item": item, "presenter": presenter, "police": police}


def family_routes(world) -> dict[str, str]:
    family, meeting, item = world["family"], world["meeting"], world["item"]
    return {
        "view": f"/families/{family.id}",
        "edit": f"/families/{family.id}/edit",
        "add member": f"/families/{family.id}/members/new",
        "consent": f"/families/{family.id}/consents/new",
        "close": f"/families/{family.id}/close",
        "discussion": f"/meetings/{meeting.id}/items/{item.id}/discussion",
        "pack": f"/meetings/{meeting.id}/pack",
    }


ALL = ["view", "edit", "add member", "consent", "close", "discussion", "pack"]
MATRIX = {
    "chair same locality": dict.fromkeys(ALL, 200),
    "coordinator same locality": dict.fromkeys(ALL, 200),
    "core member same locality": {
        "view": 200,
        "edit": 403,
        "add member": 403,
        "consent": 403,
        "close": 403,
        "discussion": 200,
        "pack": 200,
    },
    "core member other locality": dict.fromkeys(ALL, 404),
    "admin": dict.fromkeys(ALL, 404),
    "call-on called": {**dict.fromkeys(ALL, 404), "pack": 200},
    "call-on not called": dict.fromkeys(ALL, 404),
    "presenting practitioner": {**dict.fromkeys(ALL, 200), "pack": 404},
    "anonymous": dict.fromkeys(ALL, 302),
}


def user_for(who, factories, world):
    return {
        "chair same locality": lambda: factories.user(Role.CHAIR, locality="DUR"),
        "coordinator same locality": lambda: factories.user(Role.COORDINATOR, locality="DUR"),
        "core member same locality": lambda: factories.user(Role.MEMBER, locality="DUR"),
        "core member other locality": lambda: factories.user(Role.MEMBER, locality="EAS"),
        "admin": lambda: factories.user(Role.ADMIN, locality=None),
        "call-on called": lambda: world["police"],
        "call-on not called": lambda: factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON),
        "presenting practitioner": lambda: world["presenter"],
        "anonymous": lambda: None,
    }[who]()


@pytest.mark.parametrize("who", list(MATRIX))
def test_access_matrix_for_family_routes(app, factories, world, who):
    user = user_for(who, factories, world)
    client = app.test_client()
    if user is not None:
        sign_in_as(client, user)
    statuses = {name: client.get(url).status_code for name, url in family_routes(world).items()}
    assert statuses == MATRIX[who]


def test_a_call_on_member_sees_their_item_in_the_pack_only_within_the_window(client_request, factories, db, world):
    police = world["police"]
    other = factories.item(world["meeting"], reference="DUR-2026-0077", title="Another family entirely")
    db.session.commit()
    page = client_request(police).get("meetings.meeting_pack", meeting_id=world["meeting"].id)
    sections = {s["aria-labelledby"]: s.get_text(" ", strip=True) for s in page.select("section.lehc-pack-item")}
    mine = sections[f"pack-item-{world['item'].id}"]
    assert "School is worried about attendance" in mine and CHILD_NAME in mine
    assert "Not shared with you" in sections[f"pack-item-{other.id}"]
    assert "Another family entirely" not in page.get_text()

    meeting = world["meeting"]
    meeting.starts_at = datetime.now(UTC) - timedelta(days=15)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.agenda_published_at = meeting.starts_at - timedelta(days=7)
    db.session.commit()
    page = client_request(police).get("meetings.meeting_pack", meeting_id=meeting.id)
    assert CHILD_NAME not in page.get_text()
    assert "Not shared with you" in page.select_one(f"#pack-item-{world['item'].id}").find_parent("section").text


def test_denied_requests_are_audited(app, factories, db, world):
    outsider = factories.user(Role.MEMBER, locality="EAS")
    sign_in_as(app.test_client(), outsider).get(f"/families/{world['family'].id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "denied"))
    assert (event.user_id, event.object_type, event.family_id) == (outsider.id, "family", world["family"].id)
    assert event.detail == f"GET /families/{world['family'].id}"


def test_viewing_a_family_is_audited_without_names(app, factories, db, world):
    chair = factories.user(Role.CHAIR, locality="DUR")
    sign_in_as(app.test_client(), chair).get(f"/families/{world['family'].id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.object_type == "family"))
    assert event.user_id == chair.id and event.family_id == world["family"].id and event.ip_address == "127.0.0.1"
    assert CHILD_NAME not in event.detail


# ---------------------------------------------------------------- recording a family


def test_a_practitioner_records_a_family_with_a_reference_members_and_consent(app, factories, db):
    practitioner = factories.user(Role.MEMBER, locality="DUR", name="Sam School")
    client = sign_in_as(app.test_client(), practitioner)
    durham = factories.locality("DUR")
    today = date.today()
    response = client.post(
        "/families/new",
        data=form_data(
            {
                "locality_id": str(durham.id),
                "requested_on": date_parts(today),
                "summary": "Attendance has fallen to 70%.",
                "needs": ["education", "health"],
                "lead_practitioner_id": "0",
            }
        ),
    )
    family = db.session.scalar(select(Family))
    assert response.headers["Location"] == f"/families/{family.id}"
    assert family.reference == f"DUR-{today.year}-0001"
    assert [o.value for o in family.outcomes] == ["education", "health"]
    assert family.presenter_id == practitioner.id

    client.post(
        f"/families/{family.id}/members/new",
        data=form_data(
            {
                "kind": "child",
                "name": CHILD_NAME,
                "date_of_birth": ["4", "5", "2018"],
                "school_or_setting": "Durham Primary",
                "send": "y",
            }
        ),
    )
    page = parse(
        client.post(f"/families/{family.id}/members/new", data=form_data({"kind": "adult", "name": ADULT_NAME}))
    )
    assert (
        page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter the adult's relationship to the child"
    )
    client.post(
        f"/families/{family.id}/members/new",
        data=form_data({"kind": "adult", "name": ADULT_NAME, "relationship_to_child": "Mother"}),
    )
    response = client.post(
        f"/families/{family.id}/consents/new",
        data=form_data(
            {
                "given_by_name": ADULT_NAME,
                "given_by_relationship": "Mother",
                "given_on": date_parts(today),
                "method": "written",
                "covers": ["discussion", "sharing"],
                "expires_on": ["", "", ""],
            }
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    consent = db.session.scalar(select(Consent))
    assert consent.expires_on.year == today.year + 1 and consent.recorded_by_id == practitioner.id
    page = parse(client.get(f"/families/{family.id}"))
    assert CHILD_NAME in page.select_one("[data-testid=members]").text
    assert "Consent until" in page.select_one(".govuk-tag--green").text
    second = client.post(
        "/families/new",
        data=form_data(
            {
                "locality_id": str(durham.id),
                "requested_on": date_parts(today),
                "summary": "x",
                "lead_practitioner_id": "0",
            }
        ),
    )
    assert second.status_code == 302
    assert db.session.scalar(select(Family).order_by(Family.id.desc())).reference == f"DUR-{today.year}-0002"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"covers": ["sharing"]}, "Consent must cover discussion at the LEHC to be recorded here"),
        ({"given_on": ["1", "1", "2999"]}, "Date consent was given must be today or in the past"),
        ({"given_on": ["31", "2", "2026"]}, "Date consent was given must be a real date"),
        ({"method": ""}, "Select how consent was given"),
        ({"expires_on": ["1", "1", "2000"]}, "Expiry date must be after the date consent was given"),
    ],
)
def test_bad_consent_is_explained_and_not_saved(app, factories, db, world, changes, message):
    client = sign_in_as(app.test_client(), world["presenter"])
    data = {
        "given_by_name": "Jo",
        "given_by_relationship": "Mother",
        "given_on": date_parts(date.today()),
        "method": "verbal",
        "covers": ["discussion"],
        "expires_on": ["", "", ""],
        **changes,
    }
    before = len(db.session.scalars(select(Consent)).all())
    page = parse(client.post(f"/families/{world['family'].id}/consents/new", data=form_data(data)))
    assert message in [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert len(db.session.scalars(select(Consent)).all()) == before


# ---------------------------------------------------------------- anonymous consultations


def pages_showing_the_item(world) -> list[str]:
    meeting, item = world["meeting"], world["item"]
    return [
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/pack",
        f"/meetings/{meeting.id}/items/{item.id}/discussion",
        f"/meetings/{meeting.id}/calendar.ics",
    ]


def test_withdrawing_consent_makes_upcoming_items_anonymous_and_tells_the_chair(
    app, client_request, factories, db, world
):
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager")
    core = factories.user(Role.MEMBER, locality="DUR")
    presenter_client = sign_in_as(app.test_client(), world["presenter"])
    consent = world["family"].consents[0]
    response = presenter_client.post(
        f"/families/{world['family'].id}/consents/{consent.id}/withdraw",
        data=form_data({"withdrawn_on": date_parts(date.today()), "note": "Parent changed their mind"}),
        follow_redirects=True,
    )
    assert "1 upcoming agenda item(s) are now anonymous consultations" in response.get_data(as_text=True)
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == chair.email)).all()
    assert message.subject == "Consent withdrawn: DUR-2026-0042"
    assert CHILD_NAME not in message.body and "Smith" not in message.body

    for user in (chair, core, world["police"]):
        client = sign_in_as(app.test_client(), user)
        for url in pages_showing_the_item(world):
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = response.get_data(as_text=True)
            assert CHILD_NAME not in text and ADULT_NAME not in text, (user.email, url)
            assert "4 May 2018" not in text and "Durham Primary" not in text, (user.email, url)
    meeting_page = client_request(core).get("meetings.view_meeting", meeting_id=world["meeting"].id)
    assert "Family consulted anonymously; child aged" in meeting_page.select_one("[data-testid=agenda]").text


def test_a_family_without_consent_can_only_be_added_as_an_anonymous_consultation(app, factories, db):
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    family = factories.family("DUR", consent=False)
    meeting = factories.meeting("DUR")
    client = sign_in_as(app.test_client(), coordinator)
    data = {
        "family_id": str(family.id),
        "title": "Advice please",
        "discussion_type": "new",
        "presenter_id": str(coordinator.id),
        "duration_minutes": "20",
    }
    page = parse(client.post(f"/meetings/{meeting.id}/items/new", data=data))
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "This family has no valid consent on the meeting date: bring it as an anonymous consultation"
    ]
    assert (
        client.post(f"/meetings/{meeting.id}/items/new", data={**data, "discussion_type": "anonymous"}).status_code
        == 302
    )
    db.session.expire_all()
    assert meeting.items[-1].discussion_type is DiscussionType.ANONYMOUS


# ---------------------------------------------------------------- discussions


def discussion_data(**changes) -> MultiDict:
    data = {
        "worries": "Attendance 70%",
        "worry_statement": "If nothing changes he will fall behind",
        "complicating_factors": "",
        "strengths": "Mum engages with school",
        "existing_wellbeing": "",
        "wellbeing_goals": "Attendance above 90%",
        "next_steps": "Family Hub support",
        "score_family": "6",
        "score_presenter": "4",
        "score_group": "5",
        "decision": "review",
        "review_on": date_parts(date.today() + timedelta(days=60)),
        "decision_notes": "",
        "new_actions-0-description": "Book a Family Hub appointment",
        "new_actions-0-owner_id": "0",
        "new_actions-0-owner_agency_id": "1",
        "new_actions-0-due_on": date_parts(date.today() + timedelta(days=14)),
        "new_actions-1-description": "",
        "new_actions-1-owner_id": "0",
        "new_actions-1-owner_agency_id": "0",
        "new_actions-1-due_on": ["", "", ""],
        "version": "0",
    }
    data.update(changes)
    return form_data(data)


def test_a_member_records_the_mapping_scores_decision_and_actions(app, client_request, factories, db, world):
    member = factories.user(Role.MEMBER, locality="DUR")
    client = sign_in_as(app.test_client(), member)
    url = f"/meetings/{world['meeting'].id}/items/{world['item'].id}/discussion"
    page = parse(client.get(url))
    assert "On a scale of 0 to 10" in page.select_one("[data-testid=scaling-question]").text
    assert client.post(url, data=discussion_data()).status_code == 302
    db.session.expire_all()
    discussion = world["item"].discussion
    assert discussion.worries == "Attendance 70%" and discussion.decision.value == "review"
    assert {s.view: s.score for s in discussion.scores} == {
        ScoreView.FAMILY: 6,
        ScoreView.PRESENTER: 4,
        ScoreView.GROUP: 5,
    }
    assert [a.description for a in discussion.actions] == ["Book a Family Hub appointment"]
    family_page = client_request(world["presenter"]).get("families.view_family", family_id=world["family"].id)
    assert family_page.select_one("svg.lehc-chart[role=img]") is not None
    rows = [r.get_text(" ", strip=True) for r in family_page.select("[data-testid=scores] tbody tr")]
    assert any(r.endswith("The group 5") for r in rows)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"score_group": "11"}, "score_group", "The group's score must be a whole number from 0 to 10"),
        ({"score_family": "7.5"}, "score_family", "The family's score must be a whole number from 0 to 10"),
        (
            {"score_presenter": "-1"},
            "score_presenter",
            "The presenting practitioner's score must be a whole number from 0 to 10",
        ),
        ({"review_on": ["", "", ""]}, "review_on-day", "Enter the date the family comes back for review"),
        ({"new_actions-0-due_on": ["", "", ""]}, "new_actions-0-due_on-day", "Enter when it needs to be done by"),
        (
            {"new_actions-0-owner_agency_id": "0"},
            "new_actions-0-owner_id",
            "Choose who will do it, a person or an agency",
        ),
    ],
)
def test_bad_discussion_input_is_explained_and_nothing_is_lost(app, factories, db, world, changes, field, message):
    member = factories.user(Role.MEMBER, locality="DUR")
    client = sign_in_as(app.test_client(), member)
    url = f"/meetings/{world['meeting'].id}/items/{world['item'].id}/discussion"
    page = parse(client.post(url, data=discussion_data(**changes)))
    errors = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert errors == {f"#{field}": message}
    assert page.select_one("#worries").get_text() == "Attendance 70%"  # what was typed is kept
    db.session.expire_all()
    assert world["item"].discussion is None


# ---------------------------------------------------------------- the audit log


def test_admins_read_and_filter_the_audit_log_which_nobody_can_change(app, factories, db, world):
    chair = factories.user(Role.CHAIR, locality="DUR")
    sign_in_as(app.test_client(), chair).get(f"/families/{world['family'].id}")
    other = factories.family("DUR", reference="DUR-2026-0099")
    sign_in_as(app.test_client(), chair).get(f"/families/{other.id}")
    admin = sign_in_as(app.test_client(), factories.user(Role.ADMIN, locality=None))
    page = parse(admin.get("/admin/audit", query_string={"family_reference": "dur-2026-0042", "action": "view"}))
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("[data-testid=audit] tbody tr")]
    assert len(rows) == 1
    assert rows[0][1:5] == [chair.email, "Viewed", f"family record {world['family'].id}", "DUR-2026-0042"]
    audit_rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert audit_rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)


def test_a_subject_access_export_holds_everything_and_who_saw_it(app, factories, db, world, tmp_path):
    import io
    import json

    from docx import Document

    from tests.support.office import docx_to_pdf

    chair = factories.user(Role.CHAIR, locality="DUR")
    sign_in_as(app.test_client(), chair).get(f"/families/{world['family'].id}")
    admin = sign_in_as(app.test_client(), factories.user(Role.ADMIN, locality=None))
    assert admin.get(f"/families/{world['family'].id}").status_code == 404  # still no family page for admins
    page = parse(admin.get("/admin/subject-access", query_string={"reference": "dur-2026-0042"}))
    assert page.select_one("[data-testid=sar-links]") is not None
    data = json.loads(admin.get(f"/families/{world['family'].id}/subject-access.json").data)
    assert data["reference"] == "DUR-2026-0042"
    assert [m["name"] for m in data["members"]] == [CHILD_NAME]
    assert data["consents"][0]["given_by"] == ADULT_NAME
    assert any(e["who"] == chair.email and e["action"] == "view" for e in data["access_log"])
    docx = admin.get(f"/families/{world['family'].id}/subject-access.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Information held about family DUR-2026-0042" in text
    pdf_text, _ = docx_to_pdf(docx.data, "subject-access", tmp_path)
    assert pdf_text.has_words(CHILD_NAME) and pdf_text.has_words("OFFICIAL-SENSITIVE")
    assert (
        sign_in_as(app.test_client(), chair).get(f"/families/{world['family'].id}/subject-access.json").status_code
        == 404
    )
    exports = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.object_type == "subject_access", AuditEvent.action == "export")
    ).all()
    assert sorted(exports) == ["docx", "json"]


def test_the_lead_practitioner_writes_a_plain_english_letter_with_no_other_familys_data(app, factories, db, world):
    import io

    from docx import Document

    from lehc.families import services as family_services
    from lehc.families.letter import jargon_in
    from lehc.models import Decision, FamilyLetter

    meeting, item, presenter = world["meeting"], world["item"], world["presenter"]
    other = factories.item(
        meeting,
        family=factories.family("DUR", reference="DUR-2026-0777", children=[("Zed Otherfamily", date(2016, 2, 2))]),
    )
    for target, worries in (
        (item, "Attendance has dropped and the TAF is worried"),
        (other, "Zed Otherfamily is unwell"),
    ):
        family_services.record_discussion(
            target,
            mapping={
                "worries": worries,
                "strengths": "Mum works closely with the DSL",
                "next_steps": "Offer an EHA and consider step up to IFS",
            },
            scores={},
            decision=Decision.TAF,
            decision_notes="",
            review_on=None,
            new_actions=[
                {
                    "description": "Book a CAMHS appointment",
                    "owner_id": presenter.id,
                    "owner_agency_id": None,
                    "due_on": date.today() + timedelta(days=10),
                }
            ],
            by=presenter,
        )
    db.session.commit()
    url = f"/meetings/{meeting.id}/items/{item.id}/letter"
    assert sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="DUR")).get(url).status_code == 404
    client = sign_in_as(app.test_client(), presenter)
    page = parse(client.get(url))
    draft = {
        name: page.select_one(f"#{name}").get_text()
        for name in ("talked_about", "working_well", "next_steps", "contact")
    }
    text = " ".join(draft.values())
    assert jargon_in(text) == []
    assert "a small team of the people working with you" in text and "an early help assessment" in text
    assert "Zed Otherfamily" not in text and "DUR-2026-0777" not in text
    assert "Pat Presenter" in draft["contact"]
    page = parse(client.post(url, data={**draft, "working_well": "You work with the DSL"}))
    assert "Use plain words instead of professional terms such as 'DSL'" in page.select_one(".govuk-error-summary").text
    response = client.post(url, data={**draft, "next_steps": draft["next_steps"] + "\nWe will ring you on Monday."})
    assert response.headers["Content-Disposition"] == 'attachment; filename="LEHC-letter-DUR-2026-0042.docx"'
    letter_text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "We will ring you on Monday." in letter_text and "Zed Otherfamily" not in letter_text
    assert db.session.scalar(select(FamilyLetter)).saved_by_id == presenter.id


def test_the_families_list_query_follows_the_same_rule_as_the_policy(app, factories, db, world):
    """families_visible_to writes can_view_family as one query: the two must never disagree."""
    from lehc import policy
    from lehc.families.services import families_visible_to

    factories.family("EAS", reference="EAS-2026-0901")
    factories.family("DUR", reference="DUR-2026-0901")  # not on any agenda
    unpublished = factories.meeting("DUR")
    factories.item(unpublished, family=factories.family("DUR", reference="DUR-2026-0902"))
    people = [
        world["presenter"],
        world["police"],
        factories.user(Role.CHAIR, locality="DUR"),
        factories.user(Role.COORDINATOR, locality="EAS"),
        factories.user(Role.MEMBER, locality="DUR"),
        factories.user(Role.MEMBER, locality="EAS"),
        factories.user(Role.ADMIN, locality=None),
    ]
    everything = db.session.scalars(select(Family)).all()
    for person in people:
        listed = {f.reference for f in families_visible_to(person)}
        allowed = {f.reference for f in everything if policy.can_view_family(person, f)}
        assert listed == allowed, person.email


def test_a_record_cannot_be_closed_before_the_family_was_recorded(app, db, factories):
    chair = factories.user(Role.CHAIR, locality="DUR")
    family = factories.family("DUR", reference="DUR-2026-0400")
    family.created_at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    db.session.commit()
    client = sign_in_as(app.test_client(), chair)
    url = f"/families/{family.id}/close"
    page = parse(client.post(url, data={"closed_on": ["9", "3", "2026"], "reason": "Support ended"}))
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "Date closed must be on or after 10 March 2026, when the family was recorded"
    ]
    db.session.expire_all()
    assert db.session.get(Family, family.id).closed_on is None
    assert client.post(url, data={"closed_on": ["10", "3", "2026"], "reason": "Support ended"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Family, family.id).closed_on == date(2026, 3, 10)
