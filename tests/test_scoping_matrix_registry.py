"""Scoping matrix for the registry's other lists and details: imports, self-reports, duplicates,
transfers. Same region, sibling, parent, no membership."""

import pytest

from conftest import C11, C12, SD1, login_client
from lianfang.accounts.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

TARGETS = {"same": C11, "sibling": C12, "parent": SD1}
EXPECTED = {"same": 200, "sibling": 404, "parent": 404, "none": 404}


@pytest.fixture
def worker(world):
    user = UserFactory.create(username="cw_matrix", region_code=C11)
    grant(user, "community_worker", C11)
    return user


def _job(code, world):
    from lianfang.people.models import ImportJob

    return ImportJob.objects.create(
        region_code=code,
        created_by=world.users["community_worker"],
        file_name=f"f{code}.xlsx",
        file_path="/nonexistent",
        file_sha256="x",
        status="done",
    )


def _report(code, world):
    from lianfang.people.models import SelfRegistrationLink, SelfReport
    from lianfang.regions.models import Region

    community = Region.objects.get(code=code if len(code) == 12 else C11)
    link = SelfRegistrationLink.objects.create(region=community, region_code=code, token=f"t{code}")
    return SelfReport.objects.create(
        link=link,
        region_code=code,
        name_masked=f"名{code}",
        id_number_masked="x",
        phone_masked="x",
        status="rejected",
    )


DETAILS = [
    ("import page", _job, lambda o: f"/people/imports/{o.pk}/"),
    ("import api", _job, lambda o: f"/api/v1/imports/{o.pk}"),
    ("import outcomes api", _job, lambda o: f"/api/v1/imports/{o.pk}/outcomes"),
    ("import outcomes page", _job, lambda o: f"/people/imports/{o.pk}/outcomes.xlsx"),
    ("self-report page", _report, lambda o: f"/people/self-reports/{o.pk}/"),
]


@pytest.mark.parametrize(("name", "make", "url"), DETAILS, ids=[d[0] for d in DETAILS])
@pytest.mark.parametrize("relation", ["same", "sibling", "parent", "none"])
def test_registry_detail_scoping(client, world, worker, name, make, url, relation):
    obj = make(TARGETS.get(relation, C11), world)
    login_client(client, world.nobody if relation == "none" else worker)
    assert client.get(url(obj)).status_code == EXPECTED[relation], (name, relation)


LISTS = [
    ("imports", _job, "/people/imports/", lambda o: o.file_name),
    (
        "self-report queue",
        _report,
        "/people/self-reports/?status=rejected",
        lambda o: o.name_masked,
    ),
]


@pytest.mark.parametrize(("name", "make", "url", "marker"), LISTS, ids=[x[0] for x in LISTS])
def test_registry_list_scoping(client, world, worker, name, make, url, marker):
    objs = {rel: make(code, world) for rel, code in TARGETS.items()}
    login_client(client, worker)
    body = client.get(url).content.decode()
    assert f">{marker(objs['same'])}<" in body
    assert f">{marker(objs['sibling'])}<" not in body
    assert f">{marker(objs['parent'])}<" not in body
    login_client(client, world.nobody)
    assert client.get(url).status_code == 404


def test_duplicates_and_transfers_lists_are_scoped(client, world, worker):
    from lianfang.people.models import Transfer
    from lianfang.people.tests.factories import make_person

    mine_a, mine_b = (
        make_person(f"{C11}001", "甲甲", phone="13811112222"),
        make_person(f"{C11}002", "甲乙", phone="13811112222"),
    )
    other_a, other_b = (
        make_person(f"{C12}001", "乙甲", phone="13933334444"),
        make_person(f"{C12}001", "乙乙", phone="13933334444"),
    )
    Transfer.objects.create(
        person=other_a,
        from_region_code=other_a.region_code,
        to_region_code="620105002001",
        reason="外社区之间",
        proposed_by=world.users["community_worker"],
    )
    login_client(client, worker)
    dup = client.get("/people/duplicates/").content.decode()
    assert "甲甲" in dup and "乙甲" not in dup
    assert "外社区之间" not in client.get("/people/transfers/").content.decode()
    assert "乙甲" not in client.get("/people/transfers/").content.decode()
    _ = (mine_a, mine_b, other_b)
