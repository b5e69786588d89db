"""The check's lean path (on PostgreSQL: one statement attached to the open shift; on SQLite: the
plain-SQL inserts) stores what the ORM path stores — the same path outside a transaction, as a
production request runs it, and inside one, as a caller's atomic block or a test would."""

import contextlib

import pytest
from django.db import transaction

from conftest import C11
from lianfang.checkpoints import services
from lianfang.checkpoints.models import Occupant, Shift, VehicleCheck
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["autocommit", "in_transaction"])
def around(request):
    return transaction.atomic if request.param == "in_transaction" else contextlib.nullcontext


def test_lean_path_stores_the_check_and_its_occupants(world, around):
    cp = make_checkpoint(C11)
    shift = services.open_shift(actor=officer(), checkpoint=cp)
    data = vehicle(occupant(full_name="甲", temperature="36.8"), occupant(full_name="乙", phone=""))
    with around():
        check, created = services.record_check(
            actor=officer(), checkpoint=cp, data=data, client_key="c1"
        )
    assert created and check.shift_id == shift.pk
    stored = VehicleCheck.objects.get()
    assert (stored.plate, stored.shift_id, stored.occupant_count) == ("甘A12345", shift.pk, 2)
    rows = list(Occupant.objects.filter(check_record=stored).order_by("seq"))
    assert [r.full_name for r in rows] == ["甲", "乙"]
    recorded = check.recorded_occupants
    assert [r.pk for r in rows] == [o.pk for o in recorded]
    assert str(rows[0].temperature) == "36.8" and rows[0].symptoms == []
    with around():  # the repeated key's conflict leaves an open transaction usable
        again, created_again = services.record_check(
            actor=officer(), checkpoint=cp, data=data, client_key="c1"
        )
        assert VehicleCheck.objects.count() == 1
    assert not created_again and again.pk == stored.pk and VehicleCheck.objects.count() == 1


def test_without_an_open_shift_the_check_opens_one(world, around):
    cp = make_checkpoint(C11)
    with around():
        check, _ = services.record_check(actor=officer(), checkpoint=cp, data=vehicle())
    assert Shift.objects.get(closed_at=None).pk == check.shift_id
