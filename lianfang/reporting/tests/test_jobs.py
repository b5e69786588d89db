"""Deadlines and reminders: missing reports are marked exactly once, also when the scheduler
was down at the deadline; reminders come once, inside the reminder period."""

from datetime import date, timedelta

import pytest

from conftest import C11, C12, C21, DISTRICT, SD1, SD2
from lianfang.core import notifications
from lianfang.reporting import jobs
from lianfang.reporting.models import DailyReport, ReportEvent, SupervisionItem
from lianfang.reporting.tests.factories import at, report, submit

pytestmark = pytest.mark.django_db
D = date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _clock():
    """The shared tree is created on D: no report is expected for the days before it existed."""
    with at("2020-02-10 09:00"):
        yield


def test_nothing_is_missing_before_the_deadline(world):
    with at("2020-02-11 07:59"):
        assert jobs.deadlines_now() == 0
    assert not DailyReport.objects.filter(day=D, status="missing").exists()


def test_unsubmitted_community_reports_are_marked_missing_once_at_the_deadline(world):
    submit(C11, D, "2020-02-11 07:30")
    with at("2020-02-11 08:01"):
        assert jobs.deadlines_now() == 2  # C12 and C21; the sub-districts' deadline is 09:00
        assert jobs.deadlines_now() == 0
    missing = dict(
        DailyReport.objects.filter(day=D, status="missing").values_list("region_code", "level")
    )
    assert missing == {C12: "community", C21: "community"}
    items = SupervisionItem.objects.filter(report__day=D)
    assert sorted(items.values_list("region_code", "subject_code")) == [(SD1, C12), (SD2, C21)]
    assert ReportEvent.objects.filter(kind="missing", report__day=D).count() == 2


def test_each_level_has_its_own_deadline(world):
    with at("2020-02-11 09:01"):
        jobs.deadlines_now()
    levels = set(
        DailyReport.objects.filter(day=D, status="missing").values_list("level", flat=True)
    )
    assert levels == {"community", "subdistrict"}
    with at("2020-02-11 10:01"):
        assert jobs.deadlines_now() == 1
    assert DailyReport.objects.get(day=D, region_code=DISTRICT).status == "missing"


def test_a_scheduler_down_for_days_marks_every_missed_deadline_exactly_once(world):
    with at("2020-02-14 12:00"):  # down since before the 10th's deadline
        first = jobs.deadlines_now()
        again = jobs.deadlines_now()
    assert again == 0
    # 3 communities + 2 sub-districts + 1 district, for each day whose deadlines passed, from
    # the day the regions were created (D, the 10th) to the 13th: 4 days.
    assert first == 6 * 4
    for day in (D, D + timedelta(days=3)):
        assert DailyReport.objects.filter(day=day, status="missing").count() == 6
    assert SupervisionItem.objects.count() == 6 * 4


def test_a_missing_report_filed_later_is_late_and_its_supervision_item_resolved(world):
    with at("2020-02-11 08:05"):
        jobs.deadlines_now()
    revision = submit(C21, D, "2020-02-11 09:30")
    assert revision.late
    r = report(C21, D)
    assert r.shown_status == "late"
    item = SupervisionItem.objects.get(report=r)
    assert item.kind == "missing" and item.resolved_at is not None


def test_reminders_come_once_inside_the_reminder_period(world, settings):
    settings.LIANFANG_NOTIFICATIONS = "memory"
    notifications.outbox.clear()
    submit(C11, D, "2020-02-11 06:50")
    with at("2020-02-11 06:59"):
        assert jobs.reminders_now() == 0  # community deadline 08:00, reminder from 07:00
    with at("2020-02-11 07:05"):
        sent = jobs.reminders_now()
        assert jobs.reminders_now() == 0
    # The one community worker per community of the shared tree is in C11 (already submitted):
    # nobody else to tell, but C12 and C21 are marked as reminded.
    assert sent == 0
    reminded = DailyReport.objects.filter(day=D, level="community").exclude(reminded_at=None)
    assert sorted(reminded.values_list("region_code", flat=True)) == [C12, C21]


def test_reminder_goes_to_the_units_staff(world, settings):
    settings.LIANFANG_NOTIFICATIONS = "memory"
    notifications.outbox.clear()
    with at("2020-02-11 07:05"):
        sent = jobs.reminders_now()
    assert sent == 1
    message = notifications.outbox[-1]
    assert message.user_id == world.users["community_worker"].pk
    assert message.kind == "report.reminder"
    assert "建宁路社区" in message.text
