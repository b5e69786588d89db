from typing import Any

import pytest

from conftest import B111, B211, C12, login_client
from lianfang.core.models import AccessLog
from lianfang.people.models import Person, Registration
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[list[Any]]:
    import io

    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_door_to_door_form_registers_person_and_screening(client, world):
    login_client(client, world.users["grid_worker"])
    page = client.get("/people/new/")
    assert page.status_code == 200
    response = client.post(
        "/people/new/",
        {
            "p-full_name": "赵六",
            "p-doc_type": "resident_id",
            "p-id_number": "11010519491231002X",
            "p-phone": "13812345678",
            "p-region_code": B111,
            "p-address": "1单元202",
            "r-source": "door_to_door",
            "r-origin": "420100",
            "r-arrival_date": "2020-01-25",
            "r-symptoms": ["cough"],
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert Registration.objects.get(person=person).symptoms == ["cough"]


def test_door_to_door_form_with_a_bad_answer_writes_nothing(client, world):
    login_client(client, world.users["grid_worker"])
    response = client.post(
        "/people/new/",
        {
            "p-full_name": "赵六",
            "p-doc_type": "resident_id",
            "p-id_number": "11010519491231002X",
            "p-phone": "13812345678",
            "p-region_code": B111,
            "r-source": "door_to_door",
            "r-departure_date": "2020-01-30",
            "r-arrival_date": "2020-01-20",
        },
    )
    assert response.status_code == 200
    assert "到达日期不能早于离开日期" in response.content.decode()
    assert Person.objects.count() == 0


def test_list_is_scoped_searchable_and_never_shows_clear_numbers(client, world):
    make_person(B111, "甲", id_number="11010519491231002X", phone="13812345678")
    make_person(B211, "乙")
    login_client(client, world.users["community_worker"])
    body = client.get("/people/").content.decode()
    assert "甲" in body and ">乙<" not in body
    assert "11010519491231002X" not in body and "13812345678" not in body
    found = client.post("/people/", {"search": "1", "q": "13812345678"}, follow=True)
    assert "甲" in found.content.decode()
    assert "13812345678" not in found.redirect_chain[-1][0]  # never in a URL


def test_detail_is_404_out_of_scope(client, world):
    other = make_person(B211)
    login_client(client, world.users["community_worker"])
    assert client.get(f"/people/{other.pk}/").status_code == 404


def test_reveal_through_the_page_logs_access(client, world):
    person = make_person(B111, id_number="11010519491231002X")
    login_client(client, world.users["community_worker"])
    refused = client.post(f"/people/{person.pk}/reveal/id_number/", {"purpose": ""})
    assert "11010519491231002X" not in refused.content.decode()
    shown = client.post(f"/people/{person.pk}/reveal/id_number/", {"purpose": "核对身份"})
    assert "11010519491231002X" in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    assert (
        AccessLog.objects.filter(action="reveal_id_number", object_id=str(person.pk)).count() == 1
    )


def test_masked_export_writes_text_and_unmasked_export_is_logged(client, world):
    make_person(B111, "甲", id_number="11010519491231002X", phone="13812345678")
    login_client(client, world.users["subdistrict_officer"])
    masked = _rows(client.get("/people/export/").content)
    assert masked[1][2] == "110105********002X" and masked[1][5] == "138****5678"
    unmasked = _rows(client.post("/people/export/", {"purpose": "上报区指挥部"}).content)
    assert unmasked[1][2] == "11010519491231002X" and unmasked[1][5] == "+8613812345678"
    log = AccessLog.objects.get(action="export_unmasked")
    assert log.row_count == 1 and log.purpose == "上报区指挥部"


def test_community_worker_cannot_export_unmasked(client, world):
    make_person(B111, id_number="11010519491231002X")
    login_client(client, world.users["community_worker"])
    response = client.post("/people/export/", {"purpose": "x"})
    assert response.status_code == 302
    assert AccessLog.objects.count() == 0


def test_system_admin_sees_no_personal_data(client, world):
    person = make_person(B111)
    login_client(client, world.users["system_admin"])
    assert client.get("/people/").status_code == 404
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404


def test_sibling_community_person_is_invisible(client, world):
    sibling = make_person(f"{C12}001")
    login_client(client, world.users["community_worker"])
    assert client.get(f"/people/{sibling.pk}/").status_code == 404


def test_detail_shows_origin_and_symptoms_by_name(client, world, actor_of):
    from lianfang.people import services

    person = make_person(B111)
    services.add_registration(
        actor=actor_of(world.users["community_worker"]),
        person=person,
        source="hotline",
        origin="420100",
        symptoms=["cough"],
    )
    login_client(client, world.users["community_worker"])
    body = client.get(f"/people/{person.pk}/").content.decode()
    assert "湖北省武汉市" in body and "咳嗽" in body


def test_a_revealed_phone_can_be_called_with_one_tap(client, world):
    person = make_person(B111, phone="13812345678")
    login_client(client, world.users["community_worker"])
    shown = client.post(f"/people/{person.pk}/reveal/phone/", {"purpose": "电话随访"})
    assert 'href="tel:' in shown.content.decode()
