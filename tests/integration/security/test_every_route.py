"""Checks generated from the URL map, so a new route cannot escape them."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from lehc.models import Role
from tests.conftest import make_test_app, sign_in_as


def concrete(rule) -> str:
    """The rule with every converter replaced by 1."""
    return re.sub(r"<[^>]+>", "1", rule.rule)


def post_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(database_url, app, factories):
    protected = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    user = factories.user(Role.CHAIR, locality="DUR")
    rules = post_rules(protected)
    assert len(rules) > 25
    # a mail client's one-click unsubscribe (RFC 8058) posts no form token: its own token is the secret
    exempt = {"meetings.leave_mailing_list"}
    for rule in [rule for rule in rules if rule.endpoint not in exempt]:
        client = sign_in_as(protected.test_client(), user)
        missing = client.post(concrete(rule), data={"anything": "x"})
        wrong = client.post(concrete(rule), data={"csrf_token": "forged"})
        assert (rule.rule, missing.status_code, wrong.status_code) == (rule.rule, 400, 400)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_get_route_sends_the_security_headers(app, factories, signed_in):
    client = app.test_client()
    if signed_in:
        sign_in_as(client, factories.user(Role.CHAIR, locality="DUR"))
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.static"):
            continue
        response = client.get(concrete(rule))
        headers = response.headers
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), rule.rule
        assert headers["X-Content-Type-Options"] == "nosniff", rule.rule
        assert headers["Referrer-Policy"] == "same-origin", rule.rule
        assert "camera=()" in headers["Permissions-Policy"], rule.rule
        assert response.status_code != 500, rule.rule
        if response.mimetype in ("text/html", "text/calendar", "text/csv") or "officedocument" in response.mimetype:
            assert headers["Cache-Control"] == "no-store", rule.rule


def test_hsts_is_sent_in_production_only(database_url, app, monkeypatch, tmp_path):
    production = make_test_app(database_url, LEHC_ENV="production", TOTP_REQUIRED=True)
    assert "max-age=31536000" in production.test_client().get("/sign-in").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in app.test_client().get("/sign-in").headers


# ---------------------------------------------------------------- the access matrix, for every GET route

# endpoint: (other locality's member, administrator, the locality's chair). Anonymous users are sent to sign in,
# except on the public routes below. A route missing here fails the test: decide who may use it.
MATRIX = {
    "actions.tracker": (200, 200, 200),
    "actions.tracker_csv": (200, 200, 200),
    "actions.tracker_docx": (200, 200, 200),
    "actions.update_action": (404, 404, 200),
    "admin.access_review": (403, 200, 403),
    "admin.add_membership": (403, 200, 403),
    "admin.audit_log": (403, 200, 403),
    "admin.create_user": (403, 200, 403),
    "admin.edit_locality": (403, 200, 403),
    "admin.list_areas": (403, 200, 403),
    "admin.create_area": (403, 200, 403),
    "admin.edit_area": (403, 200, 403),
    "admin.list_terms": (403, 200, 403),
    "admin.create_term": (403, 200, 403),
    "admin.edit_term": (403, 200, 403),
    "admin.edit_default_seats": (403, 200, 403),
    "admin.edit_locality_seats": (403, 200, 403),
    "admin.edit_user": (403, 200, 403),
    "admin.list_localities": (403, 200, 403),
    "admin.list_users": (403, 200, 403),
    "admin.subject_access": (403, 200, 403),
    "admin.view_user": (403, 200, 403),
    "auth.change_password": (200, 200, 200),
    "auth.enter_code": (302, 302, 302),
    "auth.forgot_password": (200, 200, 200),
    "auth.reset_password": (404, 404, 404),
    "auth.set_up_authenticator": (302, 302, 302),
    "auth.sign_in": (302, 302, 302),
    "exports.agenda_docx": (404, 404, 200),
    "exports.distribution_copies": (404, 404, 404),  # no approved minutes yet
    "exports.minutes_docx": (404, 404, 200),
    "families.add_member": (404, 404, 200),
    "families.close_family": (404, 404, 200),
    "families.create_family": (200, 200, 200),
    "families.edit_family": (404, 404, 200),
    "minutes.family_letter": (404, 404, 404),  # the lead practitioner's, not the chair's
    "families.list_families": (200, 200, 200),
    "meetings.list_meetings": (200, 200, 200),
    "meetings.meeting_pack": (404, 404, 200),
    "meetings.outbox": (403, 200, 200),
    "families.record_consent": (404, 404, 200),
    "minutes.record_discussion": (404, 404, 200),
    "families.subject_access_docx": (404, 200, 404),
    "families.subject_access_json": (404, 200, 404),
    "families.view_family": (404, 404, 200),
    "families.withdraw_consent": (404, 404, 200),
    "insight.dashboard": (403, 403, 200),
    "insight.dashboard_csv": (403, 403, 200),
    "main.dashboard": (200, 200, 200),
    "main.find_people": (200, 200, 200),  # names and agencies of practitioners, no family
    "main.health_check": (200, 200, 200),
    "main.profile": (200, 200, 200),
    "main.search": (200, 200, 200),
    "meetings.add_item": (404, 404, 200),
    "meetings.agency_checks_page": (404, 404, 200),
    "meetings.answer_agency_check": (404, 404, 200),
    "meetings.calendar_feed": (404, 404, 404),
    "meetings.cancel_meeting": (404, 404, 200),
    "meetings.closures": (403, 403, 200),
    "meetings.create_meeting": (403, 403, 200),
    "meetings.create_series": (403, 403, 200),
    "meetings.create_forum": (403, 403, 200),  # the outsider sits in the area, as a member: no scheduler
    "meetings.add_presentation": (403, 404, 200),  # the forum's: the outsider sees it (same area), runs nothing
    "meetings.edit_presentation": (403, 404, 200),
    "meetings.mailing_list": (403, 403, 200),
    "meetings.leave_mailing_list": (404, 404, 404),  # public, by a token (this one is no mailing list's)
    "meetings.download_invite": (404, 404, 200),
    "meetings.edit_item": (404, 404, 200),
    "meetings.reschedule_meeting": (404, 404, 200),
    "meetings.prepare_meeting": (404, 404, 200),
    "meetings.respond": (404, 404, 200),
    "meetings.view_locality": (403, 403, 200),
    "meetings.view_meeting": (404, 404, 200),
    "minutes.amend_minutes": (404, 404, 302),  # nothing approved to amend: back to the run page
    "minutes.approve_minutes": (404, 404, 302),  # the meeting has not taken place: back to the minutes
    "minutes.run_meeting": (404, 404, 200),
    "minutes.view_minutes": (404, 404, 200),
}
PUBLIC = {
    "auth.sign_in": 200,
    "auth.enter_code": 302,
    "auth.set_up_authenticator": 302,
    "auth.forgot_password": 200,
    "auth.reset_password": 404,
    "main.health_check": 200,
    "meetings.calendar_feed": 404,
    "meetings.leave_mailing_list": 404,
}


@pytest.fixture
def matrix_world(factories, db):
    from lehc.families import services as family_services
    from lehc.meetings import services as meeting_services
    from lehc.minutes import services as minutes_services
    from lehc.models import AgencySector, Decision, SchoolTerm

    term = SchoolTerm(name="Autumn term 2026", starts_on=date(2026, 9, 3), ends_on=date(2026, 12, 18))
    db.session.add(term)
    chair = factories.user(Role.CHAIR, locality="DUR")
    meeting = factories.meeting("DUR", organiser=chair)
    item = factories.item(meeting)
    meeting_services.publish_agenda(meeting, chair)
    discussion = family_services.record_discussion(
        item,
        mapping={},
        scores={},
        decision=Decision.TAF,
        decision_notes="",
        review_on=None,
        new_actions=[
            {"description": "Do it", "owner_id": chair.id, "owner_agency_id": None, "due_on": meeting.starts_at.date()}
        ],
        by=chair,
    )
    forum = factories.meeting("DUR", kind="forum", area="Central and East Durham", organiser=chair)
    presentation = meeting_services.add_presentation(
        forum, title="Partnership update", presenter_name="", presenter_organisation="", duration_minutes=20, by=chair
    )
    guest = minutes_services.add_guest(forum, name="", organisation="Harbour", sector=AgencySector.VOLUNTARY)
    contact = meeting_services.add_contact(
        forum.area, email="sam@harbour.example", name="", organisation="Harbour", sector=AgencySector.VOLUNTARY
    )
    db.session.commit()
    values = {
        "forum": {"meeting_id": forum.id, "item_id": presentation.id, "guest_id": guest.id},  # the forum's records
        "contact_id": contact.id,
        "user_id": chair.id,
        "locality_id": factories.locality("DUR").id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "family_id": item.family_id,
        "consent_id": item.family.consents[0].id,
        "action_id": discussion.actions[0].id,
        "check_id": item.agency_checks[0].id,  # the chair's own agency's check
        "message_id": meeting_services.outbox_page(chair, meeting_services.OutboxFilter())[1][0].id,  # an invitation
        "token": "not-a-real-token",
        "kind_code": "step",
        "area_id": factories.locality("DUR").area_id,
        "term_id": term.id,
    }
    people = {
        "outsider": factories.user(Role.MEMBER, locality="EAS"),
        "admin": factories.user(Role.ADMIN, locality=None),
        "chair": chair,
    }
    return values, people


FORUM_ROUTES = {  # a forum's, not the LEHC's
    "meetings.add_presentation",
    "meetings.edit_presentation",
    "minutes.add_guest",
    "minutes.remove_guest",
}


def arguments(rule, values: dict) -> dict:
    """The URL's arguments from the world's records: the forum's meeting and item for the forum's routes."""
    chosen = {**values, **values["forum"]} if rule.endpoint in FORUM_ROUTES else values
    return {arg: chosen[arg] for arg in rule.arguments}


def test_every_get_route_is_in_the_access_matrix(app, matrix_world):
    from flask import url_for

    values, people = matrix_world
    rules = [
        r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in ("static", "assets.static")
    ]
    assert sorted(r.endpoint for r in rules) == sorted(MATRIX), "a route without an entry in MATRIX"
    clients = {"anonymous": app.test_client(), **{k: sign_in_as(app.test_client(), u) for k, u in people.items()}}
    with app.test_request_context():
        urls = {r.endpoint: url_for(r.endpoint, **arguments(r, values)) for r in rules}
    failures = []
    for endpoint, url in sorted(urls.items()):
        expected = dict(zip(("outsider", "admin", "chair"), MATRIX[endpoint], strict=True))
        expected["anonymous"] = PUBLIC.get(endpoint, 302)
        for who, client in clients.items():
            status = client.get(url).status_code
            if status != expected[who]:
                failures.append(f"{endpoint} as {who}: {status}, expected {expected[who]}")
    assert failures == []


# ---------------------------------------------------------------- and every POST route

# endpoint: (other locality's member, administrator) when they post to the chair's locality's records.
# The chair must not be refused (except on admin routes). A route missing here fails the test.
POST_MATRIX = {
    "actions.update_action": (404, 404),
    "admin.add_membership": (403, 200),
    "admin.create_user": (403, 200),
    "admin.deactivate_user": (403, 302),
    "admin.edit_locality": (403, 302),  # an empty post keeps the saved values
    "admin.edit_default_seats": (403, 200),  # an empty post: the form again, with its error
    "admin.edit_locality_seats": (403, 200),
    "admin.clear_default_seats": (403, 302),
    "admin.clear_locality_seats": (403, 302),
    "admin.create_area": (403, 200),  # an empty post: the form again, with its errors
    "admin.edit_area": (403, 302),  # an empty post keeps the name and empties the area (its page then warns)
    "admin.create_term": (403, 200),
    "admin.edit_term": (403, 200),
    "admin.remove_term": (403, 302),
    "admin.edit_user": (403, 302),
    "admin.reactivate_user": (403, 302),
    "admin.remove_membership": (403, 302),
    "admin.reset_two_factor": (403, 302),
    "auth.change_password": (200, 200),
    "auth.enter_code": (302, 302),
    "auth.forgot_password": (200, 200),
    "auth.new_recovery_codes": (200, 200),
    "auth.reset_password": (404, 404),
    "auth.set_up_authenticator": (302, 302),
    "auth.sign_in": (302, 302),
    "auth.sign_out": (302, 302),
    "auth.sign_out_everywhere": (302, 302),
    "families.add_member": (404, 404),
    "families.close_family": (404, 404),
    "families.create_family": (200, 200),
    "families.edit_family": (404, 404),
    "minutes.family_letter": (404, 404),
    "families.record_consent": (404, 404),
    "minutes.record_discussion": (404, 404),
    "families.remove_member": (404, 404),
    "families.withdraw_consent": (404, 404),
    "main.regenerate_calendar_link": (302, 302),
    "main.save_reminders": (302, 302),  # their own settings: an empty post switches every reminder off
    "main.search": (200, 200),  # an empty search: the form again, with its error
    "meetings.add_item": (404, 404),
    "meetings.answer_agency_check": (404, 404),
    "meetings.cancel_meeting": (404, 404),
    "meetings.closures": (403, 403),
    "meetings.create_meeting": (403, 403),
    "meetings.create_series": (403, 403),
    "meetings.create_forum": (403, 403),
    "meetings.add_presentation": (403, 404),
    "meetings.edit_presentation": (403, 404),
    "meetings.mailing_list": (403, 403),
    "meetings.remove_contact": (403, 403),
    "meetings.leave_mailing_list": (404, 404),
    "meetings.rejoin_mailing_list": (404, 404),
    "meetings.edit_item": (404, 404),
    "meetings.mark_held": (404, 404),
    "meetings.resend_message": (404, 302),
    "meetings.move_item": (404, 404),
    "meetings.publish_agenda": (404, 404),
    "meetings.remove_closure": (403, 403),
    "meetings.remove_item": (404, 404),
    "meetings.reschedule_meeting": (404, 404),
    "meetings.respond": (404, 404),
    "minutes.add_meeting_action": (404, 404),
    "minutes.add_guest": (403, 404),  # the forum's: the outsider sees it (same area), runs nothing
    "minutes.remove_guest": (403, 404),
    "minutes.amend_minutes": (404, 404),
    "minutes.approve_minutes": (404, 404),
    "minutes.run_meeting": (404, 404),
    "minutes.save_notes": (404, 404),
    "minutes.save_declarations": (404, 404),
}
PUBLIC_POST = {
    "auth.enter_code": 302,
    "auth.forgot_password": 200,
    "auth.reset_password": 404,
    "auth.set_up_authenticator": 302,
    "auth.sign_in": 200,
    "meetings.leave_mailing_list": 404,
    "meetings.rejoin_mailing_list": 404,
}


def test_every_post_route_is_in_the_access_matrix(app, db, factories, matrix_world):
    from flask import url_for

    from lehc.models import ClosureDate

    values, people = matrix_world
    target = factories.user(Role.MEMBER, locality="SED")  # the admin routes act on someone else
    closure = ClosureDate(locality_id=values["locality_id"], day=date(2030, 1, 2), reason="Training")
    db.session.add(closure)
    db.session.commit()
    values = {
        **values,
        "user_id": target.id,
        "membership_id": target.memberships[0].id,
        "closure_id": closure.id,
        "member_id": _first_member_id(db, values["family_id"]),
    }
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert sorted(r.endpoint for r in rules) == sorted(POST_MATRIX), "a POST route without an entry in POST_MATRIX"
    with app.test_request_context():
        urls = {r.endpoint: url_for(r.endpoint, **arguments(r, values)) for r in rules}
    failures = []
    # the chair's removing the item and cancelling the meeting would close them to the routes after: those go last
    # (and the administrator's empty post empties the area, so its forum has nobody after it)
    closing = ("meetings.remove_item", "meetings.cancel_meeting", "admin.edit_area")
    order = {endpoint: closing.index(endpoint) + 1 if endpoint in closing else 0 for endpoint in urls}
    for endpoint, url in sorted(urls.items(), key=lambda pair: (order[pair[0]], pair[0])):
        anonymous = app.test_client().post(url).status_code
        if anonymous != PUBLIC_POST.get(endpoint, 302):
            failures.append(f"{endpoint} anonymous: {anonymous}")
        for who, expected in zip(("outsider", "admin"), POST_MATRIX[endpoint], strict=True):
            status = sign_in_as(app.test_client(), people[who]).post(url).status_code
            if status != expected:
                failures.append(f"{endpoint} as {who}: {status}, expected {expected}")
        chair = sign_in_as(app.test_client(), people["chair"]).post(url).status_code
        refused_as_expected = endpoint.startswith("admin.") and chair == 403
        not_the_chairs = (
            "auth.reset_password",
            "minutes.family_letter",
            "meetings.leave_mailing_list",  # by a mailing list's token, which the world's is not
            "meetings.rejoin_mailing_list",
        )
        if chair == 500 or (chair in (403, 404) and not refused_as_expected and endpoint not in not_the_chairs):
            failures.append(f"{endpoint} as the chair: {chair}")
    assert failures == []


def _first_member_id(db, family_id: int) -> int:
    from lehc.models import FamilyMember

    return db.session.scalar(select(FamilyMember.id).where(FamilyMember.family_id == family_id))


def test_ids_beyond_what_a_database_holds_are_not_found_never_a_500(app, factories):
    client = sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="DUR"))
    huge = "99999999999999999999"
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule and "GET" in r.methods]
    assert len(rules) > 20
    for rule in rules:
        assert client.get(re.sub(r"<int:[^>]+>", huge, rule.rule)).status_code == 404, rule.rule
    for query in ("locality", "agency", "owner", "meeting", "page"):
        assert client.get("/actions", query_string={query: huge, "scope": "all"}).status_code == 200, query
        assert client.get("/actions.csv", query_string={query: huge}).status_code == 200, query
    for query in ("locality", "page", "status", "when", "since"):
        assert client.get("/meetings", query_string={query: huge}).status_code == 200, query
