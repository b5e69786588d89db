"""The scoping matrix: every list and detail, seen from the same region, a sibling, the parent and
without membership. Out of scope and missing look the same (404)."""

import pytest

from conftest import C11, C12, SD1, login_client
from lianfang.accounts.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

# The acting user holds `role` on C11; the target object sits in one of these regions.
TARGETS = {"same": C11, "sibling": C12, "parent": SD1}
EXPECTED = {"same": 200, "sibling": 404, "parent": 404, "none": 404}


@pytest.fixture
def actors(world):
    def make(role):
        user = UserFactory.create(username=f"{role}_c11", region_code=C11)
        grant(user, role, C11)
        from lianfang.accounts.tests.factories import enrol_totp

        if role in ("system_admin", "command_office", "discipline_officer"):
            enrol_totp(user)
        return user

    return make


def _client(client, user):
    return login_client(client, user)


DETAILS = [
    # (name, role, url builder given the target region code and world)
    ("region page", "community_worker", lambda code, w: f"/regions/{code}/"),
    ("region api", "community_worker", lambda code, w: f"/api/v1/regions/{code}"),
    ("region children api", "community_worker", lambda code, w: f"/api/v1/regions?parent={code}"),
    ("region manage page", "system_admin", lambda code, w: f"/manage/regions/{code}/"),
    ("user detail", "system_admin", lambda code, w: f"/manage/users/{_user_in(code).public_id}/"),
]


def _user_in(code):
    from lianfang.accounts.models import User

    user, _ = User.objects.get_or_create(
        username=f"staff_{code}", defaults={"full_name": "某人", "region_code": code}
    )
    return user


@pytest.mark.parametrize(("name", "role", "url"), DETAILS, ids=[d[0] for d in DETAILS])
@pytest.mark.parametrize("relation", ["same", "sibling", "parent", "none"])
def test_detail_scoping(client, world, actors, name, role, url, relation):
    user = world.nobody if relation == "none" else actors(role)
    target = TARGETS.get(relation, C11)
    _client(client, user)
    response = client.get(url(target, world))
    assert response.status_code == EXPECTED[relation], (name, relation)


@pytest.mark.parametrize("relation", ["same", "sibling", "parent", "none"])
def test_ending_a_membership_is_scoped(client, world, actors, relation):
    from lianfang.accounts.models import Membership

    user = world.nobody if relation == "none" else actors("system_admin")
    target = _user_in(TARGETS.get(relation, C11))
    membership = grant(target, "volunteer", TARGETS.get(relation, C11))
    _client(client, user)
    response = client.post(f"/manage/memberships/{membership.pk}/end/")
    assert response.status_code == (302 if relation == "same" else 404)
    assert Membership.objects.get(pk=membership.pk).is_active is (relation != "same")


LISTS = [
    ("region search", "community_worker", "/regions/?q=", lambda code: code),
    ("region manage list", "system_admin", "/manage/regions/", lambda code: code),
    ("user list", "system_admin", "/manage/users/", lambda code: _user_in(code).username),
    ("top regions api", "community_worker", "/api/v1/regions", lambda code: f'"{code}"'),
]


@pytest.mark.parametrize(("name", "role", "url", "marker"), LISTS, ids=[x[0] for x in LISTS])
def test_list_scoping(client, world, actors, name, role, url, marker):
    markers = {rel: marker(code) for rel, code in TARGETS.items()}
    _client(client, actors(role))
    body = client.get(url).content.decode()
    assert markers["same"] in body
    assert markers["sibling"] not in body
    assert f">{markers['parent']}<" not in body and f'"{markers["parent"]}"' not in body
    _client(client, world.nobody)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["/audit/changes/", "/audit/access/"])
