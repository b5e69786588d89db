"""Scoping matrix for work orders: every staff page and API route from the unit the order is
dispatched to (same), a sibling community, the parent sub-district, and a user without
membership; confidential orders against every role but the discipline office."""

import pytest
import time_machine

from conftest import B111, C12, ROLE_REGIONS, login_client
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.cases.tests.factories import tip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _user(world, relation):
    if relation == "same":
        return world.users["community_worker"]  # C11, where the order is dispatched
    if relation == "parent":
        return world.users["subdistrict_officer"]
    if relation == "none":
        return world.nobody
    user = UserFactory.create(username="sibling_worker", region_code=C12)
    grant(user, "community_worker", C12)
    return user


READS = [
    ("order page", lambda o: f"/cases/{o.pk}/"),
    ("order api", lambda o: f"/api/v1/workorders/{o.pk}"),
]
EXPECTED = {"same": 200, "parent": 200, "sibling": 404, "none": 404}


@pytest.mark.parametrize(("name", "url"), READS, ids=[r[0] for r in READS])
@pytest.mark.parametrize("relation", sorted(EXPECTED))
def test_order_reads_are_scoped(client, world, name, url, relation):
    order = tip(place_code=B111).order
    login_client(client, _user(world, relation))
    assert client.get(url(order)).status_code == EXPECTED[relation], (name, relation)


@pytest.mark.parametrize("relation", sorted(EXPECTED))
def test_the_board_and_the_api_list_show_only_what_is_in_scope(client, world, relation):
    order = tip(place_code=B111).order
    login_client(client, _user(world, relation))
    board = client.get("/cases/")
    listed = client.get("/api/v1/workorders")
    visible = EXPECTED[relation] == 200
    if board.status_code == 200:
        assert (order.receipt in board.content.decode()) == visible
    else:
        assert not visible and board.status_code == 404
    assert (order.receipt in listed.content.decode()) == visible


@pytest.mark.parametrize(
    "action", ["accept", "start", "note", "reply", "return", "dispatch", "followup", "close"]
)
@pytest.mark.parametrize("relation", ["sibling", "none"])
def test_writes_out_of_scope_answer_404(client, world, action, relation):
    order = tip(place_code=B111).order
    login_client(client, _user(world, relation))
    assert client.post(f"/cases/{order.pk}/{action}/").status_code == 404
    order.refresh_from_db()
    assert order.state == "dispatched"


@pytest.mark.parametrize("role", sorted(ROLE_REGIONS))
def test_a_confidential_order_exists_for_the_discipline_office_only(client, world, role):
    order = tip("discipline", text="某干部截留防疫物资自用").order
    login_client(client, world.users[role])
    expected = 200 if role in ("discipline_officer", "discipline_leader") else 404
    assert client.get(f"/cases/{order.pk}/").status_code == expected
    assert client.get(f"/api/v1/workorders/{order.pk}").status_code in (expected, 401, 403)
