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
