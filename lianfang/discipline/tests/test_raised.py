"""Clues the system raises from its records: each rule of ``core/cluerules`` with its threshold
crossed files one clue for the facts, explained by the records behind it (never a verdict);
twice for the same facts is still one clue; a scheduler down for days catches up once; a dated
setting changes the threshold from its day."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import C11, C12, DISTRICT
from lianfang.cases.models import WorkOrder
from lianfang.cases.tests.factories import tip
from lianfang.core.models import AccessLog
from lianfang.discipline import defaults, raising, selectors
from lianfang.discipline.models import Clue, Kind, RuleSetting
from lianfang.reporting.models import DailyReport, ReportStatus
from lianfang.reporting.tests.factories import report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(world):
    defaults.seed(Kind)
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False) as traveller:
        yield traveller


def _missing(code, *days):
    for day in days:
        r = report(code, day)
        DailyReport.objects.filter(pk=r.pk).update(status=ReportStatus.MISSING)


def test_a_community_missing_two_reports_in_a_week_raises_one_explained_clue(world):
    _missing(C11, date(2020, 2, 5), date(2020, 2, 8))
    _missing(C12, date(2020, 2, 8))  # once: below the threshold
    filed = raising.clues_raise()
    assert filed["reports_missing_late"] == 1
    clue = Clue.objects.get(source="system")
    assert clue.kind_code == "concealment" and clue.subject_unit == "建宁路社区"
    assert clue.region_code == DISTRICT  # no sub-district office is staffed in the test tree
    facts = selectors.facts_of(clue)
    assert "02-05 漏报" in facts and "02-08 漏报" in facts and "不是结论" in facts


def test_the_same_facts_raise_one_clue_however_often_the_rules_run(world, _setup):
    _missing(C11, date(2020, 2, 5), date(2020, 2, 8))
    raising.clues_raise()
    raising.clues_raise()
    _setup.shift(timedelta(days=1))  # the next day's window holds the same week's facts
    raising.clues_raise()
    assert Clue.objects.filter(source="system").count() == 1


def test_newer_records_of_an_open_clue_go_onto_its_timeline_once(world, _setup):
    _missing(C11, date(2020, 2, 5), date(2020, 2, 8))
    raising.clues_raise()
    _missing(C11, date(2020, 2, 10))
    _setup.move_to("2020-02-11 09:00 +0800")
    raising.clues_raise()
    raising.clues_raise()
    clue = Clue.objects.get(source="system")
    notes = [e["note"] for e in selectors.timeline(clue) if "再次发现" in e["note"]]
    assert len(notes) == 1 and "02-10 漏报" in notes[0]


def test_a_scheduler_down_for_days_catches_up_each_day_once(world, _setup):
    raising.clues_raise()  # evaluated up to 9 February
    _missing(C11, date(2020, 2, 10), date(2020, 2, 11))
    _setup.move_to("2020-02-14 09:00 +0800")  # three days without a run
    assert raising.clues_raise()["reports_missing_late"] == 1
    assert raising.clues_raise()["reports_missing_late"] == 0
    assert Clue.objects.filter(source="system").count() == 1


def test_a_dated_setting_raises_the_threshold_from_its_day(world):
    RuleSetting.objects.create(
        rule_key="reports_missing_late", threshold=3, window_days=7, effective_from=date(2020, 2, 1)
    )
    _missing(C11, date(2020, 2, 5), date(2020, 2, 8))
    assert raising.clues_raise()["reports_missing_late"] == 0


def test_work_orders_run_past_escalation_raise_a_clue_for_their_unit(world):
    orders = [tip(place_code=C11) for _ in range(3)]
    moment = timezone.make_aware(datetime(2020, 2, 9, 12))
    WorkOrder.objects.filter(receipt__in=[o.receipt for o in orders]).update(
        escalated_at=moment, region_code=C11
    )
    assert raising.clues_raise()["orders_overdue_escalated"] == 1
    clue = Clue.objects.get(kind_code="neglect")
    assert "超期升级" in selectors.facts_of(clue)


def test_personal_data_reads_far_above_usual_raise_a_clue_about_the_user(world):
    user = world.users["community_worker"]
    day = timezone.make_aware(datetime(2020, 2, 9, 15))
    for _ in range(3):
        AccessLog.objects.create(
            user=user,
            action="export_unmasked",
            object_type="person_list",
            object_id="-",
            region_code=C11,
            purpose="导出",
            row_count=60,
        )
    AccessLog.objects.update(at=day)
    assert raising.clues_raise()["personal_data_reads_above_usual"] == 1
    clue = Clue.objects.get(kind_code="rumour_leak")
    assert clue.subject_user_id == user.pk
    assert "180 条" in selectors.facts_of(clue)


def test_every_rule_is_on_the_overview_with_its_threshold(world):
    keys = {row["rule"].key for row in raising.rules_overview()}
    assert keys == {
        "reports_missing_late",
        "handovers_unacknowledged",
        "orders_overdue_escalated",
        "personal_data_reads_above_usual",
    }
