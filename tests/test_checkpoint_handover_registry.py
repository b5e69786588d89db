"""Registering a document held outside the actor's territory is not a lookup of the district: the
answer is 409 ``registered_elsewhere`` with no personal data (nor which community), and the
worker can request a transfer by the document alone."""

import pytest

from conftest import B121, B211, C11, C21
from lianfang.people.models import Registration
from lianfang.people.tests.factories import make_person, resident_id

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
# Everything that would identify the person or their territory.
SECRETS = ("外社区", "1949-12-31", B211, C21, "2单元909", "西路街道")


def test_checkpoint_hand_over_of_a_person_held_elsewhere_is_recorded_unlinked(world):
    from lianfang.checkpoints import services as checkpoints
    from lianfang.checkpoints.models import Handover
    from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle

    number = resident_id()
    make_person(B211, "外社区人", id_number=number)
    # The registry actor of a hand-over is the destination community's: B121 is not C21's.
    _check, created = checkpoints.record_check(
        actor=officer(),
        checkpoint=make_checkpoint(C11),
        data=vehicle(
            occupant(
                full_name="返乡", id_number=number, outcome="handover", destination_region_code=B121
            )
        ),
        client_key="k-elsewhere",
    )
    handover = Handover.objects.get()
    assert created and handover.routed and handover.person_id is None
    assert Registration.objects.count() == 0
