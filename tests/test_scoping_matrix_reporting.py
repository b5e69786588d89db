"""Scoping matrix for reporting: every page and API route seen from the same unit, a sibling,
and without membership. Out of scope and missing look the same (404)."""

from datetime import date

import pytest

from conftest import C11, C12, C21, DISTRICT, SD1, SD2, login_client
from lianfang.reporting import jobs
from lianfang.reporting.models import Bulletin
from lianfang.reporting.tests.factories import at, report, submit

pytestmark = pytest.mark.django_db
D = "2020-02-10"
DAY = date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with at("2020-02-10 09:00"):
        yield


# (name, url template, the community worker's code, a sibling's code)
GETS = [
    ("report history", "/reports/{code}/history/"),
    ("report page", "/reports/{code}/" + D + "/"),
    ("drill-down", "/reports/{code}/" + D + "/figures/observations_started/"),
    ("overview", "/reports/?region={code}&date=" + D),
    ("api report", "/api/v1/reports/daily?region={code}&date=" + D),
    ("api completeness", "/api/v1/reports/daily/completeness?region={code}&date=" + D),
]


@pytest.mark.parametrize(("name", "url"), GETS, ids=[g[0] for g in GETS])
@pytest.mark.parametrize(
    ("relation", "code", "expected"),
    [("same", C11, (200, 302)), ("sibling", C12, (404,)), ("other sub-district", C21, (404,))],
)
def test_community_worker_sees_only_its_own_report(
    client, world, name, url, relation, code, expected
):
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 07:00"):
        assert client.get(url.format(code=code)).status_code in expected, (name, relation)


@pytest.mark.parametrize(("name", "url"), GETS, ids=[g[0] for g in GETS])
@pytest.mark.parametrize(
    ("relation", "code", "expected"),
    [
        ("own", SD1, 200),
        ("child", C11, (200, 302)),
        ("sibling", SD2, 404),
        ("parent", DISTRICT, 404),
    ],
)
def test_subdistrict_officer_sees_its_subtree(client, world, name, url, relation, code, expected):
    login_client(client, world.users["subdistrict_officer"])
    expected = expected if isinstance(expected, tuple) else (expected,)
    with at("2020-02-11 07:00"):
        assert client.get(url.format(code=code)).status_code in expected, (name, relation)


@pytest.mark.parametrize(("name", "url"), GETS, ids=[g[0] for g in GETS])
def test_nobody_and_functional_roles_without_reports_see_nothing(client, world, name, url):
    for user in (world.nobody, world.users["grid_worker"], world.users["checkpoint_officer"]):
        login_client(client, user)
        with at("2020-02-11 07:00"):
            assert client.get(url.format(code=C11)).status_code == 404, (name, user.username)


POSTS = [
    ("submit page", "/reports/{code}/" + D + "/submit/", {"submit-confirm_zero": "on"}),
    ("api submit", "/api/v1/reports/daily/{code}/" + D + "/submit", None),
]


@pytest.mark.parametrize(("name", "url", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_submitting_for_another_unit_is_404_and_changes_nothing(client, world, name, url, data):
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 07:00"):
        if data is None:
            r = client.post(url.format(code=C12), {}, content_type="application/json")
        else:
            r = client.post(url.format(code=C12), data)
    assert r.status_code == 404
    assert report(C12, DAY).revision == 0


def test_review_out_of_scope_is_404(client, world):
    submit(C21, DAY, "2020-02-11 07:00")
    login_client(client, world.users["subdistrict_officer"])  # SD1; C21 is in SD2
    with at("2020-02-11 08:00"):
        r = client.post(f"/reports/{C21}/{D}/review/approve/", {})
    assert r.status_code == 404
    assert report(C21, DAY).status == "submitted"


def test_supervision_items_are_scoped(client, world):
    with at("2020-02-11 08:05"):
        jobs.deadlines_now()
    login_client(client, world.users["subdistrict_officer"])
    with at("2020-02-11 08:30"):
        body = client.get("/reports/supervision/").content.decode()
    assert "建宁路社区" in body and "水挂庄社区" not in body
    login_client(client, world.nobody)
    with at("2020-02-11 08:30"):
        assert client.get("/reports/supervision/").status_code == 404


def test_bulletins_are_the_district_command_offices(client, world):
    login_client(client, world.users["command_office"])
    with at("2020-02-11 10:30"):
        client.post(f"/reports/bulletins/?date={D}")
    b = Bulletin.objects.get()
    for role in ("subdistrict_officer", "community_worker", "publicity_officer"):
        login_client(client, world.users[role])
        with at("2020-02-11 10:31"):
            assert client.get(f"/reports/bulletins/{b.pk}.xlsx").status_code == 404, role
            assert client.get("/reports/bulletins/").status_code == 404, role
    login_client(client, world.users["publicity_officer"])
    with at("2020-02-11 10:31"):
        assert client.get(f"/reports/public/?date={D}").status_code == 200
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 10:31"):
        assert client.get(f"/reports/public/?date={D}").status_code == 404
        assert client.get("/reports/policies/").status_code == 404
