"""Registering a document held outside the actor's territory is not a lookup of the district: the
answer is 409 ``registered_elsewhere`` with no personal data (nor which community), and the
worker can request a transfer by the document alone."""

from datetime import date

import pytest
import time_machine

from conftest import B111, B121, B211, C11, C21, login_client
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.people import services
from lianfang.people.models import Person, Registration, Transfer
from lianfang.people.selfreg import services as selfreg_services
from lianfang.people.tests.factories import make_person
from lianfang.people.transfers import selectors as transfer_selectors
from lianfang.people.transfers import services as transfer_services
from lianfang.regions.models import Region

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
# Everything that would identify the person or their territory.
SECRETS = ("外社区", "1949-12-31", B211, C21, "2单元909", "西路街道")


@pytest.fixture
def elsewhere(world):
    person = make_person(B211, "外社区人", id_number=ID, address="2单元909")
    return person


def _post(client, path, **payload):
    return client.post(path, payload, content_type="application/json")


def _leaks(text: str) -> list[str]:
    names = list(Region.objects.filter(code__in=(B211, C21)).values_list("name", flat=True))
    return [s for s in (*SECRETS, *names) if s in text]


def test_api_registration_of_a_document_held_elsewhere_is_409_without_personal_data(
    client, world, elsewhere
):
    login_client(client, world.users["community_worker"])
    response = _post(
        client,
        "/api/v1/persons",
        full_name="冒名",
        id_number=ID,
        phone="13812345678",
        region_code=B111,
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "registered_elsewhere" and "转入" in body["message"]
    assert _leaks(response.content.decode()) == []
    assert Person.objects.count() == 1


def test_a_document_in_scope_still_returns_the_existing_person(client, world):
    mine = make_person(B111, "本社区人", id_number=ID)
    login_client(client, world.users["community_worker"])
    response = _post(
        client,
        "/api/v1/persons",
        full_name="本社区人",
        id_number=ID,
        phone="13812345678",
        region_code=B111,
    )
    assert response.status_code == 200 and response.json()["id"] == str(mine.pk)


def test_grid_worker_gets_409_for_a_person_in_another_building(world, actor_of):
    make_person(B121, id_number=ID)
    with pytest.raises(Conflict) as exc:
        services.register_person(
            actor=actor_of(world.users["grid_worker"]),
            full_name="某",
            id_number=ID,
            phone="13812345678",
            region_code=B111,
        )
    assert exc.value.code == "registered_elsewhere"


def test_web_form_shows_the_refusal_and_a_transfer_request_but_nothing_of_the_person(
    client, world, elsewhere
):
    login_client(client, world.users["community_worker"])
    response = client.post(
        "/people/new/",
        {
            "p-full_name": "冒名",
            "p-doc_type": "resident_id",
            "p-id_number": ID,
            "p-phone": "13812345678",
            "p-region_code": B111,
            "r-source": "door_to_door",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已在其他辖区登记" in html and 'id="transfer-request"' in html
    assert f'name="id_number" value="{ID}"' in html  # the request carries the document
    assert _leaks(html) == []
    assert Registration.objects.count() == 0


def test_transfer_request_by_document_reveals_nothing_until_the_holder_agrees(
    client, world, elsewhere
):
    login_client(client, world.users["community_worker"])
    response = _post(
        client,
        "/api/v1/transfers/requests",
        id_number=ID,
        region_code=B111,
        reason="已搬来本社区",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "requested" and _leaks(response.content.decode()) == []
    page = client.get("/people/transfers/").content.decode()
    assert _leaks(page) == [] and "110105********002X" in page
    again = _post(client, "/api/v1/transfers/requests", id_number=ID, region_code=B111, reason="x")
    assert again.status_code == 409 and again.json()["code"] == "transfer_pending"

    holder = UserFactory.create(username="cw_c21", region_code=C21)
    grant(holder, "community_worker", C21)
    login_client(client, holder)
    assert "已搬来本社区" in client.get("/people/transfers/").content.decode()
    t = Transfer.objects.get()
    client.post(f"/people/transfers/{t.pk}/decide/", {"action": "agree"})
    t.refresh_from_db()
    assert t.status == "pending"

    login_client(client, world.users["community_worker"])
    client.post(f"/people/transfers/{t.pk}/decide/", {"action": "accept", "region_code": B111})
    elsewhere.refresh_from_db()
    assert elsewhere.region_code == B111


def test_transfer_request_for_an_unknown_or_own_document_is_refused(world, actor_of):
    worker = actor_of(world.users["community_worker"])
    with pytest.raises(InvalidInput) as unknown:
        transfer_services.transfer_request(
            actor=worker, doc_type="resident_id", id_number=ID, region_code=B111, reason="x"
        )
    assert unknown.value.code == "not_registered"
    make_person(B111, id_number=ID)
    with pytest.raises(InvalidInput) as own:
        transfer_services.transfer_request(
            actor=worker, doc_type="resident_id", id_number=ID, region_code=B111, reason="x"
        )
    assert own.value.code == "already_in_scope"


def test_holder_declines_and_the_requester_still_sees_nothing(client, world, actor_of, elsewhere):
    t = transfer_services.transfer_request(
        actor=actor_of(world.users["community_worker"]),
        doc_type="resident_id",
        id_number=ID,
        region_code=B111,
        reason="x",
    )
    holder = UserFactory.create(username="cw_c21", region_code=C21)
    grant(holder, "community_worker", C21)
    with pytest.raises(InvalidInput):
        transfer_services.transfer_decline(actor=actor_of(holder), transfer=t, note="")
    transfer_services.transfer_decline(actor=actor_of(holder), transfer=t, note="本人未搬离")
    login_client(client, world.users["community_worker"])
    page = client.get("/people/transfers/").content.decode()
    assert "本人未搬离" in page and _leaks(page) == []


def test_self_report_of_a_document_held_elsewhere_is_refused_without_data(world, actor_of):
    make_person(B211, "外社区人", id_number=ID)
    link = selfreg_services.link_for(
        actor=actor_of(world.users["community_worker"]), community=Region.objects.get(code=C11)
    )
    with time_machine.travel(date(2020, 2, 10), tick=False):
        report = selfreg_services.selfreport_submit(
            link=link,
            data={
                "full_name": "钱七",
                "doc_type": "resident_id",
                "id_number": ID,
                "phone": "13812345678",
                "region_code": B111,
                "origin": "420100",
                "arrival_date": "2020-02-01",
                "transport": "train",
            },
        )
        with pytest.raises(Conflict) as exc:
            selfreg_services.selfreport_accept(
                actor=actor_of(world.users["community_worker"]), report=report
            )
    assert exc.value.code == "registered_elsewhere" and _leaks(exc.value.as_text()) == []
    assert Registration.objects.count() == 0


def test_only_the_requester_may_withdraw_a_request(world, actor_of, elsewhere):
    requester = actor_of(world.users["community_worker"])
    t = transfer_services.transfer_request(
        actor=requester, doc_type="resident_id", id_number=ID, region_code=B111, reason="x"
    )
    holder = UserFactory.create(username="cw_c21", region_code=C21)
    grant(holder, "community_worker", C21)
    assert transfer_selectors.can_cancel(requester, t) and not transfer_selectors.can_cancel(
        actor_of(holder), t
    )
    with pytest.raises(PermissionDeniedError):
        transfer_services.transfer_cancel(actor=actor_of(holder), transfer=t)
    transfer_services.transfer_cancel(actor=requester, transfer=t)
    t.refresh_from_db()
    assert t.status == "cancelled"
