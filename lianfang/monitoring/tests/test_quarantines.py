from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from conftest import B111, B121, C11, SD1
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.monitoring import policies
from lianfang.monitoring.checks import tokens
from lianfang.monitoring.models import (
    Event,
    EventKind,
    Kind,
    ObservationStatus,
    Policy,
    QuarantineStatus,
)
from lianfang.monitoring.quarantines import services
from lianfang.monitoring.sites import selectors as site_selectors
from lianfang.monitoring.tests.factories import (
    make_household,
    make_quarantine,
    make_site,
    staff,
)
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
TODAY = date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def test_household_members_share_one_end_date_from_the_latest_basis(world):
    a, b = make_household(B111, ("张三", "李四"))
    q = services.quarantine_start(
        actor=staff(B111), person_ids=[a.pk], start_date=TODAY, basis_date=date(2020, 2, 5)
    )
    q = services.quarantine_start(
        actor=staff(B111), person_ids=[b.pk], start_date=TODAY, basis_date=date(2020, 2, 8)
    )
    assert q.members.count() == 2
    assert q.end_date == date(2020, 2, 8) + timedelta(days=14)
    assert q.kind == Kind.HOME and q.household_id == a.household_id


def test_adding_a_member_restarts_the_household_clock(world):
    a, b = make_household(B111, ("张三", "李四"))
    q = services.quarantine_start(actor=staff(B111), person_ids=[a.pk], start_date=date(2020, 2, 1))
    assert q.end_date == date(2020, 2, 15)
    q = services.quarantine_start(actor=staff(B111), person_ids=[b.pk])
    assert q.end_date == TODAY + timedelta(days=14)
    assert Event.objects.filter(quarantine=q, kind=EventKind.MEMBER_ADDED).count() == 2


def test_new_exposure_restarts_the_clock_and_keeps_the_old_dates_in_the_event(world, actor_of):
    q = make_quarantine(B111, start=date(2020, 2, 3))
    member = q.members.get()
    q = services.exposure_record(
        actor=staff(B111),
        quarantine=q,
        observation_id=member.pk,
        exposure_date=date(2020, 2, 9),
        reason="同住者确诊",
    )
    assert q.end_date == date(2020, 2, 23)
    event = Event.objects.get(quarantine=q, kind=EventKind.EXPOSURE)
    assert event.evidence["old_end"] == "2020-02-17" and event.reason == "同住者确诊"


def test_an_exposure_not_later_than_the_basis_is_rejected(world):
    q = make_quarantine(B111, start=date(2020, 2, 8))
    with pytest.raises(InvalidInput) as exc:
        services.exposure_record(
            actor=staff(B111),
            quarantine=q,
            observation_id=q.members.get().pk,
            exposure_date=date(2020, 2, 7),
            reason="x",
        )
    assert "exposure_date" in exc.value.fields


def test_extension_and_shortening_need_a_reason(world):
    q = make_quarantine(B111)
    with pytest.raises(InvalidInput) as exc:
        services.quarantine_adjust(actor=staff(B111), quarantine=q, days=3, reason=" ")
    assert exc.value.code == "reason_required"
    q = services.quarantine_adjust(actor=staff(B111), quarantine=q, days=3, reason="复查未出结果")
    assert q.end_date == TODAY + timedelta(days=17)
    q = services.quarantine_adjust(actor=staff(B111), quarantine=q, days=-2, reason="专家组意见")
    assert q.end_date == TODAY + timedelta(days=15)


def test_a_person_cannot_be_under_two_running_observations(world):
    q = make_quarantine(B111)
    person = q.members.get().person
    with pytest.raises(Conflict) as exc:
        services.quarantine_start(
            actor=staff(B111),
            person_ids=[person.pk],
            kind=Kind.CENTRALISED,
            site_id=make_site(C11).pk,
        )
    assert exc.value.code == "already_under_observation"
    assert "张*" in exc.value.message and "张三" not in exc.value.message  # masked


