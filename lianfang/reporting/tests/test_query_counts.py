"""Query counts of the reporting lists and list endpoints: the same fixed number with few rows and
with three times as many (see tests/querycount.py). Days are a community's reports, child regions
an overview's rows."""

import itertools
from datetime import date, timedelta

import pytest

from conftest import B111, C11, SD1, login_client
from lianfang.monitoring.tests.factories import make_quarantine
from lianfang.people.tests.factories import person_name
from lianfang.regions.tests.factories import make_region
from lianfang.reporting import bulletins, jobs
from lianfang.reporting.models import ReportPolicy
from lianfang.reporting.tests.factories import at, submit
from tests.querycount import flat_queries

pytestmark = pytest.mark.django_db
D = date(2020, 2, 10)
serial = itertools.count()


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with at("2020-02-11 09:30"):
        yield


def _count(marker):
    return lambda response: response.content.decode().count(marker)


def _communities(k):
    """k more communities under 培黎街道, existing since before the day, each with its report."""
    for _ in range(k):
        n = next(serial)
        with at("2020-02-09 08:00"):
            community = make_region(f"{SD1}{n + 100:03d}", f"新社区{n}")
        submit(community.code, D, "2020-02-11 07:30")


def test_overview_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/reports/?region={SD1}&date={D}",
        _communities,
        43,  # one live count per indicator: five of them are the work orders' (issue 17)
    )


def test_completeness_api_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/api/v1/reports/daily/completeness?region={SD1}&date={D}",
        _communities,
        11,
        rows_on_page=lambda r: str(r.json()).count(f"'{SD1}1"),  # the new communities' codes
    )


def test_report_history_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    days = itertools.count(1)

    def add(k):  # one submitted report a day, going back
        for _ in range(k):
            day = D - timedelta(days=next(days))
            submit(
                C11,
                day,
                f"{day + timedelta(days=1)} 07:30",
                user_id=world.users["community_worker"].pk,
            )

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/reports/{C11}/history/",
        add,
        8,
        rows_on_page=_count("community_worker人员"),
    )


def test_report_page_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["subdistrict_officer"])
    flat_queries(django_assert_num_queries, client, f"/reports/{SD1}/{D}/", _communities, 44)


def test_drill_down_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        with at("2020-02-10 10:00"):
            for _ in range(k):
                n = next(serial)
                make_quarantine(B111, (person_name("观察", n),), start=D, address=f"{n}号")

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/reports/{C11}/{D}/figures/observations_started/",
        add,
        10,
        rows_on_page=_count('<li class="list-group-item d-flex'),
    )


def test_supervision_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):  # communities that never reported: missing, one supervision item each
        for _ in range(k):
            n = next(serial)
            with at("2020-02-09 08:00"):
                make_region(f"{SD1}{n + 100:03d}", f"新社区{n}")
        with at("2020-02-11 08:05"):
            jobs.deadlines_now()

    login_client(client, world.users["subdistrict_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/reports/supervision/",
        add,
        8,
        rows_on_page=lambda r: _count(">新社区")(r) // 3,  # one item per missed day: three each
    )


def test_bulletin_list_queries_do_not_grow_with_rows(
    client, world, actor_of, django_assert_num_queries
):
    office = actor_of(world.users["command_office"])

    def add(k):
        for _ in range(k):
            bulletins.generate(actor=office, region=world.regions["620105"], day=D)

    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/reports/bulletins/?date={D}",
        add,
        13,
        rows_on_page=_count(".xlsx"),
    )


def test_report_policy_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for _ in range(k):
            n = next(serial)
            ReportPolicy.objects.create(
                name=f"版本{n}",
                effective_from=date(1980, 1, 1)
                + timedelta(days=n),  # far from any seeded policy date (effective_from is unique)
            )

    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/reports/policies/",
        add,
        7,
        rows_on_page=_count(">版本"),
    )
