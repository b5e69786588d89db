"""Query counts of the monitoring lists and list endpoints: the same fixed number with few rows and
with three times as many (see tests/querycount.py)."""

import io
import itertools
from datetime import date

import pytest
import time_machine
from python_calamine import CalamineWorkbook

from conftest import B111, C11, DISTRICT, login_client
from lianfang.core.symptoms import SYMPTOMS
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.models import DEFAULT_SLOTS, Policy
from lianfang.monitoring.quarantines import services
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.tests.factories import make_hospital, make_quarantine, make_site, staff
from lianfang.people.tests.factories import person_name
from tests.querycount import flat_queries

pytestmark = pytest.mark.django_db
serial = itertools.count()


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _count(marker):
    return lambda response: response.content.decode().count(marker)


def _quarantines(k, *, start=None):
    """k households of two in B111 under observation."""
    out = []
    for _ in range(k):
        n = next(serial)
        out.append(
            make_quarantine(
                B111,
                (person_name("观察", n, "甲"), person_name("观察", n, "乙")),
                address=f"{n}室",
                start=start,
            )
        )
    return out


def _fevers(k):
    for q in _quarantines(k):
        checks.check_record(
            observation=q.members.order_by("pk").first(), temperature="38.0", source="self"
        )


def _api_rows(response):
    body = response.json()
    return len(body["items"] if isinstance(body, dict) else body)


def test_quarantine_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/quarantines/",
        _quarantines,
        9,
        rows_on_page=_count("甲、观察"),
    )


def test_quarantine_export_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def rows(response):
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return (len(book.get_sheet_by_index(0).to_python()) - 1) // 2  # a header, two per household

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/quarantines/?export=xlsx",
        _quarantines,
        7,
        rows_on_page=rows,
    )


def test_quarantine_api_list_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/api/v1/quarantines",
        _quarantines,
        9,
        rows_on_page=_api_rows,
    )


def test_today_page_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["grid_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/today/",
        _fevers,
        7,
        rows_on_page=lambda r: _count(">观察")(r) // 2,
    )


def test_board_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):  # observations past their end date: listed for review
        _quarantines(k, start=date(2020, 1, 20))
        _fevers(k)

    login_client(client, world.users["community_worker"])
    flat_queries(django_assert_num_queries, client, "/monitoring/", add, 24)


def test_alert_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/alerts/",
        _fevers,
        7,
        rows_on_page=_count(">观察"),
    )


def test_alert_api_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries, client, "/api/v1/alerts", _fevers, 7, rows_on_page=_api_rows
    )


def test_referral_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    doctor = world.users["doctor"]

    def add(k):
        for q in _quarantines(k):
            referrals.referral_create(
                actor=staff(B111, doctor.pk),
                observation=q.members.order_by("pk").first(),
                hospital_id=make_hospital(f"发热门诊{next(serial)}").pk,
                transport="120",
                reason="发热",
            )

    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/referrals/?outcome=all",
        add,
        7,
        rows_on_page=_count(">观察"),
    )


def test_policy_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for _ in range(k):
            n = next(serial)
            Policy.objects.create(
                name=f"政策{n}",
                effective_from=date(2020, 1, 2 + n % 28),
                slots=DEFAULT_SLOTS,
                symptoms=list(SYMPTOMS),
            )

    _quarantines(1)
    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/policies/",
        add,
        7,
        rows_on_page=_count(">政策"),
    )


def test_site_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for _ in range(k):
            make_site(f"{C11}" if next(serial) % 2 else DISTRICT, rooms=3)
            make_hospital(f"医院{next(serial)}")

    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/monitoring/sites/",
        add,
        9,
        rows_on_page=_count(">隔离点"),
    )


@pytest.fixture
def household(world):
    """A household of three under observation and ``add(k)``: k more contacts, with a check
    recorded by staff for each (events and checks are what the page lists)."""
    q = make_quarantine(B111, ("户主", "配偶", "孩子"), address="9室")
    members = itertools.cycle(list(q.members.order_by("pk")))
    actor = staff(B111, world.users["doctor"].pk)

    def add(k):
        for _ in range(k):
            member = next(members)
            services.contact_record(
                actor=actor,
                quarantine=q,
                how="phone",
                result=f"已接通{next(serial)}",
                observation_id=member.pk,
            )
            checks.check_record(observation=member, temperature="36.6", source="staff", actor=actor)

    return q, add


def test_quarantine_page_queries_do_not_grow_with_rows(
    client, world, household, django_assert_num_queries
):
    q, add = household
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/monitoring/quarantines/{q.pk}/",
        add,
        22,
        rows_on_page=_count("已接通"),
    )


def test_quarantine_api_queries_do_not_grow_with_rows(
    client, world, household, django_assert_num_queries
):
    q, add = household
    login_client(client, world.users["community_worker"])
    flat_queries(django_assert_num_queries, client, f"/api/v1/quarantines/{q.pk}", add, 8)