def test_people_of_two_households_cannot_share_a_home_observation(world):
    a = make_person(B111, "张三", address="1单元101")
    b = make_person(B111, "李四", address="2单元202")
    with pytest.raises(InvalidInput) as exc:
        services.quarantine_start(actor=staff(B111), person_ids=[a.pk, b.pk])
    assert exc.value.code == "not_one_household"


def test_start_date_cannot_be_in_the_future(world):
    person = make_person(B111)
    with pytest.raises(InvalidInput) as exc:
        services.quarantine_start(
            actor=staff(B111), person_ids=[person.pk], start_date=TODAY + timedelta(days=1)
        )
    assert "start_date" in exc.value.fields


def test_grid_worker_cannot_start_an_observation(world, actor_of):
    person = make_person(B111)
    with pytest.raises(PermissionDeniedError):
        services.quarantine_start(
            actor=actor_of(world.users["grid_worker"]), person_ids=[person.pk]
        )


def test_community_worker_cannot_start_one_outside_the_community(world, actor_of):
    person = make_person(B121)
    from django.http import Http404

    with pytest.raises(Http404):
        services.quarantine_start(
            actor=actor_of(world.users["community_worker"]), person_ids=[person.pk]
        )


def test_default_team_is_the_nearest_grid_worker_doctor_and_cadre(world, actor_of):
    person = make_person(B111)
    q = services.quarantine_start(
        actor=actor_of(world.users["community_worker"]), person_ids=[person.pk]
    )
    assert q.grid_worker == world.users["grid_worker"]
    assert q.doctor == world.users["doctor"]
    assert q.cadre == world.users["community_worker"]


def test_centralised_observation_needs_a_site_and_rooms_have_capacity(world):
    site = make_site(SD1, rooms=1, beds=1)
    with pytest.raises(InvalidInput):
        services.quarantine_start(
            actor=staff(B111), person_ids=[make_person(B111).pk], kind=Kind.CENTRALISED
        )
    actor = staff(B111)
    from lianfang.core.scoping import Actor, Grant

    actor = Actor(user_id=None, grants=(*actor.grants, Grant("subdistrict_officer", SD1)))
    q1 = services.quarantine_start(
        actor=actor, person_ids=[make_person(B111, "甲").pk], kind=Kind.CENTRALISED, site_id=site.pk
    )
    q2 = services.quarantine_start(
        actor=actor,
        person_ids=[make_person(B111, "乙", address="9单元").pk],
        kind=Kind.CENTRALISED,
        site_id=site.pk,
    )
    room = site.rooms.get()
    services.room_assign(
        actor=actor, quarantine=q1, observation_id=q1.members.get().pk, room_id=room.pk
    )
    with pytest.raises(Conflict) as exc:
        services.room_assign(
            actor=actor, quarantine=q2, observation_id=q2.members.get().pk, room_id=room.pk
        )
    assert exc.value.code == "room_full"


def test_site_occupancy_counts_each_sites_rooms(world):
    from lianfang.core.scoping import Actor, Grant

    busy, empty = make_site(SD1, rooms=2, beds=1), make_site(SD1, rooms=1, beds=3)
    actor = Actor(user_id=None, grants=(*staff(B111).grants, Grant("subdistrict_officer", SD1)))
    q = services.quarantine_start(
        actor=actor, person_ids=[make_person(B111, "甲").pk], kind=Kind.CENTRALISED, site_id=busy.pk
    )
    room = busy.rooms.order_by("number").first()
    assert room is not None
    services.room_assign(
        actor=actor, quarantine=q, observation_id=q.members.get().pk, room_id=room.pk
    )
    rows = {r["site"].pk: r for r in site_selectors.site_occupancy(actor)}
    assert {k: rows[busy.pk][k] for k in ("beds", "used", "free", "free_rooms")} == {
        "beds": 2,
        "used": 1,
        "free": 1,
        "free_rooms": 1,
    }
    assert (rows[empty.pk]["beds"], rows[empty.pk]["used"], rows[empty.pk]["free_rooms"]) == (
        3,
        0,
        1,
    )


