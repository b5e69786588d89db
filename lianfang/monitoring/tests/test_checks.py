from datetime import date
from decimal import Decimal

import pytest
import time_machine

from conftest import B111
from lianfang.core import notifications
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.monitoring.alerts import services as alert_services
from lianfang.monitoring.checks import rules
from lianfang.monitoring.checks import selectors as check_selectors
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    CheckSource,
    HealthCheck,
)
from lianfang.monitoring.quarantines import selectors, services
from lianfang.monitoring.tests.factories import make_quarantine, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_outbox(settings):
    settings.LIANFANG_NOTIFICATIONS = "memory"
    notifications.outbox.clear()
    yield
    notifications.outbox.clear()


@pytest.fixture
def member(world):
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        q = make_quarantine(B111, start=date(2020, 2, 10))
    return q.members.select_related("quarantine__policy", "person").get()


@pytest.mark.parametrize("value", ["33.9", "43.1", "abc", "", "NaN", "Infinity"])
def test_temperature_out_of_range_or_not_a_number_is_rejected(member, value):
    with (
        time_machine.travel("2020-02-10 10:00 +0800", tick=False),
        pytest.raises(InvalidInput) as exc,
    ):
        checks.check_record(observation=member, temperature=value, source=CheckSource.SELF)
    assert "temperature" in exc.value.fields
    assert HealthCheck.objects.count() == 0


def test_fahrenheit_is_converted_and_stored_in_celsius(member):
    assert rules.temperature("99.5", "F") == Decimal("37.5")
    assert rules.temperature("36,6") == Decimal("36.6")


def test_unknown_symptom_is_rejected(member):
    with (
        time_machine.travel("2020-02-10 10:00 +0800", tick=False),
        pytest.raises(InvalidInput) as exc,
    ):
        checks.check_record(
            observation=member, temperature="36.5", symptoms=["sneezing"], source="self"
        )
    assert exc.value.code == "symptom_unknown"


def test_a_reading_falls_in_its_slot_and_a_normal_one_raises_nothing(member):
    with time_machine.travel("2020-02-10 13:30 +0800", tick=False):
        check, created = checks.check_record(observation=member, temperature="36.5", source="self")
    assert created and check.slot_index == 1 and check.slot_date == date(2020, 2, 10)
    assert not check.fever and not check.late
    assert Alert.objects.count() == 0


