import pytest

from lianfang.accounts.models import Membership
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.core.errors import PermissionDeniedError
from lianfang.regions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world, actor_of):
    return actor_of(world.users["system_admin"])


def test_admin_of_one_subdistrict_cannot_create_in_another(world, actor_of):
    sd_admin = UserFactory.create(username="sd_admin", region_code="620105001")
    grant(sd_admin, "system_admin", "620105001")
    with pytest.raises(PermissionDeniedError):
        services.create_region(
            actor=actor_of(sd_admin), parent_code="620105002001", code="620105002001005", name="x"
        )


def test_moving_a_building_gives_it_a_new_code_and_memberships_follow(world, admin):
    gw = world.users["grid_worker"]  # on 620105001001001
    moved = services.move_building(
        actor=admin, building=world.regions["620105001001001"], community_code="620105002001"
    )
    assert moved.code == "620105002001002"
    assert moved.parent is not None and moved.parent.code == "620105002001"
    m = Membership.objects.get(user=gw)
    assert m.region_code == "620105002001002"
    gw.refresh_from_db()
    assert gw.region_code == "620105002001002"
