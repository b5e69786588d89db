import pytest

from conftest import C11, C21
from lianfang.accounts.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_switching_region_narrows_what_the_pages_show(client, world, login):
    worker = UserFactory.create(username="two_hats", region_code=C11)
    m1 = grant(worker, "community_worker", C11)
    grant(worker, "community_worker", C21)
    login(client, worker)
    home = client.get("/")
    assert (
        "switchable_memberships" in home.context
        and len(home.context["switchable_memberships"]) == 2
    )
    assert client.get(f"/regions/{C21}/").status_code == 200
    client.post("/accounts/switch-region/", {"membership_id": m1.pk})
    assert client.get("/").context["region"].code == C11
    assert client.get(f"/regions/{C21}/").status_code == 404
    client.post("/accounts/switch-region/", {"membership_id": ""})
    assert client.get(f"/regions/{C21}/").status_code == 200


def test_switching_to_someone_elses_membership_is_refused(client, world, login):
    other = world.users["subdistrict_officer"].memberships.get()
    login(client, world.users["community_worker"])
    client.post("/accounts/switch-region/", {"membership_id": other.pk})
    assert client.get("/").context["region"].code == C11
