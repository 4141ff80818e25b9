"""The Early Help Forums' areas and the school terms (issue 15): an administrator groups localities into areas and
keeps the county's term dates, with clear messages for a clash and every change audited."""

from datetime import date

from sqlalchemy import select

from lehc.models import Area, AuditEvent, Locality, Role, SchoolTerm
from lehc.terms import term_of
from tests.conftest import parse, sign_in_as


def errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in parse(response).select(".govuk-error-summary a")]


def parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def areas(db) -> dict[str, list[str]]:
    db.session.expire_all()
    return {area.name: [loc.code for loc in area.localities] for area in db.session.scalars(select(Area))}


def test_every_locality_starts_in_an_area_and_an_administrator_regroups_them(app, db, factories):
    assert areas(db) == {
        "North Durham": ["CLS", "DWS"],
        "Central and East Durham": ["DUR", "EAS"],
        "South Durham": ["SED", "TEE", "WVA"],
    }
    admin = sign_in_as(app.test_client(), factories.user(Role.ADMIN, locality=None))
    rows = parse(admin.get("/admin/areas")).select("[data-testid=areas] tbody tr")
    assert [row.td.get_text(strip=True) for row in rows] == ["Central and East Durham", "North Durham", "South Durham"]

    north = db.session.scalar(select(Area).where(Area.name == "North Durham"))
    durham = factories.locality("DUR")
    ids = [loc.id for loc in north.localities] + [durham.id]
    url = f"/admin/areas/{north.id}/edit"
    page = parse(admin.get(url))
    assert {box.find_next("label").get_text(strip=True) for box in page.select("[name=localities][checked]")} == {
        "Chester-le-Street (now in North Durham)",
        "Derwentside (now in North Durham)",
    }
    assert errors(admin.post(url, data={"name": " ", "localities": ids})) == ["Enter the area name"]
    taken = admin.post(url, data={"name": "south durham", "localities": ids})
    assert errors(taken) == ["Another area already has this name"]
    assert admin.post(url, data={"name": "North", "localities": ids}).status_code == 302
    assert areas(db)["North"] == ["CLS", "DWS", "DUR"]  # Durham moved from the area it was in
    assert areas(db)["Central and East Durham"] == ["EAS"]
    detail = db.session.scalar(select(AuditEvent.detail).where(AuditEvent.object_type == "area"))
    assert detail == "North: CLS, DWS, DUR"

    central = db.session.scalar(select(Area).where(Area.name == "Central and East Durham"))
    assert admin.post(f"/admin/areas/{central.id}/edit", data={"name": central.name}).status_code == 302
    assert db.session.get(Locality, factories.locality("EAS").id).area is None
    warning = parse(admin.get("/admin/areas")).select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "Not in any area, so in no Early Help Forum: Easington" in warning
    response = admin.post(
        "/admin/areas/new", data={"name": "East Durham", "localities": [factories.locality("EAS").id]}
    )
    assert response.status_code == 302
    assert areas(db)["East Durham"] == ["EAS"]
    assert sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="DUR")).get(url).status_code == 403


def test_an_administrator_keeps_the_school_terms_and_a_clash_is_explained(app, db, factories):
    admin = sign_in_as(app.test_client(), factories.user(Role.ADMIN, locality=None))
    assert parse(admin.get("/admin/terms")).select_one("[data-testid=no-terms]") is not None
    autumn = {"name": "Autumn term 2026", "starts_on": parts(date(2026, 9, 3)), "ends_on": parts(date(2026, 12, 18))}
    assert admin.post("/admin/terms/new", data=autumn).status_code == 302
    term = db.session.scalar(select(SchoolTerm))
    assert (term.name, term.starts_on, term.ends_on) == ("Autumn term 2026", date(2026, 9, 3), date(2026, 12, 18))
    assert term_of(date(2026, 11, 30)) == term and term_of(date(2026, 12, 24)) is None

    spring = {"name": "Spring term 2027", "starts_on": parts(date(2026, 12, 14)), "ends_on": parts(date(2027, 3, 26))}
    assert errors(admin.post("/admin/terms/new", data=spring)) == [
        "The term overlaps Autumn term 2026: change its dates or this term's"
    ]
    backwards = spring | {"starts_on": parts(date(2027, 3, 26)), "ends_on": parts(date(2027, 1, 4))}
    assert errors(admin.post("/admin/terms/new", data=backwards)) == [
        "The last day of term must be the same as or after the first day"
    ]
    too_long = spring | {"starts_on": parts(date(2027, 1, 4)), "ends_on": parts(date(2027, 7, 21))}
    assert errors(admin.post("/admin/terms/new", data=too_long)) == ["A term must be shorter than 20 weeks"]
    unreal = spring | {"starts_on": ["31", "2", "2027"]}
    assert errors(admin.post("/admin/terms/new", data=unreal)) == ["First day of term must be a real date"]
    spring |= {"starts_on": parts(date(2027, 1, 4))}
    assert admin.post("/admin/terms/new", data=spring).status_code == 302
    rows = parse(admin.get("/admin/terms")).select("[data-testid=terms] tbody tr")
    assert [row.td.get_text(strip=True) for row in rows] == ["Autumn term 2026", "Spring term 2027"]

    edited = autumn | {"ends_on": parts(date(2026, 12, 17))}
    assert admin.post(f"/admin/terms/{term.id}/edit", data=edited).status_code == 302  # its own dates are no clash
    db.session.expire_all()
    assert term.ends_on == date(2026, 12, 17)
    assert admin.post(f"/admin/terms/{term.id}/remove").status_code == 302
    assert [t.name for t in db.session.scalars(select(SchoolTerm))] == ["Spring term 2027"]
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "school_term")).all()
    assert sorted(actions) == ["create", "create", "delete", "update"]
    assert (
        sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="DUR")).get("/admin/terms").status_code == 403
    )
