"""Query counts of the region lists: the same fixed number with few rows and with three times as
many (see tests/querycount.py)."""

import itertools

import pytest

from conftest import C11, login_client
from lianfang.accounts.tests.factories import UserFactory, grant
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


@pytest.fixture
def staff():
    """``add(k)`` gives 建宁路社区 k more staff, each with two roles there."""
    serial = itertools.count()

    def add(k):
        for _ in range(k):
            n = next(serial)
            user = UserFactory.create(username=f"staff{n}", full_name=f"新员{n}", region_code=C11)
            grant(user, "volunteer", C11, post=f"岗位{n}")
            grant(user, "grid_worker", C11)

    return add


def _count_staff(response):
    return response.content.decode().count("新员") // 2  # two roles each


def test_region_page_staff_queries_do_not_grow_with_rows(
    client, world, staff, django_assert_num_queries
):
    login_client(client, world.users["community_worker"])
    flat_queries(
        django_assert_num_queries, client, f"/regions/{C11}/", staff, 13, rows_on_page=_count_staff
    )


def test_region_manage_page_queries_do_not_grow_with_rows(
    client, world, buildings, staff, django_assert_num_queries
):
    def add(k):
        buildings(k)
        staff(k)

    login_client(client, world.users["system_admin"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/manage/regions/{C11}/",
        add,
        9,
        rows_on_page=_rows,
    )
