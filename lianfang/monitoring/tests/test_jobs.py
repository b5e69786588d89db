"""The scheduled jobs across slots and day boundaries, in Asia/Shanghai, with time-machine."""

from datetime import date

import pytest
import time_machine

from conftest import B111
from lianfang.core import notifications
from lianfang.core.errors import InvalidInput
from lianfang.monitoring import jobs
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertLevel,
    Event,
    EventKind,
    HealthCheck,
    ObservationStatus,
    QuarantineStatus,
    Reminder,
)
from lianfang.monitoring.quarantines import services
from lianfang.monitoring.releases import services as release
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
    with time_machine.travel("2020-02-10 08:00 +0800", tick=False):
        q = make_quarantine(B111, start=date(2020, 2, 10))
    return q.members.select_related("quarantine__policy").get()


def _at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


def test_no_missed_alert_before_the_grace_time_ends(member):
    with _at("2020-02-10 12:59"):  # slot 06:00–12:00 + 60 minutes' grace
        assert jobs.missed_checks_now() == {"missed": 0, "escalated": 0}


def test_a_missed_slot_alerts_the_grid_worker_once(
    member, world, django_capture_on_commit_callbacks
):
    with _at("2020-02-10 13:00"), django_capture_on_commit_callbacks(execute=True):
        assert jobs.missed_checks_now()["missed"] == 1
        assert jobs.missed_checks_now()["missed"] == 0  # idempotent
    alert = Alert.objects.get()
    assert (alert.kind, alert.level, alert.slot_index) == (AlertKind.MISSED, AlertLevel.TEAM, 0)
    assert world.users["grid_worker"].pk in {m.user_id for m in notifications.outbox}


def test_a_missed_alert_escalates_to_the_community_after_the_delay(member):
    with _at("2020-02-10 13:00"):
        jobs.missed_checks_now()
    with _at("2020-02-10 14:59"):
        assert jobs.missed_checks_now()["escalated"] == 0
    with _at("2020-02-10 15:01"):
        assert jobs.missed_checks_now()["escalated"] == 1
    assert Alert.objects.get().level == AlertLevel.COMMUNITY


def test_yesterdays_missed_slots_are_caught_up_after_a_night_of_downtime(member):
    with _at("2020-02-11 07:00"):  # the scheduler was down from 10 Feb 08:00
        assert jobs.missed_checks_now()["missed"] == 2  # both of 10 Feb's slots
    assert set(Alert.objects.values_list("slot_date", "slot_index")) == {
        (date(2020, 2, 10), 0),
        (date(2020, 2, 10), 1),
    }


def test_a_slot_with_a_reading_raises_no_missed_alert(member):
    with _at("2020-02-10 09:00"):
        checks.check_record(observation=member, temperature="36.5", source="self")
    with _at("2020-02-10 13:00"):
        assert jobs.missed_checks_now()["missed"] == 0


def test_reminders_go_inside_the_slot_window_only_and_once(member):
    with _at("2020-02-10 06:10"):
        assert jobs.reminders_now() == 0  # first half hour: people check in by themselves
    with _at("2020-02-10 07:00"):
        assert jobs.reminders_now() == 1
        assert jobs.reminders_now() == 0
    with _at("2020-02-10 20:30"):
        assert jobs.reminders_now() == 0  # after the last slot: no reminder at night
    assert Reminder.objects.count() == 1
    message = notifications.outbox[-1]
    assert message.phone and "张*" in message.text


def test_auto_release_waits_for_the_last_slot_of_the_end_date(member):
    end = member.quarantine.end_date
    assert end == date(2020, 2, 24)
    with _at("2020-02-24 19:00"):
        checks.check_record(observation=member, temperature="36.4", source="self")
        assert jobs.auto_release_now() == {"released": 0, "review": 0}
    with _at("2020-02-24 20:05"):
        assert jobs.auto_release_now() == {"released": 1, "review": 0}
    member.refresh_from_db()
    assert member.status == ObservationStatus.RELEASED
    assert member.quarantine.status == QuarantineStatus.CLOSED


def test_a_fever_on_the_last_day_puts_the_quarantine_on_the_review_list(member):
    with _at("2020-02-24 19:00"):
        checks.check_record(observation=member, temperature="37.8", source="self")
    with _at("2020-02-24 21:00"):
        assert jobs.auto_release_now() == {"released": 0, "review": 1}
    with _at("2020-02-24 22:00"):
        assert jobs.auto_release_now() == {"released": 0, "review": 0}  # one review event
    member.refresh_from_db()
    assert member.status == ObservationStatus.ACTIVE
    assert Event.objects.filter(kind=EventKind.REVIEW).count() == 1


def test_a_staff_release_of_a_quarantine_with_problems_needs_a_reason(member):
    with _at("2020-02-24 21:00"):
        checks.check_record(observation=member, temperature="37.8", source="self")
        with pytest.raises(InvalidInput):
            release.quarantine_release(actor=staff(B111), quarantine=member.quarantine, force=True)
        assert (
            release.quarantine_release(
                actor=staff(B111), quarantine=member.quarantine, reason="发热门诊已排除", force=True
            )
            == []
        )


def test_tokens_of_ended_observations_are_erased(member):
    services.observation_end_early(
        actor=staff(B111),
        quarantine=member.quarantine,
        observation_id=member.pk,
        reason="误登记",
    )
    assert jobs.purge_tokens_now() == 0  # a day's grace
    with time_machine.travel("2030-01-01 00:00 +0800", tick=False):
        assert jobs.purge_tokens_now() == 1
    member.refresh_from_db()
    assert member.checkin_token_enc == "" and member.checkin_token_bidx == ""
    assert HealthCheck.objects.count() == 0


def test_bulk_release_releases_the_due_and_keeps_the_others_with_reasons(world, actor_of):
    with _at("2020-02-01 08:00"):
        fine = make_quarantine(B111, ("甲",), start=date(2020, 2, 1), address="1号")
        fever = make_quarantine(B111, ("乙二",), start=date(2020, 2, 1), address="2号")
    with _at("2020-02-05 08:00"):
        later = make_quarantine(B111, ("丙",), start=date(2020, 2, 5), address="3号")
    with _at("2020-02-15 19:00"):
        checks.check_record(observation=fine.members.get(), temperature="36.5", source="self")
        checks.check_record(observation=fever.members.get(), temperature="37.9", source="self")
    with _at("2020-02-16 09:00"):
        released, problems = release.quarantine_release_due(
            actor=actor_of(world.users["community_worker"]),
            quarantine_ids=[fine.pk, fever.pk, later.pk, "not-a-uuid"],
        )
    assert released == 1 and len(problems) == 1
    assert problems[0].startswith("乙*") and "乙二" not in problems[0]
    for q in (fine, fever, later):
        q.refresh_from_db()
    statuses = {q.pk: q.status for q in (fine, fever, later)}
    assert statuses == {fine.pk: "closed", fever.pk: "active", later.pk: "active"}
