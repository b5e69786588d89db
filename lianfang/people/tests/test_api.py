import pytest

from conftest import B111, B211, C11, login_client
from lianfang.people.models import Person
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _post(client, **payload):
    return client.post("/api/v1/persons", payload, content_type="application/json")


def test_register_through_the_api_returns_masked_fields(client, world):
    login_client(client, world.users["community_worker"])
    response = _post(
        client,
        full_name="王五",
        id_number="11010519491231002X",
        phone="13812345678",
        region_code=B111,
        address="1-101",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id_number_masked"] == "110105********002X"
    assert body["phone_masked"] == "138****5678"
    assert body["existing"] is False
    assert "11010519491231002X" not in response.content.decode()
    again = _post(
        client,
        full_name="王五",
        id_number="11010519491231002X",
        phone="13812345678",
        region_code=C11,
    )
    assert (
        again.status_code == 200
        and again.json()["existing"] is True
        and again.json()["id"] == body["id"]
    )


def test_invalid_fields_give_422_naming_them(client, world):
    login_client(client, world.users["community_worker"])
    response = _post(client, full_name="", id_number="123", phone="1", region_code="999")
    assert response.status_code == 422
    assert set(response.json()["fields"]) >= {"full_name", "id_number", "phone", "region_code"}
    assert Person.objects.count() == 0


def test_person_detail_and_list_are_scoped(client, world):
    mine, other = make_person(B111, "本社区"), make_person(B211, "外社区")
    login_client(client, world.users["community_worker"])
    assert client.get(f"/api/v1/persons/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/persons/{other.pk}").status_code == 404
    names = [p["full_name"] for p in client.get("/api/v1/persons").json()["items"]]
    assert names == ["本社区"]


def test_search_by_exact_id_and_pinyin(client, world):
    person = make_person(B111, "单田芳", id_number="11010519491231002X")
    make_person(B111, "李四")
    login_client(client, world.users["community_worker"])
    by_id = client.post(
        "/api/v1/persons/search", {"q": "11010519491231002x"}, content_type="application/json"
    ).json()["items"]
    assert [p["id"] for p in by_id] == [str(person.pk)]
    assert [
        p["full_name"] for p in client.get("/api/v1/persons", {"q": "shantian"}).json()["items"]
    ] == ["单田芳"]
    assert [
        p["full_name"] for p in client.get("/api/v1/persons", {"q": "stf"}).json()["items"]
    ] == ["单田芳"]


def test_registration_through_the_api_computes_the_category(client, world):
    person = make_person(B111)
    login_client(client, world.users["grid_worker"])
    response = client.post(
        f"/api/v1/persons/{person.pk}/registrations",
        {"source": "door_to_door", "origin": "420100", "contact_with_cases": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["risk_category"] == "close_contact"
    bad = client.post(
        f"/api/v1/persons/{person.pk}/registrations",
        {"source": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "source" in bad.json()["fields"]


def test_person_ids_are_opaque_random_uuids(client, world):
    import uuid

    first, second = make_person(B111, "甲"), make_person(B111, "乙")
    login_client(client, world.users["community_worker"])
    ids = [uuid.UUID(p["id"]) for p in client.get("/api/v1/persons").json()["items"]]
    assert {i.version for i in ids} == {4}  # random, so nothing can be counted or guessed
    assert set(ids) == {first.pk, second.pk}


def test_companions_are_linked_persons(client, world):
    person, companion, stranger = (
        make_person(B111, "甲"),
        make_person(B111, "乙"),
        make_person(B211, "丙"),
    )
    login_client(client, world.users["community_worker"])
    url = f"/api/v1/persons/{person.pk}/registrations"
    ok = client.post(
        url,
        {"source": "door_to_door", "companion_ids": [str(companion.pk)]},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["companion_ids"] == [str(companion.pk)]
    bad = client.post(
        url,
        {"source": "door_to_door", "companion_ids": [str(stranger.pk)]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "companion_ids" in bad.json()["fields"]
