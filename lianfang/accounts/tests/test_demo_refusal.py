import pytest
from django.core.management import CommandError, call_command

from lianfang.accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_refuses_a_database_with_real_data(world):
    with pytest.raises(CommandError):
        call_command("seed_demo", no_migrate=True)
    assert User.objects.filter(username="community_worker").exists()
