"""Person pickers (issue 14): a picker lists its locality's people, not the whole county; the rest of the county is
found by typing (the type-ahead asks /people/search); whoever is chosen that way is accepted and kept, and someone
who may not be picked is refused on the form."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lehc.models import AgendaItem, Role
from tests.conftest import parse, sign_in_as


@pytest.fixture
def county(db, factories):
    return {
        "coordinator": factories.user(Role.COORDINATOR, locality="DUR", name="Cora Coordinator"),
        "durham": factories.user(locality="DUR", name="Dana Durham"),
        "easington": factories.user(locality="EAS", name="Ellis Easington"),
        "nowhere": factories.user(locality=None, name="Nell Nowhere"),
        "inactive": factories.user(locality="EAS", name="Ivy Inactive", active=False),
        "admin": factories.user(Role.ADMIN, locality=None, name="Ada Admin"),
    }


def found(client, text: str) -> list[str]:
    response = client.get("/people/search", query_string={"q": text})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return [person["label"] for person in response.get_json()["people"]]


def test_the_search_finds_people_who_may_be_picked_by_name_or_agency(app, county):
    client = sign_in_as(app.test_client(), county["durham"])
    assert found(client, "ellis") == ["Ellis Easington, CAMHS"]
    assert found(client, "  Nell   nowhere ") == ["Nell Nowhere, CAMHS"]  # spaces as people type them
    assert "Cora Coordinator, CAMHS" in found(client, "camhs")  # by agency
    assert found(client, "Ivy") == []  # no longer active
    assert found(client, "Ada Admin") == []  # administrators are never picked
    assert found(client, "e") == []  # one letter finds nobody: type two
    assert found(client, "%") == []  # LIKE's wildcards are taken literally
    response = client.get("/people/search", query_string={"q": "x" * 5000})
    assert response.status_code == 200 and response.get_json() == {"people": []}
    anonymous = app.test_client().get("/people/search", query_string={"q": "ellis"})
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location


def test_the_search_stops_at_twenty(app, db, factories, county):
    for number in range(25):
        factories.user(locality="TEE", name=f"Teesdale Person {number:02d}")
    labels = found(sign_in_as(app.test_client(), county["durham"]), "Teesdale Person")
    assert len(labels) == 20
    assert labels == sorted(labels)


def presenters(page) -> list[str]:
    return [option.get_text(strip=True) for option in page.select("select#presenter_id option")]


def item_form(family_id: int, presenter_id: int, **changes) -> dict:
    form = {
        "family_id": str(family_id),
        "title": "Young carer, school worried",
        "discussion_type": "new",
        "presenter_id": str(presenter_id),
        "duration_minutes": "20",
    }
    return form | changes


def test_a_picker_lists_its_locality_and_keeps_a_person_found_elsewhere_in_the_county(app, db, factories, county):
    meeting = factories.meeting("DUR", day=date.today() + timedelta(days=10))
    client = sign_in_as(app.test_client(), county["coordinator"])
    offered = presenters(parse(client.get(f"/meetings/{meeting.id}/items/new")))
    assert offered[0] == "Choose a practitioner"
    assert {"Cora Coordinator, CAMHS", "Dana Durham, CAMHS"} <= set(offered)
    assert not {"Ellis Easington, CAMHS", "Nell Nowhere, CAMHS", "Ivy Inactive, CAMHS", "Ada Admin, CAMHS"} & set(
        offered
    )  # Durham's people only: the rest of the county is found by typing
    assert offered[1:] == sorted(offered[1:])

    # another error on the form: the person found by typing stays chosen, nothing typed is lost
    family = factories.family("DUR", reference="DUR-2026-0042")
    page = parse(
        client.post(f"/meetings/{meeting.id}/items/new", data=item_form(family.id, county["easington"].id, title=""))
    )
    assert "Enter a title for the item" in page.select_one(".govuk-error-summary").get_text()
    chosen = page.select_one("select#presenter_id option[selected]")
    assert chosen.get_text(strip=True) == "Ellis Easington, CAMHS"

    response = client.post(f"/meetings/{meeting.id}/items/new", data=item_form(family.id, county["easington"].id))
    assert response.status_code == 302
    item = db.session.scalar(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.family_id.is_not(None))
    )
    assert item.presenter == county["easington"]
    edit = parse(client.get(f"/meetings/{meeting.id}/items/{item.id}/edit"))
    assert edit.select_one("select#presenter_id option[selected]").get_text(strip=True) == "Ellis Easington, CAMHS"


@pytest.mark.parametrize("who", ["inactive", "admin", "no one", "beyond any id"])
def test_a_person_who_may_not_be_picked_is_refused_on_the_form(app, db, factories, county, who):
    meeting = factories.meeting("DUR", day=date.today() + timedelta(days=10))
    client = sign_in_as(app.test_client(), county["coordinator"])
    person_id = county[who].id if who in county else {"no one": 987654, "beyond any id": 2**64}[who]
    family = factories.family("DUR", reference="DUR-2026-0042")
    response = client.post(f"/meetings/{meeting.id}/items/new", data=item_form(family.id, person_id))
    assert response.status_code in (200, 400)
    summary = parse(response).select_one(".govuk-error-summary")
    assert "Choose a person from the list" in summary.get_text()
    assert (
        db.session.scalar(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.family_id.is_not(None))
        )
        is None
    )


def test_namesakes_in_one_agency_are_told_apart_in_the_list_and_the_type_ahead(app, db, factories, county):
    """Two Sam Smiths of CAMHS, in Durham and Easington: each label says which (job title and locality), the
    same in Durham's own list, in its call-on checkboxes and in what typing finds, so choosing one chooses that
    person. Two with the same job in the same locality are told apart by e-mail address; names are compared
    without regard to capitals; a namesake who can no longer be picked does not make another label longer."""
    here = factories.user(locality="DUR", name="Sam Smith", email="sam.smith@example.org")
    there = factories.user(locality="EAS", name="Sam Smith", email="sam.smith2@example.org")
    there.job_title = "School nurse"
    twin_one = factories.user(locality="TEE", name="Alex Jones", email="alex.jones@example.org")
    twin_two = factories.user(locality="TEE", name="alex jones", email="alex.jones2@example.org")
    factories.user(locality="EAS", name="Dana Durham", active=False)
    factories.user(locality="DUR", name="Łukasz Nowak")  # a capital SQLite's lower() leaves as it is
    factories.user(locality="EAS", name="Łukasz Nowak")
    db.session.commit()
    here_label = "Sam Smith, CAMHS (Practitioner, Durham)"
    there_label = "Sam Smith, CAMHS (School nurse, Easington)"
    meeting = factories.meeting("DUR", day=date.today() + timedelta(days=10))
    client = sign_in_as(app.test_client(), county["coordinator"])
    page = parse(client.get(f"/meetings/{meeting.id}/items/new"))
    offered = presenters(page)
    assert here_label in offered and there_label not in offered and "Dana Durham, CAMHS" in offered
    assert found(client, "sam smith") == [here_label, there_label]
    assert found(client, "alex jones") == [
        "Alex Jones, CAMHS (Practitioner, Teesdale, alex.jones@example.org)",
        "alex jones, CAMHS (Practitioner, Teesdale, alex.jones2@example.org)",
    ]
    assert found(client, "nowak") == [
        "Łukasz Nowak, CAMHS (Practitioner, Durham)",
        "Łukasz Nowak, CAMHS (Practitioner, Easington)",
    ]
    assert {twin_one.id, twin_two.id} == {person["id"] for person in client.get("/people/search?q=alex").json["people"]}

    family = factories.family("DUR", reference="DUR-2026-0042")
    response = client.post(f"/meetings/{meeting.id}/items/new", data=item_form(family.id, there.id))
    assert response.status_code == 302
    item = db.session.scalar(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.family_id.is_not(None))
    )
    assert item.presenter == there and item.presenter != here
    edit = parse(client.get(f"/meetings/{meeting.id}/items/{item.id}/edit"))
    assert edit.select_one("select#presenter_id option[selected]").get_text(strip=True) == there_label


def test_call_on_members_are_listed_by_name_and_agency_and_namesakes_told_apart(app, db, factories, county):
    from lehc.models import MembershipKind

    police = factories.user(locality="DUR", name="Pat Kelly", kind=MembershipKind.CALL_ON)
    housing = factories.user(locality="DUR", name="Pat Kelly", kind=MembershipKind.CALL_ON)
    housing.job_title = "Housing officer"
    db.session.commit()
    meeting = factories.meeting("DUR", day=date.today() + timedelta(days=10))
    page = parse(sign_in_as(app.test_client(), county["coordinator"]).get(f"/meetings/{meeting.id}/items/new"))
    labels = {label["for"]: label.get_text(strip=True) for label in page.select("[name=call_on] + label")}
    boxes = {box["value"]: box["id"] for box in page.select("[name=call_on]")}
    assert labels[boxes[str(police.id)]] == "Pat Kelly, CAMHS (Practitioner, Durham) (call-on)"
    assert labels[boxes[str(housing.id)]] == "Pat Kelly, CAMHS (Housing officer, Durham) (call-on)"
