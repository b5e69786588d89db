from datetime import date
from typing import Any

import pytest
import time_machine

from conftest import B111
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.people import services
from lianfang.people.models import KeyArea
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
TODAY = date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _feb_2020():
    with time_machine.travel(date(2020, 2, 10), tick=False):
        yield


@pytest.fixture
def hubei(tree):
    return KeyArea.objects.create(
        code="420000", name="湖北省", valid_from=date(2020, 1, 20), region_code="620105"
    )


@pytest.fixture
def worker(world, actor_of):
    return actor_of(world.users["community_worker"])


def _reg(worker, person, **kw):
    data: dict[str, Any] = {
        "source": "door_to_door",
        "origin": "420100",
        "departure_date": "2020-01-30",
        "arrival_date": "2020-01-31",
    }
    data.update(kw)
    return services.add_registration(actor=worker, person=person, **data)


def test_arrival_from_a_key_area_in_its_period(hubei, worker):
    reg = _reg(worker, make_person(B111))
    assert reg.origin_code == "420100"
    assert reg.risk_category == "key_area_arrival"


def test_arrival_before_the_area_became_key_is_general(hubei, worker):
    reg = _reg(worker, make_person(B111), departure_date="2020-01-10", arrival_date="2020-01-11")
    assert reg.risk_category == "general"


def test_ranking_confirmed_beats_contact_beats_fever_beats_key_area(hubei, worker):
    p = make_person(B111)
    assert (
        _reg(worker, p, case_status="confirmed", contact_with_cases=True).risk_category
        == "confirmed"
    )
    assert (
        _reg(worker, p, contact_with_cases=True, symptoms=["fever"]).risk_category
        == "close_contact"
    )
    assert _reg(worker, p, symptoms=["fever", "cough"]).risk_category == "fever"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"arrival_date": "2020-01-29"}, "arrival_date"),  # before departure
        ({"arrival_date": "2020-03-01"}, "arrival_date"),  # future
        ({"origin": "999999"}, "origin"),
        ({"source": "rumour"}, "source"),
        ({"symptoms": ["hiccups"]}, "symptoms"),
        ({"transport": "car", "transport_number": "ABC123"}, "transport_number"),
        ({"departure_date": "2020-02-31"}, "departure_date"),
    ],
)
def test_bad_registration_fields_are_named(hubei, worker, kw, field):
    with pytest.raises(InvalidInput) as exc:
        _reg(worker, make_person(B111), **kw)
    assert field in exc.value.fields


def test_plates_are_normalised(hubei, worker):
    reg = _reg(worker, make_person(B111), transport="car", transport_number="鄂a 12345")
    assert reg.transport_number == "鄂A12345"


def test_only_a_doctor_overrides_risk_with_a_reason(hubei, world, actor_of, worker):
    reg = _reg(worker, make_person(B111))
    with pytest.raises(PermissionDeniedError):
        services.override_risk(actor=worker, registration=reg, category="general", reason="x")
    doctor = actor_of(world.users["doctor"])
    with pytest.raises(InvalidInput):
        services.override_risk(actor=doctor, registration=reg, category="general", reason=" ")
    services.override_risk(
        actor=doctor, registration=reg, category="general", reason="持有效健康证明"
    )
    reg.refresh_from_db()
    assert (reg.risk_computed, reg.risk_category) == ("key_area_arrival", "general")


def test_origin_is_never_inferred_from_the_id_number(hubei, worker):
    from lianfang.people.tests.factories import resident_id

    wuhan_born = make_person(B111, id_number=resident_id(county="420106"))
    reg = _reg(worker, wuhan_born, origin="", departure_date=None, arrival_date=None)
    assert reg.origin_code == "" and reg.risk_category == "general"


def test_category_filter_uses_the_latest_registration(world, actor_of, hubei):
    from lianfang.people import selectors

    worker = actor_of(world.users["community_worker"])
    person = make_person(B111, "王五")
    with time_machine.travel("2020-02-01 09:00 +0800", tick=False):
        services.add_registration(
            actor=worker,
            person=person,
            source="door_to_door",
            origin="420100",
            arrival_date=date(2020, 1, 30),
        )
    with time_machine.travel("2020-02-09 09:00 +0800", tick=False):
        services.add_registration(
            actor=worker, person=person, source="door_to_door", contact_with_cases=True
        )
    assert list(selectors.persons(worker, category="close_contact")) == [person]
    assert list(selectors.persons(worker, category="key_area_arrival")) == []


def test_arrival_figures_of_a_day_split_key_area_and_other(world, actor_of, hubei):
    from lianfang.core import indicators

    worker = actor_of(world.users["community_worker"])
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        services.add_registration(
            actor=worker,
            person=make_person(B111, "甲"),
            source="door_to_door",
            origin="420100",
            arrival_date=date(2020, 2, 9),
        )
        services.add_registration(
            actor=worker,
            person=make_person(B111, "乙", address="2单元"),
            source="door_to_door",
            origin="510100",
            arrival_date=date(2020, 2, 9),
        )
    window = indicators.Window.of_day(TODAY)
    figures = indicators.compute("620105001001", window)
    assert (figures["arrivals_key_area"], figures["arrivals_other"]) == (1, 1)
    assert (
        indicators.compute("620105001001", indicators.Window.of_day(date(2020, 2, 11)))[
            "arrivals_key_area"
        ]
        == 0
    )