def test_audit_lists_are_scoped(client, world, actors, page):
    from lianfang.accounts.actors import actor_for
    from lianfang.core.access import log_access
    from lianfang.regions import services

    admin = actor_for(world.users["system_admin"])
    services.rename_region(actor=admin, region=world.regions[C11], name="建宁路社区（改）")
    services.rename_region(actor=admin, region=world.regions[C12], name="向阳社区（改）")
    cw = actor_for(world.users["community_worker"])
    log_access(
        actor=cw,
        action="reveal",
        object_type="person",
        object_id="p-same",
        region_code=C11,
        purpose="核实",
    )
    log_access(
        actor=cw,
        action="reveal",
        object_type="person",
        object_id="p-sibling",
        region_code=C12,
        purpose="核实",
    )
    _client(client, actors("privacy_auditor"))
    body = client.get(page).content.decode()
    if page == "/audit/changes/":
        assert "建宁路社区（改）" in body and "向阳社区（改）" not in body
    else:
        assert "p-same" in body and "p-sibling" not in body
    for role in ("community_worker", "system_admin"):
        _client(client, world.users[role])
        assert client.get(page).status_code == 404


def test_grid_worker_sees_only_their_buildings(client, world):
    from conftest import B111, B112

    _client(client, world.users["grid_worker"])
    assert client.get(f"/regions/{B111}/").status_code == 200
    assert client.get(f"/regions/{B112}/").status_code == 404
    assert client.get(f"/regions/{C11}/").status_code == 404
    assert client.get(f"/api/v1/regions?parent={C11}").status_code == 404


def test_community_worker_gets_404_for_sibling_community_page_and_api(client, world):
    _client(client, world.users["community_worker"])
    assert client.get(f"/regions/{C12}/").status_code == 404
    assert client.get(f"/api/v1/regions/{C12}").status_code == 404
    assert client.get(f"/api/v1/regions/{C12}").json()["code"] == "not_found"


def test_system_admin_sees_users_and_regions_but_no_audit_or_personal_data(client, world):
    _client(client, world.users["system_admin"])
    assert client.get("/manage/users/").status_code == 200
    assert client.get("/manage/regions/").status_code == 200
    assert client.get("/audit/access/").status_code == 404
    assert client.get("/audit/changes/").status_code == 404


def test_malformed_region_code_is_a_422_in_the_api(client, world):
    _client(client, world.users["community_worker"])
    response = client.get("/api/v1/regions?parent=12ab")
    assert response.status_code == 422
    assert response.json()["fields"] == {"parent": ["invalid"]}


# Persons live in buildings or communities: the "parent" case is a person registered directly at
# the parent community level of another branch (C21), which the actor's C11 role does not cover.
PERSON_TARGETS = {"same": C11, "sibling": C12, "parent": "620105002001"}
PERSON_DETAILS = [
    ("person page", lambda p: f"/people/{p.pk}/"),
    ("person api", lambda p: f"/api/v1/persons/{p.pk}"),
    ("registrations api", lambda p: f"/api/v1/persons/{p.pk}/registrations"),
]


@pytest.mark.parametrize(("name", "url"), PERSON_DETAILS, ids=[d[0] for d in PERSON_DETAILS])
@pytest.mark.parametrize("relation", ["same", "sibling", "parent", "none"])
def test_person_detail_scoping(client, world, actors, name, url, relation):
    from lianfang.people.tests.factories import make_person

    person = make_person(PERSON_TARGETS.get(relation, C11), "某人")
    user = world.nobody if relation == "none" else actors("community_worker")
    _client(client, user)
    assert client.get(url(person)).status_code == EXPECTED[relation], (name, relation)


@pytest.mark.parametrize("url", ["/people/", "/api/v1/persons", "/people/export/"])
def test_person_list_scoping(client, world, actors, url):
    import io

    from python_calamine import CalamineWorkbook

    from lianfang.people.tests.factories import make_person

    for relation, code in PERSON_TARGETS.items():
        make_person(code, f"人员{relation}")
    _client(client, actors("community_worker"))
    response = client.get(url)
    if url.endswith("export/"):
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
        body = str(rows.to_python())
    elif url.startswith("/api/"):
        body = str(response.json())
    else:
        body = response.content.decode()
    assert "人员same" in body and "人员sibling" not in body and "人员parent" not in body
    _client(client, world.nobody)
    assert client.get(url).status_code == 404