def test_end_early_needs_a_reason_and_closes_a_one_person_quarantine(world):
    q = make_quarantine(B111)
    member = q.members.get()
    with pytest.raises(InvalidInput):
        services.observation_end_early(
            actor=staff(B111), quarantine=q, observation_id=member.pk, reason=""
        )
    services.observation_end_early(
        actor=staff(B111), quarantine=q, observation_id=member.pk, reason="确认为本地常住，无接触史"
    )
    q.refresh_from_db()
    member.refresh_from_db()
    assert member.status == ObservationStatus.ENDED_EARLY and q.status == QuarantineStatus.CLOSED
    assert tokens.observation_by_token(tokens.token_of(member)) is None


def test_transfer_to_a_site_keeps_the_start_basis(world):
    site = make_site(C11)
    q = make_quarantine(B111, start=date(2020, 2, 5))
    member = q.members.get()
    target = services.observation_transfer(
        actor=staff(B111),
        quarantine=q,
        observation_id=member.pk,
        reason="无隔离条件",
        to_site_id=site.pk,
    )
    member.refresh_from_db()
    assert member.status == ObservationStatus.TRANSFERRED
    assert target.kind == Kind.CENTRALISED and target.end_date == date(2020, 2, 19)
    assert target.members.get().basis_date == date(2020, 2, 5)


def test_contact_record_needs_method_and_result(world):
    q = make_quarantine(B111)
    with pytest.raises(InvalidInput) as exc:
        services.contact_record(actor=staff(B111), quarantine=q, how="pigeon", result="")
    assert set(exc.value.fields) == {"how", "result"}
    event = services.contact_record(
        actor=staff(B111), quarantine=q, how="phone", result="已接通，本人在家"
    )
    assert event.evidence == {"who": "", "how": "phone", "result": "已接通，本人在家"}


def test_a_new_policy_does_not_change_running_quarantines_until_applied(world, actor_of):
    q = make_quarantine(B111)
    assert q.end_date == TODAY + timedelta(days=14)
    office = actor_of(world.users["command_office"])
    new = policies.policy_create(
        actor=office,
        data={
            "name": "第七版：21 天",
            "effective_from": TODAY,
            "observation_days": 21,
            "start_basis": "last_exposure",
            "fever_threshold": "37.3",
            "fever_inclusive": True,
            "slots": "06:00-12:00, 12:00-20:00",
            "symptoms": ["fever", "cough"],
            "missed_grace_minutes": 60,
            "escalate_after_minutes": 120,
            "release_needs_normal_check": True,
        },
    )
    q.refresh_from_db()
    assert q.end_date == TODAY + timedelta(days=14) and q.policy_id != new.pk
    preview = policies.preview_apply(actor=office, policy=new)
    assert [(c.old_end, c.new_end) for c in preview] == [
        (TODAY + timedelta(days=14), TODAY + timedelta(days=21))
    ]
    assert policies.apply_to_running(actor=office, policy=new, reason="执行第七版方案") == 1
    q.refresh_from_db()
    assert q.policy_id == new.pk and q.end_date == TODAY + timedelta(days=21)
    assert Event.objects.filter(quarantine=q, kind=EventKind.POLICY).exists()


def test_policy_validation_names_the_fields_in_chinese(world, actor_of):
    with pytest.raises(InvalidInput) as exc:
        policies.policy_create(
            actor=actor_of(world.users["command_office"]),
            data={
                "name": "",
                "effective_from": "x",
                "observation_days": 0,
                "fever_threshold": "40.5",
                "slots": "12:00-06:00",
                "symptoms": ["sneezing"],
            },
        )
    assert {
        "name",
        "effective_from",
        "observation_days",
        "fever_threshold",
        "slots",
        "symptoms",
    } <= set(exc.value.fields)
    assert Policy.objects.count() == 1  # the migration's version only


def test_fever_threshold_inclusive_or_not():
    policy = Policy(fever_threshold=Decimal("37.3"), fever_inclusive=True)
    assert policy.is_fever(Decimal("37.3"))
    policy.fever_inclusive = False
    assert not policy.is_fever(Decimal("37.3")) and policy.is_fever(Decimal("37.4"))
