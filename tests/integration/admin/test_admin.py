import pytest
from sqlalchemy import select

from lehc.models import Locality, Membership, MembershipKind, Role, User
from tests.conftest import parse, sign_in_as

ADMIN_PAGES = [
    ("get", "/admin/users"),
    ("get", "/admin/users/new"),
    ("get", "/admin/users/{user_id}"),
    ("get", "/admin/users/{user_id}/edit"),
    ("get", "/admin/users/{user_id}/memberships/new"),
    ("post", "/admin/users/{user_id}/deactivate"),
    ("post", "/admin/users/{user_id}/reactivate"),
    ("get", "/admin/localities"),
    ("get", "/admin/localities/{locality_id}/edit"),
    ("get", "/admin/audit"),
    ("get", "/admin/access"),
    ("get", "/admin/subject-access"),
    ("post", "/admin/users/{user_id}/reset-two-factor"),
]


@pytest.fixture
def target(factories):
    return {"user_id": factories.user().id, "locality_id": factories.locality("DUR").id}


@pytest.mark.parametrize("method, url", ADMIN_PAGES)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CHAIR, Role.MEMBER])
def test_admin_pages_refuse_other_roles(client_as, target, method, url, role):
    response = getattr(client_as(role), method)(url.format(**target))
    assert response.status_code == 403
    assert parse(response).select_one("h1").get_text(strip=True) == "You do not have permission to see this page"


@pytest.mark.parametrize("method, url", ADMIN_PAGES)
def test_admin_pages_send_anonymous_users_to_sign_in(client, target, method, url):
    response = getattr(client, method)(url.format(**target))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("method, url", [page for page in ADMIN_PAGES if page[0] == "get"])
def test_admin_pages_open_for_an_admin(client_as, target, method, url):
    assert client_as(Role.ADMIN).get(url.format(**target)).status_code == 200


@pytest.fixture
def admin_client(client_as):
    return client_as(Role.ADMIN, locality=None)


def new_user_form(factories, **changes):
    form = {
        "name": "Robin Hall",
        "email": "Robin.Hall@example.org",
        "job_title": "School Nurse",
        "agency_id": str(factories.agency("0-25 Family Health Service").id),
        "role": "member",
        "password": "a perfectly long password",
    }
    form.update(changes)
    return form


