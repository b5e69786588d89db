import pytest

from conftest import B111, B121, C11, C12, login_client
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.people.tests.factories import make_person
from lianfang.people.transfers import services as transfer_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(world, actor_of):
    user = UserFactory.create(username="cw_c12", region_code=C12)
    grant(user, "community_worker", C12)
    return user


def test_sender_proposes_receiver_accepts_and_sender_loses_access(
    client, world, actor_of, receiver
):
    person = make_person(B111, "迁出者")
    sender = actor_of(world.users["community_worker"])
    t = transfer_services.transfer_propose(
        actor=sender, person=person, to_community_code=C12, reason="搬到子女家"
    )
    with pytest.raises(Conflict):
        transfer_services.transfer_propose(
            actor=sender, person=person, to_community_code=C12, reason="again"
        )
    with pytest.raises(PermissionDeniedError):
        transfer_services.transfer_accept(actor=sender, transfer=t, region_code=B121)
    transfer_services.transfer_accept(
        actor=actor_of(receiver), transfer=t, region_code=B121, address="5单元"
    )
    person.refresh_from_db()
    assert person.region_code == B121
    assert person.moves.get().from_region_code == B111
    login_client(client, world.users["community_worker"])
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert "迁出者" in client.get("/people/transfers/").content.decode()  # history stays
    login_client(client, receiver)
    assert client.get(f"/people/{person.pk}/").status_code == 200


def test_receiver_refuses_with_a_reason(world, actor_of, receiver):
    person = make_person(B111)
    t = transfer_services.transfer_propose(
        actor=actor_of(world.users["community_worker"]),
        person=person,
        to_community_code=C12,
        reason="x",
    )
    with pytest.raises(InvalidInput):
        transfer_services.transfer_refuse(actor=actor_of(receiver), transfer=t, note="")
    transfer_services.transfer_refuse(actor=actor_of(receiver), transfer=t, note="查无此人")
    person.refresh_from_db()
    assert person.region_code == B111


def test_transfer_to_own_community_or_unknown_is_refused(world, actor_of):
    person = make_person(B111)
    worker = actor_of(world.users["community_worker"])
    for code in (C11, "620105009009"):
        with pytest.raises(InvalidInput):
            transfer_services.transfer_propose(
                actor=worker, person=person, to_community_code=code, reason="x"
            )


def test_accept_into_a_building_of_another_community_is_refused(world, actor_of, receiver):
    person = make_person(B111)
    t = transfer_services.transfer_propose(
        actor=actor_of(world.users["community_worker"]),
        person=person,
        to_community_code=C12,
        reason="x",
    )
    with pytest.raises(InvalidInput):
        transfer_services.transfer_accept(actor=actor_of(receiver), transfer=t, region_code=B111)