def test_fever_raises_an_alert_to_team_and_community_at_once(
    member, world, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel("2020-02-10 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        check, _ = checks.check_record(observation=member, temperature="37.3", source="self")
    assert check.fever  # ≥ 37.3 under the default policy
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.FEVER and alert.level == AlertLevel.COMMUNITY
    recipients = {m.user_id for m in notifications.outbox}
    assert world.users["grid_worker"].pk in recipients
    assert world.users["community_worker"].pk in recipients
    assert all("张*" in m.text and "张三" not in m.text for m in notifications.outbox)


def test_a_symptom_without_fever_also_raises_an_alert(member):
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        checks.check_record(
            observation=member, temperature="36.8", symptoms=["cough"], source="self"
        )
    assert Alert.objects.get().kind == AlertKind.SYMPTOM


def test_fever_with_a_symptom_raises_one_alert_naming_both(
    member, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel("2020-02-10 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        checks.check_record(
            observation=member, temperature="38.5", symptoms=["cough"], source="self"
        )
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.FEVER and alert.title == "发热、出现症状"
    assert all("发热、出现症状" in m.text for m in notifications.outbox)
    with time_machine.travel("2020-02-10 10:05 +0800", tick=False):
        board = selectors.board(staff(B111))
    assert board.open_alerts == 1 and board.fevers_today == 1


def test_a_slot_with_two_readings_shows_the_worst_and_how_many(member):
    with time_machine.travel("2020-02-10 13:30 +0800", tick=False):
        checks.check_record(observation=member, temperature="38.5", source="self")
    with time_machine.travel("2020-02-10 14:30 +0800", tick=False):
        checks.check_record(observation=member, temperature="36.5", source="self")
        newest_first = list(HealthCheck.objects.order_by("-taken_at"))
        for order in (newest_first, newest_first[::-1]):
            slot = check_selectors.day_slots_status(member, date(2020, 2, 10), order)[1]
            assert slot["check"].temperature == Decimal("38.5") and slot["count"] == 2


def test_a_repeated_client_key_returns_the_first_check_and_stores_nothing(member):
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        first, created = checks.check_record(
            observation=member, temperature="36.5", source="self", client_key="k1"
        )
        again, created_again = checks.check_record(
            observation=member, temperature="38.5", source="self", client_key="k1"
        )
    assert created and not created_again and again.pk == first.pk
    assert HealthCheck.objects.count() == 1 and Alert.objects.count() == 0


def test_a_client_key_of_another_person_is_a_conflict(member, world):
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        other = make_quarantine(B111, ("王五",), address="5单元501").members.get()
        checks.check_record(
            observation=member, temperature="36.5", source="self", client_key="shared"
        )
        with pytest.raises(Conflict):
            checks.check_record(
                observation=other, temperature="36.5", source="self", client_key="shared"
            )


def test_a_correction_is_a_new_row_with_a_reason(member, actor_of, world):
    grid = actor_of(world.users["grid_worker"])
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        wrong, _ = checks.check_record(
            observation=member, temperature="35.0", source="staff", actor=grid
        )
        with pytest.raises(InvalidInput):
            checks.check_record(
                observation=member, temperature="36.5", source="staff", actor=grid, corrects=wrong
            )
        fixed, _ = checks.check_record(
            observation=member,
            temperature="36.5",
            source="staff",
            actor=grid,
            corrects=wrong,
            correction_reason="录错小数点",
        )
    assert HealthCheck.objects.count() == 2
    assert fixed.corrects_id == wrong.pk and fixed.taken_at == wrong.taken_at and fixed.late


def test_a_reading_entered_after_its_slot_closed_is_marked_late(member, actor_of, world):
    grid = actor_of(world.users["grid_worker"])
    with time_machine.travel("2020-02-10 21:00 +0800", tick=False):
        from django.utils import timezone

        taken = timezone.now().replace(hour=2)  # 10:00 local, slot 0, which closed at 12:00
        check, _ = checks.check_record(
            observation=member, temperature="36.4", source="staff", actor=grid, taken_at=taken
        )
    assert check.late and check.slot_index == 0


def test_a_volunteer_cannot_record_a_staff_check(member, actor_of, world):
    with pytest.raises(PermissionDeniedError):
        checks.check_record(
            observation=member,
            temperature="36.5",
            source="staff",
            actor=actor_of(world.users["volunteer"]),
        )


def test_no_check_for_a_released_person(member):
    services.observation_end_early(
        actor=staff(B111), quarantine=member.quarantine, observation_id=member.pk, reason="误登记"
    )
    member.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        checks.check_record(observation=member, temperature="36.5", source="self")
    assert exc.value.code == "observation_closed"


def test_a_reading_in_a_missed_slot_settles_its_missed_alert(member):
    from lianfang.monitoring import jobs

    with time_machine.travel("2020-02-10 13:30 +0800", tick=False):
        jobs.missed_checks_now()
        assert Alert.objects.get().kind == AlertKind.MISSED
    with time_machine.travel("2020-02-10 13:40 +0800", tick=False):
        from django.utils import timezone

        checks.check_record(
            observation=member,
            temperature="36.5",
            source="staff",
            actor=staff(B111, None),
            taken_at=timezone.now().replace(hour=3, minute=50),  # 11:50 local, slot 0
        )
    alert = Alert.objects.get()
    assert alert.status == AlertStatus.CLOSED and alert.action


def test_alerts_are_acknowledged_and_closed_with_the_action_taken(member, actor_of, world):
    grid = actor_of(world.users["grid_worker"])
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        checks.check_record(observation=member, temperature="38.2", source="self")
    alert = Alert.objects.get()
    alert_services.alert_acknowledge(actor=grid, alert=alert)
    with pytest.raises(Conflict):
        alert_services.alert_acknowledge(actor=grid, alert=alert)
    with pytest.raises(InvalidInput):
        alert_services.alert_close(actor=grid, alert=alert, action=" ")
    alert = alert_services.alert_close(actor=grid, alert=alert, action="已电话联系，安排转诊")
    assert alert.status == AlertStatus.CLOSED and alert.closed_by_id == grid.user_id


@pytest.mark.parametrize("policy_known", [True, False], ids=["one_statement", "careful_path"])
def test_self_checkins_per_day_are_capped(member, policy_known, monkeypatch):
    from lianfang.monitoring.checks import selfcheck, tokens

    token = tokens.token_of(member)
    selfcheck._current_policy_pk.cache_clear()
    with time_machine.travel("2020-02-10 10:00 +0800", tick=False):
        if not policy_known:  # no policy guess: every submission takes the careful path
            monkeypatch.setattr(selfcheck, "_current_policy", lambda: None)
        for i in range(selfcheck.SELF_CHECKS_PER_DAY):
            submitted = selfcheck.self_check_submit(
                token=token, temperature="36.5", client_key=f"c{i}"
            )
            assert submitted is not None and submitted[1]
        resubmitted = selfcheck.self_check_submit(token=token, temperature="36.5", client_key="c0")
        assert resubmitted is not None
        again, created = resubmitted
        with pytest.raises(InvalidInput) as exc:
            selfcheck.self_check_submit(token=token, temperature="36.5", client_key="one-more")
    selfcheck._current_policy_pk.cache_clear()
    assert exc.value.code == "too_many_checks"
    assert not created and again.client_key == "c0"  # a resubmission at the cap is its first row
    assert HealthCheck.objects.filter(source=CheckSource.SELF).count() == 12


def test_quarantine_page_shows_the_slots_worst_reading_and_one_alert_for_fever_and_cough(
    client, world, member
):
    from conftest import login_client

    with time_machine.travel("2020-02-10 13:30 +0800", tick=False):
        checks.check_record(
            observation=member, temperature="38.5", symptoms=["cough"], source="self"
        )
    with time_machine.travel("2020-02-10 14:30 +0800", tick=False):
        checks.check_record(observation=member, temperature="36.5", source="self")
        login_client(client, world.users["community_worker"])
        page = client.get(f"/monitoring/quarantines/{member.quarantine_id}/").content.decode()
        alerts = client.get("/monitoring/alerts/").content.decode()
    assert "12:00 38.5°（2 次）" in page and "12:00 36.5°" not in page
    assert alerts.count('data-alert="') == 1 and "发热、出现症状" in alerts
    assert "#2" not in alerts and "第 2 时段" in alerts
