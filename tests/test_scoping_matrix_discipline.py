"""Scoping matrix for the clue register: every role against every discipline route. Only the
discipline office (officer and leader on the district; a sub-district's office for its own
clues) sees anything; every other role, the command office and the system admin included, gets
404 — as a user without membership does."""

import pytest
import time_machine

from conftest import ROLE_REGIONS, SD1, login_client
from lianfang.accounts.tests.factories import UserFactory, enrol_totp, grant
from lianfang.discipline.tests.factories import transferred

pytestmark = pytest.mark.django_db

OFFICE = {"discipline_officer", "discipline_leader"}


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


GETS = {"register", "new", "detail", "rules"}  # every other discipline route is a POST


def _routes(clue):
    """Every route of the discipline app (walked from its URLconf, so a new route is in the
    matrix the day it is added), as (method, url, needs the leader's permission)."""
    from lianfang.discipline.urls import urlpatterns

    out = []
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        url = "/" + route.replace("<uuid:clue_id>", str(clue.pk)).replace("<int:reveal_id>", "1")
        perm = getattr(pattern.callback, "required_permission", "")
        assert perm.startswith("discipline."), route
        method = "get" if pattern.name in GETS else "post"
        out.append((method, url, perm == "discipline.approve"))
    assert len(out) >= 16
    return out


@pytest.mark.parametrize("role", sorted(ROLE_REGIONS))
def test_every_route_answers_only_the_discipline_office(client, world, actor_of, role):
    clue = transferred(actor_of(world.users["discipline_officer"]))
    login_client(client, world.users[role])
    for method, url, leaders_only in _routes(clue):
        status = getattr(client, method)(url).status_code
        no_such_request = "/reveals/" in url  # request 1 does not exist: 404 for the office too
        if no_such_request:
            assert status == 404, (role, url, status)
        elif role == "discipline_leader" or (role in OFFICE and not leaders_only):
            assert status != 404, (role, url)
        else:
            assert status == 404, (role, url, status)


def test_a_user_without_membership_gets_404_everywhere(client, world, actor_of):
    clue = transferred(actor_of(world.users["discipline_officer"]))
    login_client(client, world.nobody)
    for method, url, _leaders in _routes(clue):
        assert getattr(client, method)(url).status_code == 404, url


def test_a_sub_district_office_cannot_open_the_district_clue(client, world, actor_of):
    clue = transferred(actor_of(world.users["discipline_officer"]))
    local = UserFactory.create(username="sd_discipline", region_code=SD1)
    grant(local, "discipline_officer", SD1)
    enrol_totp(local)
    login_client(client, local)
    assert client.get(f"/discipline/{clue.pk}/").status_code == 404
    assert clue.number not in client.get("/discipline/").content.decode()
    assert client.post(f"/discipline/{clue.pk}/propose/").status_code == 404
