import pytest

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.regions import services
from lianfang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world, actor_of):
    return actor_of(world.users["system_admin"])


def test_admin_creates_a_building_under_a_community(admin):
    b = services.create_region(
        actor=admin, parent_code="620105001001", code="620105001001003", name="3号楼"
    )
    assert b.level == "building" and b.parent is not None and b.parent.code == "620105001001"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("62010500100", "invalid_code"),  # wrong length
        ("620105001001", "invalid_code"),  # does not extend the parent by 3 digits
        ("620105002001003", "invalid_code"),  # another community's prefix
        ("620105001001000", "invalid_code"),  # 000 suffix
        ("62010500100a003", "invalid_code"),
    ],
)
def test_a_code_must_extend_its_parents_code(admin, code, error):
    before = Region.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.create_region(actor=admin, parent_code="620105001001", code=code, name="x")
    assert exc.value.code == error
    assert "code" in exc.value.fields
    assert Region.objects.count() == before


def test_duplicate_code_is_refused(admin):
    with pytest.raises(Conflict):
        services.create_region(
            actor=admin, parent_code="620105001001", code="620105001001001", name="dup"
        )


def test_empty_name_is_refused(admin):
    with pytest.raises(InvalidInput) as exc:
        services.create_region(
            actor=admin, parent_code="620105001001", code="620105001001009", name="  "
        )
    assert exc.value.fields["name"] == ["请填写名称。"]


def test_community_worker_cannot_manage_regions(world, actor_of):
    with pytest.raises(PermissionDeniedError):
        services.rename_region(
            actor=actor_of(world.users["community_worker"]),
            region=world.regions["620105001001"],
            name="x",
        )


def test_moving_a_community_is_refused(admin, world):
    with pytest.raises(InvalidInput) as exc:
        services.move_building(
            actor=admin, building=world.regions["620105001001"], community_code="620105002001"
        )
    assert exc.value.code == "not_a_building"


def test_deactivating_a_region_with_active_children_is_refused(admin, world):
    with pytest.raises(InvalidInput) as exc:
        services.set_region_active(actor=admin, region=world.regions["620105001002"], active=False)
    assert exc.value.code == "has_active_children"
    services.set_region_active(actor=admin, region=world.regions["620105001002001"], active=False)
    services.set_region_active(actor=admin, region=world.regions["620105001002"], active=False)
    assert not Region.objects.get(code="620105001002").is_active


def test_deactivated_region_grants_nothing(world, admin, actor_of):
    services.set_region_active(actor=admin, region=world.regions["620105001001001"], active=False)
    assert actor_of(world.users["grid_worker"]).grants == ()
