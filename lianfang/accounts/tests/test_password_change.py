"""A user changes their own password through ``services.password_change`` (the page's form
checks the same things first; the service holds them for any caller)."""

import pytest

from lianfang.accounts import services
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_the_new_password_replaces_the_old_one(world):
    user = world.users["grid_worker"]
    services.password_change(user=user, old_password=PASSWORD, password="Lanzhou-2021y")
    user.refresh_from_db()
    assert user.check_password("Lanzhou-2021y") and not user.check_password(PASSWORD)


def test_the_current_password_must_be_given(world):
    user = world.users["grid_worker"]
    with pytest.raises(InvalidInput) as exc:
        services.password_change(user=user, old_password="nope", password="Lanzhou-2021y")
    assert list(exc.value.fields) == ["old_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_new_password_is_refused(world):
    user = world.users["grid_worker"]
    with pytest.raises(InvalidInput) as exc:
        services.password_change(user=user, old_password=PASSWORD, password="123")
    assert exc.value.code == "weak_password"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
