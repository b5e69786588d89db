from datetime import date

import pytest
import time_machine

from conftest import login_client
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.people import keyareas, risk
from lianfang.people.models import KeyArea

pytestmark = pytest.mark.django_db


def test_command_office_adds_and_ends_a_key_area_and_the_category_follows_the_dates(
    world, actor_of
):
    office = actor_of(world.users["command_office"])
    area = keyareas.add(actor=office, code="4201", valid_from=date(2020, 1, 20), valid_to=None)
    assert (area.code, area.name) == ("420100", "湖北省武汉市")
    keyareas.end(actor=office, area=area, on=date(2020, 3, 10))
    rules = risk.key_area_rules()
    assert risk.is_key_area_arrival("420106", date(2020, 2, 1), "620105001001", rules)
    assert not risk.is_key_area_arrival("420106", date(2020, 3, 20), "620105001001", rules)
    assert not risk.is_key_area_arrival("110101", date(2020, 2, 1), "620105001001", rules)


def test_bad_input_and_permissions(world, actor_of):
    office = actor_of(world.users["command_office"])
    with pytest.raises(InvalidInput) as exc:
        keyareas.add(
            actor=office, code="999999", valid_from=date(2020, 2, 1), valid_to=date(2020, 1, 1)
        )
    assert set(exc.value.fields) == {"code", "valid_to"}
    with pytest.raises(PermissionDeniedError):
        keyareas.add(
            actor=actor_of(world.users["community_worker"]),
            code="42",
            valid_from=date(2020, 1, 1),
            valid_to=None,
        )


def test_key_area_page(client, world):
    login_client(client, world.users["command_office"])
    with time_machine.travel(date(2020, 2, 1), tick=False):
        client.post("/people/key-areas/", {"code": "420000", "valid_from": "2020-01-20"})
        area = KeyArea.objects.get()
        client.post(f"/people/key-areas/{area.pk}/end/")
    area.refresh_from_db()
    assert area.valid_to == date(2020, 2, 1)
    login_client(client, world.users["community_worker"])
    assert client.get("/people/key-areas/").status_code == 404