def test_an_admin_creates_a_user_who_can_then_sign_in(admin_client, client, factories, db):
    response = admin_client.post("/admin/users/new", data=new_user_form(factories))
    user = db.session.scalar(select(User).where(User.email == "robin.hall@example.org"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert (user.name, user.job_title, user.role, user.agency.name) == (
        "Robin Hall",
        "School Nurse",
        Role.MEMBER,
        "0-25 Family Health Service",
    )
    signed_in = client.post(
        "/sign-in", data={"email": "robin.hall@example.org", "password": "a perfectly long password"}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Enter the person's full name"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"agency_id": "0"}, "agency_id", "Select the person's agency"),
        ({"role": ""}, "role", "Select the person's role"),
        ({"password": "too short"}, "password", "Password must be 12 characters or more"),
        ({"name": "x" * 121}, "name", "Full name must be 120 characters or fewer"),
    ],
)
def test_bad_user_details_are_explained_and_nothing_is_saved(admin_client, factories, db, changes, field, message):
    before = db.session.scalar(select(db.func.count(User.id)))
    response = admin_client.post("/admin/users/new", data=new_user_form(factories, **changes))
    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("title").get_text().startswith("Error: ")
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert links == {f"#{field}": message}
    assert db.session.scalar(select(db.func.count(User.id))) == before
    # what was typed is kept (the password is never echoed back)
    if field != "name":
        assert page.select_one("#name")["value"] == "Robin Hall"
    assert page.select_one("#password").get("value") in (None, "")


def test_an_email_address_already_in_use_is_refused_whatever_its_case(admin_client, factories):
    factories.user(email="taken@example.org")
    page = parse(admin_client.post("/admin/users/new", data=new_user_form(factories, email="TAKEN@example.org")))
    assert (
        page.select_one(".govuk-error-summary a").get_text(strip=True)
        == "A user with this email address already exists"
    )


def test_an_admin_edits_a_user_and_keeps_their_own_email(admin_client, factories, db):
    user = factories.user(Role.MEMBER)
    form = new_user_form(factories, email=user.email, role="chair", name="Renamed Person")
    form.pop("password")
    assert admin_client.post(f"/admin/users/{user.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert (user.name, user.role) == ("Renamed Person", Role.CHAIR)


def test_an_admin_deactivates_and_reactivates_a_user(admin_client, factories, db):
    user = factories.user()
    admin_client.post(f"/admin/users/{user.id}/deactivate")
    db.session.expire_all()
    assert user.active is False
    listing = parse(admin_client.get("/admin/users"))
    row = next(tr for tr in listing.select("tbody tr") if user.name in tr.text)
    assert "Deactivated" in row.text
    admin_client.post(f"/admin/users/{user.id}/reactivate")
    db.session.expire_all()
    assert user.active is True


def test_an_admin_cannot_deactivate_themselves(app, factories, db):
    admin = factories.user(Role.ADMIN)
    client = sign_in_as(app.test_client(), admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    db.session.expire_all()
    assert admin.active is True
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)


def test_an_admin_adds_and_removes_memberships_in_several_localities(admin_client, factories, db):
    user = factories.user(locality=None)
    for code, kind, seat in [("DUR", "core", "CAMHS"), ("EAS", "call_on", "Probation")]:
        response = admin_client.post(
            f"/admin/users/{user.id}/memberships/new",
            data={"locality_id": factories.locality(code).id, "kind": kind, "seat_id": factories.seat(seat).id},
        )
        assert response.status_code == 302
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    assert sorted((m.locality.code, m.kind, m.seat.name) for m in memberships) == [
        ("DUR", MembershipKind.CORE, "CAMHS"),
        ("EAS", MembershipKind.CALL_ON, "Probation"),
    ]
    durham = next(m for m in memberships if m.locality.code == "DUR")
    admin_client.post(f"/admin/users/{user.id}/memberships/{durham.id}/remove")
    remaining = db.session.scalars(select(Membership.locality_id).where(Membership.user_id == user.id)).all()
    assert remaining == [factories.locality("EAS").id]


def test_a_membership_whose_seat_does_not_match_its_type_is_refused(admin_client, factories, db):
    user = factories.user(locality=None)
    response = admin_client.post(
        f"/admin/users/{user.id}/memberships/new",
        data={"locality_id": factories.locality("DUR").id, "kind": "core", "seat_id": factories.seat("Probation").id},
    )
    page = parse(response)
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == (
        "Probation is a call-on seat: choose a matching seat or type"
    )
    assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None


def test_a_second_membership_of_the_same_locality_is_refused(admin_client, factories):
    user = factories.user(locality="DUR")
    page = parse(
        admin_client.post(
            f"/admin/users/{user.id}/memberships/new",
            data={"locality_id": factories.locality("DUR").id, "kind": "core", "seat_id": "0"},
        )
    )
    assert "already a member of that locality" in page.select_one(".govuk-error-summary").text


def test_removing_another_users_membership_is_not_found(admin_client, factories):
    owner = factories.user()
    other = factories.user()
    membership_id = owner.memberships[0].id
    assert admin_client.post(f"/admin/users/{other.id}/memberships/{membership_id}/remove").status_code == 404


def test_an_admin_renames_a_locality_but_not_to_another_localitys_name(admin_client, factories, db):
    durham = factories.locality("DUR")
    assert admin_client.post(f"/admin/localities/{durham.id}/edit", data={"name": "Durham City"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Locality, durham.id).name == "Durham City"
    page = parse(admin_client.post(f"/admin/localities/{durham.id}/edit", data={"name": "teesdale"}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Another locality already has this name"
    db.session.expire_all()
    assert db.session.get(Locality, durham.id).name == "Durham City"


def test_the_access_review_lists_everyone_who_can_reach_each_locality(admin_client, factories):
    member = factories.user(Role.MEMBER, locality="TEE", seat="CAMHS", name="Tess Teesdale")
    page = parse(admin_client.get("/admin/access"))
    rows = [r.get_text(" ", strip=True) for r in page.select("[data-testid=access-TEE] tbody tr")]
    assert any(row.startswith(member.name) and "Core, CAMHS" in row and "Never" in row for row in rows)
    assert (
        page.select("[data-testid=access-DUR] tbody tr") == []
        or member.name not in page.select_one("[data-testid=access-DUR]").text
    )


def test_changes_to_access_are_audited_with_who_whom_what_and_when(app, factories, db):
    from lehc.models import AuditEvent

    admin = factories.user(Role.ADMIN, locality=None)
    client = sign_in_as(app.test_client(), admin)
    user = factories.user(Role.MEMBER, locality=None, email="new.member@example.org")
    durham = factories.locality("DUR")
    client.post(
        f"/admin/users/{user.id}/memberships/new",
        data={"locality_id": durham.id, "kind": "core", "seat_id": factories.seat("CAMHS").id},
    )
    form = new_user_form(factories, email=user.email, role="chair", name=user.name)
    form.pop("password")
    client.post(f"/admin/users/{user.id}/edit", data=form)
    client.post(f"/admin/users/{user.id}/deactivate")
    client.post(f"/admin/users/{user.id}/reactivate")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    client.post(f"/admin/users/{user.id}/memberships/{membership.id}/remove")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == user.id).order_by(AuditEvent.id))
    trail = [(e.user_id, e.action, e.object_type, e.detail) for e in events if e.object_type == "user"]
    assert trail == [
        (admin.id, "grant_membership", "user", "new.member@example.org: DUR core, CAMHS"),
        (admin.id, "update_user", "user", "new.member@example.org: role member to chair; job title; agency"),
        (admin.id, "deactivate_user", "user", "new.member@example.org: deactivated"),
        (admin.id, "reactivate_user", "user", "new.member@example.org: reactivated"),
        (admin.id, "revoke_membership", "user", "new.member@example.org: DUR core, CAMHS"),
    ]
    review = parse(client.get("/admin/access")).select_one("[data-testid=access-changes]").get_text(" ", strip=True)
    assert "Grant membership" in review and "new.member@example.org: DUR core, CAMHS" in review


def test_an_administrator_needs_a_second_administrator_to_reach_families(app, factories, db):
    first = factories.user(Role.ADMIN, locality=None, email="first.admin@example.org")
    second = factories.user(Role.ADMIN, locality=None)
    family = factories.family("DUR")
    client = sign_in_as(app.test_client(), first)
    durham, camhs = factories.locality("DUR").id, factories.seat("CAMHS").id
    refused = client.post(
        f"/admin/users/{first.id}/memberships/new",
        data={"locality_id": durham, "kind": "core", "seat_id": camhs},
        follow_redirects=True,
    )
    assert "Another administrator must change your own role and localities" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Membership).where(Membership.user_id == first.id)).all() == []
    form = new_user_form(factories, email=first.email, role="chair", name=first.name)
    form.pop("password")
    page = parse(client.post(f"/admin/users/{first.id}/edit", data=form))
    assert "Another administrator must change" in page.select_one(".govuk-error-summary").get_text()
    db.session.expire_all()
    assert first.role is Role.ADMIN
    assert client.get(f"/families/{family.id}").status_code == 404

    sign_in_as(app.test_client(), second).post(
        f"/admin/users/{first.id}/memberships/new", data={"locality_id": durham, "kind": "core", "seat_id": camhs}
    )
    review = parse(client.get("/admin/access"))
    assert "1 administrator also sits in a locality" in review.select_one(".govuk-warning-text").get_text()
    admins = review.select_one("[data-testid=admins]").get_text(" ", strip=True)
    assert "first.admin@example.org) Sits in 1 locality" in admins


def test_an_admin_sets_how_many_days_before_a_meeting_its_agenda_closes(admin_client, factories, db):
    durham = factories.locality("DUR")
    assert db.session.get(Locality, durham.id).agenda_deadline_days == 7  # the default
    form = parse(admin_client.get(f"/admin/localities/{durham.id}/edit"))
    assert form.select_one("#agenda_deadline_days")["value"] == "7"
    data = {"name": "Durham", "agenda_deadline_days": "10"}
    assert admin_client.post(f"/admin/localities/{durham.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Locality, durham.id).agenda_deadline_days == 10
    for typed in ("0", "29", "ten", "7.5", "²"):
        page = parse(
            admin_client.post(f"/admin/localities/{durham.id}/edit", data={**data, "agenda_deadline_days": typed})
        )
        summary = page.select_one(".govuk-error-summary a").get_text(strip=True)
        assert summary == "Days before a meeting must be a whole number from 1 to 28"
    db.session.expire_all()
    assert db.session.get(Locality, durham.id).agenda_deadline_days == 10
    assert "10 days before" in parse(admin_client.get("/admin/localities")).get_text()
