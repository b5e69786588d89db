"""A user of a 2FA role who has passed only the password reaches the second-factor step, logout
and public pages, nothing else: every URL pattern is walked, so a new page is covered without
being listed here."""

import itertools
import uuid

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from lianfang.accounts.middleware import SECOND_FACTOR_STEP
from lianfang.core.permissions import PUBLIC

pytestmark = pytest.mark.django_db

SAMPLES = [
    "1",
    str(uuid.UUID(int=1)),
    "620105",
    "620105001001",
    "620105001001001",
    "2020-02-10",
    "approve",
    "x",
]


def _named_patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p


def _sample_url(name, pattern):
    groups = list(pattern.pattern.regex.groupindex)
    for values in itertools.product(SAMPLES, repeat=len(groups)):
        try:
            return reverse(name, kwargs=dict(zip(groups, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample URL for {name}")


def _page_routes():
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if not name.startswith("api:"):
            yield name, pattern, _sample_url(name, pattern)


def _held(response):
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:otp_verify")
    )


@pytest.fixture(params=["command_office", "discipline_officer", "system_admin"])
def half_logged_in(request, client, world, login):
    return login(client, world.users[request.param], verified=False)


def test_only_the_second_factor_step_and_public_pages_answer_before_the_code(half_logged_in):
    reachable = set(SECOND_FACTOR_STEP)
    answered = set()
    routes = list(_page_routes())
    assert len(routes) > 100
    for name, pattern, url in routes:
        if getattr(pattern.callback, "required_permission", None) == PUBLIC:
            reachable.add(name)
        if name == "accounts:logout":
            continue  # it would end the session the walk needs
        for method in ("get", "post"):
            if not _held(getattr(half_logged_in, method)(url)):
                answered.add(name)
    assert answered <= reachable, sorted(answered - reachable)
    assert {"accounts:otp_verify", "accounts:login", "healthz"} <= answered


@pytest.mark.parametrize(
    "name", ["accounts:tokens", "accounts:profile", "accounts:password_change"]
)
def test_account_pages_wait_for_the_second_factor(half_logged_in, name):
    assert _held(half_logged_in.get(reverse(name)))
    assert _held(half_logged_in.post(reverse(name), {"name": "bypass"}))


def test_no_token_is_created_before_the_second_factor(half_logged_in):
    from lianfang.accounts.models import ApiToken

    half_logged_in.post(reverse("accounts:tokens"), {"name": "bypass"})
    assert ApiToken.objects.count() == 0


def test_every_api_operation_refuses_the_session_before_the_second_factor(half_logged_in):
    _ = get_resolver().url_patterns  # builds the API
    refused, seen = [], 0
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if getattr(operation.view_func, "required_permission", None) == PUBLIC:
                    continue
                url = "/api/v1" + (prefix + path).replace("{", "").replace("}", "")
                for method in operation.methods:
                    seen += 1
                    response = half_logged_in.generic(method, url, "{}", "application/json")
                    if response.status_code != 401:
                        refused.append(f"{method} {url}: {response.status_code}")
    assert seen > 10
    assert refused == []


def test_a_verified_session_reaches_its_pages(client, world, login):
    login(client, world.users["command_office"])
    assert client.get(reverse("accounts:tokens")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
