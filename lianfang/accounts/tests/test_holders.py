import pytest

from conftest import B111, B112, C11, C12, SD1
from lianfang.accounts import selectors
from lianfang.accounts.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_the_nearest_holder_of_a_role_is_the_one_closest_above_the_region(world):
    far = UserFactory.create(username="sd_worker")
    grant(far, "community_worker", SD1)
    community = world.users["community_worker"]  # holds it on C11
    assert selectors.nearest_holder("community_worker", B111) == community.pk
    assert selectors.nearest_holder("community_worker", C12) == far.pk  # nobody on C12 itself
    assert selectors.nearest_holder("doctor", "620105002001") is None


def test_an_inactive_membership_holds_nothing(world):
    membership = world.users["doctor"].memberships.get()
    membership.is_active = False
    membership.save()
    assert selectors.nearest_holder("doctor", B111) is None


def test_holders_by_region_name_only_the_exact_regions(world):
    other = UserFactory.create(username="c12_worker")
    grant(other, "community_worker", C12)
    held = selectors.holders_by_region("community_worker", [C11])
    assert held == {C11: {world.users["community_worker"].pk}}


def test_the_first_holder_per_building_is_the_lowest_user_id(world):
    second = UserFactory.create(username="grid_two")
    grant(second, "grid_worker", B111)
    third = UserFactory.create(username="grid_three")
    grant(third, "grid_worker", B112)
    first = world.users["grid_worker"]
    assert selectors.first_holder_per_region("grid_worker", C11) == {
        B111: min(first.pk, second.pk),
        B112: third.pk,
    }


def test_team_candidates_are_the_memberships_at_or_above_the_region(world):
    rows = selectors.holders_at_or_above(B111)
    roles = {role for role, _user, _name in rows}
    assert {"grid_worker", "community_worker", "doctor", "command_office"} <= roles
    assert all(isinstance(user_id, int) for _role, user_id, _name in rows)
