"""Query counts of the region lists: the same fixed number with few rows and with three times as
many (see tests/querycount.py)."""

import itertools

import pytest

from conftest import C11, login_client
from lianfang.regions.tests.factories import make_region
from tests.querycount import flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def buildings():
    """``add(k)`` puts k more buildings under 建宁路社区 (C11)."""
    serial = itertools.count(3)

    def add(k):
        for _ in range(k):
            n = next(serial)
            make_region(f"{C11}{n:03d}", f"新楼{n}")

    return add


def _rows(response):
    return response.content.decode().count(">新楼")


def test_region_search_queries_do_not_grow_with_rows(
    client, world, buildings, django_assert_num_queries
):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries, client, "/regions/?q=新楼", buildings, 7, rows_on_page=_rows
    )


def test_region_manage_list_queries_do_not_grow_with_rows(
    client, world, buildings, django_assert_num_queries
):
    login_client(client, world.users["system_admin"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/manage/regions/?q=新楼",
        buildings,
        7,
        rows_on_page=_rows,
    )


def test_region_page_children_queries_do_not_grow_with_rows(
    client, world, buildings, django_assert_num_queries
):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries, client, f"/regions/{C11}/", buildings, 13, rows_on_page=_rows
    )


def test_region_children_api_queries_do_not_grow_with_rows(
    client, world, buildings, django_assert_num_queries
):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/api/v1/regions?parent={C11}",
        buildings,
        8,
        rows_on_page=lambda r: len(r.json()) - 2,
    )
