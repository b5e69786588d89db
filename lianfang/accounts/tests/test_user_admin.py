import pytest

from lianfang.accounts import services
from lianfang.accounts.models import Membership, User
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world, actor_of):
    return actor_of(world.users["system_admin"])


def test_admin_creates_a_user_and_grants_a_role(admin):
    user = services.create_user(
        actor=admin,
        username="new_gw",
        full_name="张三",
        password="Lanzhou-2020x",
        region_code="620105001001",
    )
    m = services.add_membership(
        actor=admin, user=user, role="grid_worker", region_code="620105001001001"
    )
    assert m.region_code == "620105001001001"
    assert user.check_password("Lanzhou-2020x")


def test_duplicate_username_is_refused_case_insensitively(admin):
    with pytest.raises(InvalidInput) as exc:
        services.create_user(
            actor=admin,
            username="Community_Worker",
            full_name="x",
            password="Lanzhou-2020x",
            region_code="620105",
        )
    assert exc.value.fields["username"] == ["用户名已存在。"]


def test_weak_password_is_refused_with_reasons(admin):
    with pytest.raises(InvalidInput) as exc:
        services.create_user(
            actor=admin, username="weak", full_name="x", password="123", region_code="620105"
        )
    assert exc.value.fields["password"]
    assert not User.objects.filter(username="weak").exists()


def test_unknown_role_is_refused(admin, world):
    with pytest.raises(InvalidInput) as exc:
        services.add_membership(
            actor=admin, user=world.nobody, role="emperor", region_code="620105"
        )
    assert exc.value.code == "unknown_role"
    assert not Membership.objects.filter(user=world.nobody).exists()


def test_malformed_region_code_is_refused(admin, world):
    with pytest.raises(InvalidInput) as exc:
        services.add_membership(actor=admin, user=world.nobody, role="volunteer", region_code="62a")
    assert exc.value.code == "unknown_region"


def test_same_role_twice_on_a_region_is_a_conflict(admin, world):
    services.add_membership(
        actor=admin, user=world.nobody, role="volunteer", region_code="620105001001"
    )
    with pytest.raises(Conflict):
        services.add_membership(
            actor=admin, user=world.nobody, role="volunteer", region_code="620105001001"
        )


def test_building_leader_post_only_on_a_building(admin, world):
    with pytest.raises(InvalidInput):
        services.add_membership(
            actor=admin,
            user=world.nobody,
            role="volunteer",
            region_code="620105001001",
            post="building_leader",
        )
    m = services.add_membership(
        actor=admin,
        user=world.nobody,
        role="volunteer",
        region_code="620105001001001",
        post="building_leader",
    )
    assert m.get_post_display() == "楼栋长"


def test_non_admin_cannot_create_users(world, actor_of):
    with pytest.raises(PermissionDeniedError):
        services.create_user(
            actor=actor_of(world.users["command_office"]),
            username="xyz1",
            full_name="x",
            password="Lanzhou-2020x",
            region_code="620105",
        )


def test_admin_cannot_deactivate_themself(admin, world):
    with pytest.raises(InvalidInput):
        services.set_user_active(actor=admin, user=world.users["system_admin"], active=False)


def test_user_pages_create_and_show_errors_in_chinese(client, world, login):
    login(client, world.users["system_admin"])
    bad = client.post(
        "/manage/users/new/",
        {
            "username": "community_worker",
            "full_name": "x",
            "region_code": "620105",
            "password": "Lanzhou-2020x",
        },
    )
    assert "用户名已存在" in bad.content.decode()
    ok = client.post(
        "/manage/users/new/",
        {
            "username": "wang_gw",
            "full_name": "王五",
            "region_code": "620105001001",
            "password": "Lanzhou-2020x",
        },
    )
    assert ok.status_code == 302
    user = User.objects.get(username="wang_gw")
    bad_role = client.post(
        f"/manage/users/{user.public_id}/",
        {
            "action": "add_membership",
            "m-role": "grid_worker",
            "m-region_code": "620105999001",
            "m-post": "",
        },
    )
    assert "区域不存在或已停用" in bad_role.content.decode()
    client.post(
        f"/manage/users/{user.public_id}/",
        {
            "action": "add_membership",
            "m-role": "grid_worker",
            "m-region_code": "620105001001002",
            "m-post": "",
        },
    )
    assert Membership.objects.filter(user=user, role="grid_worker").exists()


def test_user_list_searches_paginates_and_exports(client, world, login):
    login(client, world.users["system_admin"])
    page = client.get("/manage/users/?q=grid")
    assert (
        ">grid_worker<" in page.content.decode()
        and ">community_worker<" not in page.content.decode()
    )
    export = client.get("/manage/users/?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    assert "grid_worker" in export.content.decode("utf-8-sig")
