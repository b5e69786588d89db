"""Vehicle and occupant checks at a checkpoint, hand-overs to communities, shifts, escalation.
DOMAIN §4."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import B111, B121, C11, C12, C21, SD1
from lianfang.checkpoints import jobs, plates, services
from lianfang.checkpoints.models import Handover, Occupant, Shift, VehicleCheck
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle
from lianfang.core import indicators
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor, Grant
from lianfang.people.models import Person, Registration

pytestmark = pytest.mark.django_db


def at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture(autouse=True)
def _clock():
    with at("2020-02-10 09:00"):
        yield


@pytest.fixture
def cp(world):
    return make_checkpoint(C11)


@pytest.mark.parametrize(
    "plate",
    [
        "甘A12345",
        "甘AD12345",
        "甘A12345D",
        "甘A1234警",
        "甘A1234学",
        "粤Z1234港",
        "使123456",
        "WJ甘12345",
    ],
)
def test_valid_plates(plate):
    assert plates.clean(plate) == (plate, "")


@pytest.mark.parametrize("plate", ["甘A1234", "A12345", "甘AI2345", "甘A123456", "12345", ""])
def test_malformed_plate_needs_a_reason(plate):
    with pytest.raises(InvalidInput) as exc:
        plates.clean(plate)
    assert "plate" in exc.value.fields
    assert plates.clean(plate or "无牌", "无牌拖拉机")[1] == "无牌拖拉机"


def test_plate_is_normalised():
    assert plates.clean(" 甘a·12345 ")[0] == "甘A12345"


def test_check_with_three_occupants_one_fever_one_handover(cp):
    data = vehicle(
        occupant(full_name="甲"),
        occupant(full_name="乙", temperature="38.2", outcome="fever_clinic"),
        occupant(
            full_name="丙",
            outcome="handover",
            destination_region_code=B121,
            address="向阳1号楼3单元",
        ),
    )
    check, created = services.record_check(
        actor=officer(), checkpoint=cp, data=data, client_key="k1"
    )
    assert created and check.key_area is False  # no key-area list in this tree
    assert check.shift.closed_at is None  # a shift was opened in the same action
    rows = {o.full_name: o for o in check.occupants.all()}
    assert rows["乙"].fever and not rows["甲"].fever
    assert rows["甲"].id_number_masked.count("*") >= 8
    handover = Handover.objects.get()
    assert handover.region_code == C12 and handover.routed
    assert handover.due_at == check.checked_at + timedelta(hours=2)
    assert handover.person_id is not None and handover.registration_id is not None
    person = Person.objects.get(pk=handover.person_id)
    assert person.region_code == B121 and person.full_name == "丙"
    registration = Registration.objects.get(pk=handover.registration_id)
    assert registration.source == "checkpoint" and registration.origin_code == "420100"
    assert registration.transport_number == "甘A12345"


def test_same_client_key_records_once(cp):
    first, created = services.record_check(
        actor=officer(), checkpoint=cp, data=vehicle(), client_key="dup"
    )
    again, created_again = services.record_check(
        actor=officer(), checkpoint=cp, data=vehicle(plate="甘A99999"), client_key="dup"
    )
    assert created and not created_again and again.pk == first.pk
    assert VehicleCheck.objects.count() == 1 and Occupant.objects.count() == 1


def test_bad_input_names_every_field_and_writes_nothing(cp):
    data = vehicle(
        occupant(id_number="620105198001011234", temperature="45"),
        occupant(full_name="", phone="123", outcome="?"),
        plate="甘A1",
    )
    with pytest.raises(InvalidInput) as exc:
        services.record_check(actor=officer(), checkpoint=cp, data=data)
    fields = exc.value.fields
    assert {
        "plate",
        "occupants.0.id_number",
        "occupants.0.temperature",
        "occupants.1.full_name",
        "occupants.1.phone",
        "occupants.1.outcome",
    } <= set(fields)
    assert VehicleCheck.objects.count() == 0 and Shift.objects.count() == 0


def test_an_occupant_name_with_digits_is_refused_as_the_registry_refuses_it(cp):
    data = vehicle(occupant(full_name="王五123"))
    with pytest.raises(InvalidInput) as exc:
        services.record_check(actor=officer(), checkpoint=cp, data=data)
    assert exc.value.fields["occupants.0.full_name"] == ["姓名不能含数字，请核对（如“王五123”）。"]


def test_invalid_id_with_a_reason_is_recorded(cp):
    data = vehicle(occupant(id_number="X1234", id_reason="外籍，护照号"))
    check, _ = services.record_check(actor=officer(), checkpoint=cp, data=data)
    row = check.occupants.get()
    assert row.id_reason == "外籍，护照号" and row.doc_type == "other"


@pytest.mark.parametrize(("outcome", "label"), [("pass", "放行"), ("turned_back", "劝返")])
def test_a_fever_with_another_outcome_is_refused_in_words_not_changed(cp, outcome, label):
    with pytest.raises(InvalidInput) as exc:
        services.record_check(
            actor=officer(),
            checkpoint=cp,
            data=vehicle(occupant(temperature="38.5", outcome=outcome)),
        )
    assert exc.value.fields["occupants.0.outcome"] == [
        f"体温 38.5 °C（≥ 37.3 °C）为发热，不能“{label}”：请选“送发热门诊”。"
    ]
    assert VehicleCheck.objects.count() == 0


def test_priority_vehicle_logged_in_one_tap(cp):
    check, _ = services.record_check(
        actor=officer(), checkpoint=cp, data={"priority": "ambulance", "occupants": []}
    )
    assert check.priority == "ambulance" and check.occupant_count == 0 and check.plate_reason


def test_officer_elsewhere_cannot_record(cp):
    with pytest.raises(PermissionDeniedError):
        services.record_check(actor=officer("620105002"), checkpoint=cp, data=vehicle())


def test_unroutable_address_goes_to_the_district_queue_and_is_routed(cp, world):
    data = vehicle(occupant(outcome="handover", address="某某小区"))
    services.record_check(actor=officer(), checkpoint=cp, data=data)
    h = Handover.objects.get()
    assert not h.routed and h.region_code == "620105" and h.person_id is None
    command = Actor(user_id=None, grants=(Grant("command_office", "620105"),))
    with at("2020-02-10 09:30"):
        h = services.route(actor=command, handover=h, region_code=B111)
    assert h.routed and h.region_code == C11 and h.person_id is not None


def test_address_naming_a_community_is_routed_like_an_import(cp):
    data = vehicle(occupant(outcome="handover", address="水挂庄社区1号楼2单元"))
    services.record_check(actor=officer(), checkpoint=cp, data=data)
    assert Handover.objects.get().region_code == C21


def test_acknowledge_once_in_scope_with_attempts_for_not_found(cp):
    data = vehicle(occupant(outcome="handover", destination_region_code=B111))
    services.record_check(actor=officer(), checkpoint=cp, data=data)
    h = Handover.objects.get()
    worker = Actor(user_id=None, grants=(Grant("community_worker", C11),))
    other = Actor(user_id=None, grants=(Grant("community_worker", C12),))
    with pytest.raises(PermissionDeniedError):
        services.acknowledge(actor=other, handover=h, result="at_home")
    with pytest.raises(InvalidInput):
        services.acknowledge(actor=worker, handover=h, result="not_found")
    with at("2020-02-10 10:00"):
        h = services.acknowledge(actor=worker, handover=h, result="at_home", note="已到家")
    assert h.in_time
    with pytest.raises(Conflict):
        services.acknowledge(actor=worker, handover=h, result="at_home")


def test_overdue_handover_escalates_to_subdistrict_then_district(cp, settings):
    from lianfang.core import notifications

    settings.LIANFANG_NOTIFICATIONS = "memory"
    notifications.outbox.clear()
    services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(outcome="handover", destination_region_code=B111)),
    )
    with at("2020-02-10 10:59"):
        assert jobs.escalate_now() == {"subdistrict": 0, "district": 0}
    with at("2020-02-10 11:01"):
        assert jobs.escalate_now() == {"subdistrict": 1, "district": 0}
        assert jobs.escalate_now() == {"subdistrict": 0, "district": 0}
    assert Handover.objects.get().level == "subdistrict"
    assert any(m.kind == "handover.overdue" for m in notifications.outbox)
    with at("2020-02-10 13:01"):
        assert jobs.escalate_now() == {"subdistrict": 0, "district": 1}
    assert Handover.objects.get().level == "district"


def test_shift_handover_and_closing_twice(cp):
    first = services.open_shift(
        actor=officer(), checkpoint=cp, members=[("王强", "traffic_police")]
    )
    with at("2020-02-10 20:00"):
        second = services.open_shift(actor=officer(), checkpoint=cp, note="夜班接班，物资充足")
    first.refresh_from_db()
    assert first.closed_at is not None and first.handover_note == "夜班接班，物资充足"
    assert second.kind == "night"
    services.close_shift(actor=officer(), shift=second, note="交班")
    with pytest.raises(Conflict):
        services.close_shift(actor=officer(), shift=second, note="再交一次")


def test_indicators_appear_in_the_daily_report(cp):
    services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(
            occupant(),
            occupant(temperature="38.0", outcome="fever_clinic"),
            occupant(outcome="handover", destination_region_code=B121),
        ),
    )
    window = indicators.Window.of_day(timezone.localdate())
    c11 = indicators.compute(C11, window)
    assert (c11["vehicles_checked"], c11["people_checked"], c11["checkpoint_fevers"]) == (1, 3, 1)
    c12 = indicators.compute(C12, window)
    assert c12["handovers_made"] == 1 and c12["handovers_in_time"] == 0
    assert c12["handovers_overdue"] == 1  # due 11:00, still open at the day's end
    assert indicators.compute(SD1, window)["handovers_made"] == 1
    worker = Actor(user_id=None, grants=(Grant("community_worker", C12),))
    with at("2020-02-10 10:30"):
        services.acknowledge(actor=worker, handover=Handover.objects.get(), result="contacted")
    c12 = indicators.compute(C12, window)
    assert c12["handovers_in_time"] == 1 and c12["handovers_overdue"] == 0
