from datetime import date

import pytest
import time_machine

from conftest import B111, B121, login_client
from lianfang.core.errors import InvalidInput
from lianfang.monitoring.models import Observation, Quarantine
from lianfang.monitoring.quarantines import contacts
from lianfang.monitoring.tests.factories import make_quarantine
from lianfang.people.models import Person
from lianfang.people.tests.factories import make_person, mobile, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _row(name, address="5单元501", last=date(2020, 2, 8), region=B111):
    return {
        "full_name": name,
        "id_number": resident_id(born="19850101"),
        "phone": mobile(),
        "region_code": region,
        "address": address,
        "last_contact": last,
    }


def test_contacts_are_registered_as_close_contacts_and_observed_by_household(world, actor_of):
    index = make_person(B111, "病例甲")
    outcomes = contacts.close_contacts_observe(
        actor=actor_of(world.users["community_worker"]),
        index_person=index,
        rows=[
            _row("接触甲"),
            _row("接触乙"),
            _row("接触丙", address="6单元601", last=date(2020, 2, 5)),
        ],
    )
    assert len(outcomes) == 3
    assert Quarantine.objects.count() == 2  # two addresses, two households
    q = Observation.objects.get(person__full_name="接触甲").quarantine
    assert q.members.count() == 2 and q.end_date == date(2020, 2, 22)
    person = Person.objects.get(full_name="接触丙")
    assert person.registrations.get().risk_category == "close_contact"


def test_one_bad_row_writes_nothing_and_names_the_row(world, actor_of):
    index = make_person(B111, "病例甲")
    bad = _row("接触乙")
    bad["id_number"] = "110105194912310021"  # wrong check digit
    with pytest.raises(InvalidInput) as exc:
        contacts.close_contacts_observe(
            actor=actor_of(world.users["community_worker"]),
            index_person=index,
            rows=[_row("接触甲"), bad, _row("接触丙", last=date(2020, 2, 11))],
        )
    assert "rows.1.id_number" in exc.value.fields
    assert "rows.2.last_contact" in exc.value.fields  # in the future
    assert Person.objects.count() == 1 and Quarantine.objects.count() == 0


def test_a_contact_already_observed_gets_the_new_exposure(world, actor_of):
    q = make_quarantine(B111, ("接触甲",), start=date(2020, 2, 3), address="7单元701")
    member = q.members.get()
    person = member.person
    from lianfang.core import crypto
    from lianfang.people.services import ID_LABEL

    row = _row("接触甲", address="7单元701", last=date(2020, 2, 9))
    row["id_number"] = crypto.decrypt(person.id_number_enc, ID_LABEL)
    outcomes = contacts.close_contacts_observe(
        actor=actor_of(world.users["community_worker"]),
        index_person=make_person(B111, "病例甲"),
        rows=[row],
    )
    assert outcomes[0].joined_running and outcomes[0].quarantine.pk == q.pk
    q.refresh_from_db()
    assert q.end_date == date(2020, 2, 23)


def test_the_contacts_page_registers_from_the_form(client, world):
    index = make_person(B111, "病例甲")
    login_client(client, world.users["community_worker"])
    r = client.get(f"/monitoring/contacts/{index.pk}/")
    assert r.status_code == 200
    data = {"rows": "1", **{f"c0-{k}": v for k, v in _row("接触甲").items()}}
    data["c0-last_contact"] = "2020-02-08"
    r = client.post(f"/monitoring/contacts/{index.pk}/", data)
    assert r.status_code == 302
    assert Observation.objects.get().person.full_name == "接触甲"


def test_the_contacts_page_of_an_index_case_elsewhere_is_404(client, world):
    index = make_person(B121, "病例乙")
    login_client(client, world.users["community_worker"])
    assert client.get(f"/monitoring/contacts/{index.pk}/").status_code == 404


def test_the_contacts_page_caps_its_rows(client, world):
    index = make_person(B111, "病例甲")
    login_client(client, world.users["community_worker"])
    r = client.post(f"/monitoring/contacts/{index.pk}/", {"rows": "100000"})
    assert r.status_code == 200 and len(r.context["forms"]) == 30
    assert len(client.get(f"/monitoring/contacts/{index.pk}/?rows=x").context["forms"]) == 5


def test_an_error_is_shown_on_the_row_that_was_filled_in_after_a_blank_one(client, world):
    """Blank rows are skipped, not renumbered: the error lands beside the row the user typed."""
    index = make_person(B111, "病例甲")
    login_client(client, world.users["community_worker"])
    bad = _row("接触乙")
    bad["id_number"] = "110105194912310021"  # wrong check digit
    data = {"rows": "2", **{f"c1-{k}": v for k, v in bad.items()}}
    data["c1-last_contact"] = "2020-02-08"
    r = client.post(f"/monitoring/contacts/{index.pk}/", data)
    page = r.content.decode()
    assert r.status_code == 200 and Person.objects.count() == 1
    assert 'id="id_c1-id_number_error"' in page and "is-invalid" in page
    assert 'id="id_c0-id_number_error"' not in page
