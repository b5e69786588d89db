import pytest

from conftest import B111, B211, C11
from lianfang.core import crypto
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.people import services
from lianfang.people.models import Household, Person
from lianfang.people.tests.factories import make_person, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(world, actor_of):
    return actor_of(world.users["community_worker"])


def test_a_person_is_stored_encrypted_indexed_and_masked(worker):
    person, existing = services.register_person(
        actor=worker,
        full_name="曾小华",
        id_number="11010519491231002x",
        phone="+86 138 1234 5678",
        region_code=B111,
        address="2单元301",
    )
    assert existing is False
    row = Person.objects.get(pk=person.pk)
    assert "11010519491231002X" not in row.id_number_enc and "13812345678" not in row.phone_enc
    assert row.id_number_masked == "110105********002X"
    assert row.phone_masked == "138****5678"
    assert row.gender == "F" and str(row.birth_date) == "1949-12-31"
    assert row.name_pinyin == "zengxiaohua" and row.name_initials == "zxh"
    assert crypto.decrypt(row.id_number_enc, services.ID_LABEL) == "11010519491231002X"
    assert row.household == Household.objects.get(region__code=B111, address="2单元301")


def test_an_existing_document_returns_the_existing_person(worker):
    first, _ = services.register_person(
        actor=worker,
        full_name="李四",
        id_number="11010519491231002X",
        phone="13812345678",
        region_code=C11,
    )
    again, existing = services.register_person(
        actor=worker,
        full_name="李 四",
        id_number="110105491231002",
        phone="13900000000",
        region_code=C11,
    )
    assert existing is True and again.pk == first.pk
    assert Person.objects.count() == 1


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(worker):
    with pytest.raises(InvalidInput) as exc:
        services.register_person(
            actor=worker,
            full_name=" ",
            id_number="110105194912310021",
            phone="12345",
            region_code="620105999001",
        )
    assert set(exc.value.fields) == {"full_name", "id_number", "phone", "region_code"}
    assert exc.value.fields["id_number"] == ["身份证号校验位错误，请核对。"]
    assert Person.objects.count() == 0


def test_a_worker_cannot_register_into_another_community(worker):
    with pytest.raises(InvalidInput) as exc:
        services.register_person(
            actor=worker,
            full_name="王五",
            id_number=resident_id(),
            phone="13812345678",
            region_code=B211,
        )
    assert "region_code" in exc.value.fields


def test_passport_numbers_are_accepted_without_birth_date(worker):
    with pytest.raises(InvalidInput):  # a phone is required
        services.register_person(
            actor=worker,
            full_name="John Smith",
            doc_type="passport",
            id_number="E12345678",
            phone="",
            region_code=C11,
        )
    person, _ = services.register_person(
        actor=worker,
        full_name="John Smith",
        doc_type="passport",
        id_number="e1234 5678",
        phone="13812345678",
        region_code=C11,
    )
    assert person.id_number_masked.endswith("5678") and person.birth_date is None


def test_reveal_needs_a_purpose_and_leaves_an_access_log_row(world, actor_of):
    from lianfang.core.models import AccessLog

    person = make_person(B111, id_number="11010519491231002X")
    worker = actor_of(world.users["community_worker"])
    with pytest.raises(InvalidInput):
        services.reveal(actor=worker, person_id=person.pk, field_name="id_number", purpose="")
    assert AccessLog.objects.count() == 0
    clear = services.reveal(
        actor=worker, person_id=person.pk, field_name="id_number", purpose="核对身份"
    )
    assert clear == "11010519491231002X"
    log = AccessLog.objects.get()
    assert (log.action, log.object_id, log.region_code, log.purpose) == (
        "reveal_id_number",
        str(person.pk),
        B111,
        "核对身份",
    )


def test_grid_worker_cannot_reveal(world, actor_of):
    from django.http import Http404

    person = make_person(B111)
    with pytest.raises(Http404):
        services.reveal(
            actor=actor_of(world.users["grid_worker"]),
            person_id=person.pk,
            field_name="phone",
            purpose="x",
        )


def test_moving_a_person_keeps_history(world, actor_of):
    person = make_person(B111, address="1单元101")
    worker = actor_of(world.users["community_worker"])
    services.move_person(
        actor=worker,
        person=person,
        region_code="620105001001002",
        address="3单元502",
        reason="搬家",
    )
    person.refresh_from_db()
    assert person.region_code == "620105001001002"
    move = person.moves.get()
    assert (move.from_region_code, move.from_address, move.to_address) == (
        B111,
        "1单元101",
        "3单元502",
    )


def test_moving_someone_outside_scope_is_refused(world, actor_of):
    person = make_person(B211)
    with pytest.raises(PermissionDeniedError):
        services.move_person(
            actor=actor_of(world.users["community_worker"]),
            person=person,
            region_code=B111,
            address="x",
        )


def test_edit_changes_name_and_keeps_derived_fields(client, world):
    from conftest import login_client

    person = make_person(B111, "旧名", id_number="11010519491231002X")
    login_client(client, world.users["community_worker"])
    response = client.post(
        f"/people/{person.pk}/edit/",
        {"e-full_name": "新名", "e-workplace": "兰州石化", "e-gender": "M"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.name_pinyin, person.workplace) == (
        "新名",
        "xinming",
        "兰州石化",
    )
    assert person.gender == "F"  # from the resident ID, not editable


def test_edit_of_a_passport_holder_sets_gender_and_birth_date(world, actor_of):
    from datetime import date

    worker = actor_of(world.users["community_worker"])
    person, _ = services.register_person(
        actor=worker,
        full_name="Anna",
        doc_type="passport",
        id_number="P1234567",
        phone="13812345678",
        region_code=C11,
    )
    services.update_person(
        actor=worker, person=person, full_name="Anna K", gender="F", birth_date=date(1990, 5, 1)
    )
    person.refresh_from_db()
    assert (person.gender, str(person.birth_date)) == ("F", "1990-05-01")
    with pytest.raises(InvalidInput):
        services.update_person(actor=worker, person=person, full_name=" ")
