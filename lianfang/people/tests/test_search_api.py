"""No ID number or phone in a URL: the API's GET search takes names only (400 ``number_in_url``
with a hint otherwise), exact lookups go through ``POST /persons/search``; the list page posts
its search text."""

import pytest

from conftest import B111, B211, login_client
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ID, PHONE = "11010519491231002X", "13812345678"


@pytest.fixture
def people(world):
    return make_person(B111, "王五", id_number=ID, phone=PHONE), make_person(
        B211, "外社区", phone="13900001111"
    )


@pytest.mark.parametrize("q", [ID, PHONE, "+86 138 1234 5678", "110105", "王5"])
def test_get_search_with_an_id_or_phone_is_refused_with_a_hint(client, world, people, q):
    login_client(client, world.users["community_worker"])
    response = client.get("/api/v1/persons", {"q": q})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "number_in_url" and "POST /api/v1/persons/search" in body["message"]
    assert set(body) == {"code", "message", "fields"} and "q" in body["fields"]


def test_get_search_by_name_pinyin_or_initials_still_works(client, world, people):
    login_client(client, world.users["community_worker"])
    for q in ("王五", "wangwu", "ww"):
        items = client.get("/api/v1/persons", {"q": q}).json()["items"]
        assert [p["full_name"] for p in items] == ["王五"], q


@pytest.mark.parametrize("q", [ID, PHONE])
def test_post_search_finds_exactly_and_only_in_scope(client, world, people, q):
    login_client(client, world.users["community_worker"])
    found = client.post("/api/v1/persons/search", {"q": q}, content_type="application/json")
    assert found.status_code == 200
    assert [p["full_name"] for p in found.json()["items"]] == ["王五"]
    outside = client.post(
        "/api/v1/persons/search", {"q": "13900001111"}, content_type="application/json"
    )
    assert outside.json()["items"] == []


def test_people_page_keeps_the_search_text_out_of_the_url(client, world, people):
    login_client(client, world.users["community_worker"])
    response = client.post("/people/", {"search": "1", "q": ID, "category": ""})
    assert response.status_code == 302 and ID not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "王五" in page and "外社区" not in page
    form = page.split('<form method="post" class="row g-2 mb-3">', 1)[1].split("</form>", 1)[0]
    assert 'name="q"' in form  # the search box is in the POST form, not a GET one
