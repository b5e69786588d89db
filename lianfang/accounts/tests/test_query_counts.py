"""Query counts of the user administration, token and audit lists: the same fixed number with few
rows and with three times as many (see tests/querycount.py)."""

import itertools

import pytest

from conftest import C11, login_client
from lianfang.accounts import tokens
from lianfang.accounts.actors import actor_for
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.core.access import log_access
from tests.querycount import flat_queries

pytestmark = pytest.mark.django_db
serial = itertools.count()


def _count(marker):
    return lambda response: response.content.decode().count(marker)


def test_user_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for _ in range(k):
            n = next(serial)
            user = UserFactory.create(username=f"new{n}", full_name=f"新人{n}", region_code=C11)
            grant(user, "volunteer", C11)
            grant(user, "grid_worker", C11)

    login_client(client, world.users["system_admin"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/manage/users/?q=new",
        add,
        7,
        rows_on_page=_count(">新人"),
    )


def test_token_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    user = world.users["community_worker"]

    def add(k):
        for _ in range(k):
            tokens.create_token(user=user, name=f"令牌{next(serial)}")

    login_client(client, user)
    flat_queries(
        django_assert_num_queries,
        client,
        "/accounts/tokens/",
        add,
        6,
        rows_on_page=_count("<td>令牌"),
    )


def test_change_log_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):  # each membership names another user: one look-up per page, not per user
        for _ in range(k):
            n = next(serial)
            grant(
                UserFactory.create(username=f"new{n}", full_name=f"新人{n}", region_code=C11),
                "volunteer",
                C11,
            )

    login_client(client, world.users["privacy_auditor"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/audit/changes/?model=membership",
        add,
        9,
        rows_on_page=_count("data-entry="),
    )


def test_access_log_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def add(k):
        for role in itertools.islice(itertools.cycle(("community_worker", "doctor")), k):
            log_access(
                actor=actor_for(world.users[role]),
                action="reveal",
                object_type="person",
                object_id=f"p-{next(serial)}",
                region_code=C11,
                purpose="核实",
            )

    login_client(client, world.users["privacy_auditor"])
    flat_queries(
        django_assert_num_queries,
        client,
        "/audit/access/",
        add,
        7,
        rows_on_page=_count('<code class="text-body">p-'),
    )


def _more_roles(user):
    """``add(k)``: k more memberships of ``user``, in the buildings and communities of the tree."""
    places = itertools.cycle(
        [
            ("grid_worker", code)
            for code in ("620105001001001", "620105001001002", "620105001002001")
        ]
        + [("volunteer", code) for code in (C11, "620105001002", "620105002001")]
    )

    def add(k):
        for role, code in itertools.islice(places, k):
            grant(user, role, code, post=f"岗位{next(serial)}")

    return add


def test_user_page_queries_do_not_grow_with_memberships(client, world, django_assert_num_queries):
    target = UserFactory.create(username="target", full_name="某员", region_code=C11)
    login_client(client, world.users["system_admin"])
    flat_queries(
        django_assert_num_queries,
        client,
        f"/manage/users/{target.public_id}/",
        _more_roles(target),
        7,
        rows_on_page=_count('<span class="small">620105'),
    )


def test_me_api_queries_do_not_grow_with_roles(client, world, django_assert_num_queries):
    user = UserFactory.create(username="many_roles", full_name="多岗", region_code=C11)
    login_client(client, user)
    flat_queries(
        django_assert_num_queries,
        client,
        "/api/v1/me",
        _more_roles(user),
        7,
        rows_on_page=lambda r: len(r.json()["roles"]),
    )
