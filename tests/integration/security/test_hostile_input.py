"""Property-based: random and hostile values posted to every form never give a 500, are never echoed unescaped,
and leave what was saved before intact."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lehc.meetings import services as meeting_services
from lehc.models import Family, Role
from tests.conftest import parse, sign_in_as

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE family; --",
            "\x00",
            "\x01\x0b\x0c\x1b[0m",
            "Teesdale\r\nBcc: evil@example.org",
            "line\u2028separator\x85next",
            "A" * 20000,
            '=HYPERLINK("x")',
            "{{ 7*7 }}",
            "../../etc/passwd",
            "99999999999999999999",
            "-1",
            "31",
            "2",
            "0",
            "\u202egnp.exe",
            "😀" * 50,
            " ",
            "",
            "1 1 1",
            "31 2 2026",
        ]
    ),
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=40),  # control characters of every kind
)

FORMS = {
    "new user": ("admin", "/admin/users/new", ["name", "email", "job_title", "agency_id", "role", "password"]),
    "new family": (
        "chair",
        "/families/new",
        ["locality_id", "requested_on", "summary", "needs", "lead_practitioner_id"],
    ),
    "consent": (
        "chair",
        "/families/{family}/consents/new",
        ["given_by_name", "given_by_relationship", "given_on", "method", "covers", "expires_on"],
    ),
    "member": (
        "chair",
        "/families/{family}/members/new",
        ["kind", "name", "date_of_birth", "school_or_setting", "send", "relationship_to_child"],
    ),
    "series": (
        "chair",
        "/localities/{locality}/series/new",
        [
            "kind_code",
            "frequency",
            "weekday",
            "week_of_month",
            "start_time",
            "duration_minutes",
            "venue",
            "online_link",
            "first_date",
            "until_date",
            "occurrences",
            "on_clash",
        ],
    ),
    "item": (
        "chair",
        "/meetings/{meeting}/items/new",
        ["family_id", "title", "discussion_type", "presenter_id", "duration_minutes", "call_on"],
    ),
    "discussion": (
        "chair",
        "/meetings/{meeting}/items/{item}/discussion",
        [
            "worries",
            "score_group",
            "score_family",
            "decision",
            "review_on",
            "version",
            "new_actions-0-description",
            "new_actions-0-owner_id",
            "new_actions-0-due_on",
        ],
    ),
    "response": ("chair", "/meetings/{meeting}/response", ["response", "deputy_name", "deputy_email"]),
    "attendance": ("chair", "/meetings/{meeting}/run", ["form", "status-1", "deputy-1"]),
    "sign in": ("chair", "/sign-in", ["email", "password"]),
    "closure": ("chair", "/localities/{locality}/closures", ["day", "reason"]),
    "change password": ("chair", "/account/password", ["current_password", "new_password", "confirm_password"]),
}


@pytest.fixture
def setting(app, factories, db):
    chair = factories.user(Role.CHAIR, locality="DUR")
    admin = factories.user(Role.ADMIN, locality=None)
    family = factories.family("DUR", reference="DUR-2026-0500", summary="Saved before the attack")
    meeting = factories.meeting("DUR", organiser=chair)
    item = factories.item(meeting, family=family)
    meeting_services.publish_agenda(meeting, chair)
    db.session.commit()
    ids = {"family": family.id, "meeting": meeting.id, "item": item.id, "locality": factories.locality("DUR").id}
    clients = {"chair": sign_in_as(app.test_client(), chair), "admin": sign_in_as(app.test_client(), admin)}
    return ids, clients


@pytest.mark.parametrize("form_name", list(FORMS))
def test_hostile_input_never_breaks_a_form(app, db, setting, form_name):
    ids, clients = setting
    role, url, fields = FORMS[form_name]
    client, url = clients[role], url.format(**ids)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(values=st.lists(HOSTILE, min_size=len(fields), max_size=len(fields)))
    def post(values):
        data = {field: value for field, value in zip(fields, values, strict=True)}
        response = client.post(url, data=data)
        assert response.status_code in (200, 302, 400, 403, 404), (form_name, response.status_code)
        if response.mimetype == "text/html":
            assert "<script>alert(1)</script>" not in response.get_data(as_text=True)

    post()
    db.session.expire_all()
    family = db.session.get(Family, ids["family"])
    assert family.summary == "Saved before the attack" and family.reference == "DUR-2026-0500"
    assert parse(clients["chair"].get("/families")).select_one("[data-testid=families]") is not None
    # whatever was stored is shown escaped wherever it appears
    for stored in db.session.scalars(select(Family).where(Family.summary.contains("<script>"))):
        page = clients["chair"].get(f"/families/{stored.id}").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "year, message",
    [
        ("2025", None),
        ("1", "Date of request must be a real date"),
        ("0001", "Date of request must be in 2000 or later"),
        ("9999", "Date of request must be today or in the past"),
        ("10000", "Date of request must be a real date"),
    ],
)
def test_dates_in_the_distant_past_or_future_are_handled(app, setting, year, message):
    ids, clients = setting
    data = {
        "locality_id": str(ids["locality"]),
        "requested_on": ["1", "1", year],
        "summary": "x",
        "lead_practitioner_id": "0",
    }
    response = clients["chair"].post("/families/new", data=data)
    if message is None:
        assert response.status_code == 302
    else:
        assert [a.get_text(strip=True) for a in parse(response).select(".govuk-error-summary a")] == [message]


@pytest.mark.parametrize("url", ["/calendar/a%00b.ics", "/admin/audit?user_email=a%00b", "/actions?scope=%00"])
def test_nul_in_an_address_is_refused_cleanly(setting, url):
    _, clients = setting
    assert clients["admin"].get(url).status_code == 400
