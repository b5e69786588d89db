"""Query counts of the checkpoint lists and list endpoints: the same fixed number with few rows and
with three times as many (see tests/querycount.py)."""

import io
import itertools

import pytest
import time_machine
from python_calamine import CalamineWorkbook

from conftest import B111, C11, login_client
from lianfang.checkpoints import services
from lianfang.checkpoints.models import Checkpoint
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle
from lianfang.people.tests.factories import person_name
from lianfang.regions.tests.factories import make_region
from tests.querycount import flat_queries

pytestmark = pytest.mark.django_db
serial = itertools.count()


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def cp(world):
    return make_checkpoint(C11, "本卡口")


def _count(marker):
    return lambda response: response.content.decode().count(marker)


def _api_rows(response):
    body = response.json()
    return len(body["items"] if isinstance(body, dict) else body)


def _checkpoints(k):
    """k more checkpoints in 建宁路社区, every other one with a shift on duty."""
    for _ in range(k):
        n = next(serial)
        site = make_checkpoint(C11, f"卡口{n}")
        if n % 2:
            services.open_shift(actor=officer(), checkpoint=site)


def _handovers(cp, k, *, user_id=None, **where):
    for _ in range(k):
        person = occupant(full_name=person_name("移交", next(serial)), outcome="handover", **where)
        services.record_check(
            actor=officer(user_id=user_id), checkpoint=cp, data=vehicle(person, occupant())
        )


def test_checkpoint_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    login_client(client, world.users["checkpoint_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/checkpoints/",
        _checkpoints,
        7,
        rows_on_page=_count(">卡口"),
    )


def test_checkpoint_api_list_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    login_client(client, world.users["checkpoint_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/api/v1/checkpoints",
        _checkpoints,
        8,
        rows_on_page=_api_rows,
    )


def test_checkpoint_stats_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        _checkpoints(k)
        for site in Checkpoint.objects.all():
            services.record_check(actor=officer(), checkpoint=site, data=vehicle())

    login_client(client, world.users["checkpoint_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/checkpoints/stats/",
        add,
        9,
        rows_on_page=_count(">卡口"),
    )


def test_checkpoint_board_queries_do_not_grow_with_rows(
    client, world, cp, django_assert_num_queries
):
    me = world.users["checkpoint_officer"]
    login_client(client, me)
    flat_queries(
        django_assert_num_queries,
        client,
        f"/checkpoints/{cp.pk}/",
        lambda k: _handovers(cp, k, user_id=me.pk, destination_region_code=B111),
        16,
        rows_on_page=_count("移交"),
    )


def test_handover_inbox_queries_do_not_grow_with_rows(client, world, cp, django_assert_num_queries):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/checkpoints/handovers/",
        lambda k: _handovers(cp, k, destination_region_code=B111),
        7,
        rows_on_page=_count(">移交"),
    )


def test_handover_api_list_queries_do_not_grow_with_rows(
    client, world, cp, django_assert_num_queries
):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/api/v1/handovers?status=",
        lambda k: _handovers(cp, k, destination_region_code=B111),
        7,
        rows_on_page=_api_rows,
    )


def test_route_queue_queries_do_not_grow_with_rows(client, world, cp, django_assert_num_queries):
    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/checkpoints/handovers/route/",
        lambda k: _handovers(cp, k, address="某某小区"),
        7,
        rows_on_page=_count("移交"),
    )


def test_liaison_list_queries_do_not_grow_with_rows(client, world, cp, django_assert_num_queries):
    def add(k):
        for i in range(k):
            destination = ("420102", "110101")[i % 2]  # two cities: two sheets
            traveller = occupant(full_name=person_name("外出", next(serial)))
            services.record_check(
                actor=officer(), checkpoint=cp, data=vehicle(traveller, destination=destination)
            )

    def rows(response):
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return sum(
            len(book.get_sheet_by_index(i).to_python()) - 1 for i in range(len(book.sheet_names))
        )

    login_client(client, world.users["command_office"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/checkpoints/liaison.xlsx?date=2020-02-10",
        add,
        5,
        rows_on_page=rows,
    )


def test_check_page_queries_do_not_grow_with_destinations(
    client, world, cp, django_assert_num_queries
):
    def add(k):  # communities the officer can hand over to; every name given twice
        for _ in range(k):
            n = next(serial)
            for subdistrict in ("620105001", "620105002"):
                make_region(f"{subdistrict}{n + 100:03d}", f"同名社区{n}")

    login_client(client, world.users["checkpoint_officer"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/checkpoints/{cp.pk}/check/",
        add,
        9,  # the key-area list is kept a minute per process: the warm-up read it
        rows_on_page=lambda r: _count("同名社区")(r) // 2,
    )
