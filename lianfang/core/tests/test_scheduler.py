from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianfang.core import scheduler
from lianfang.core.models import SchedulerTick

SH = ZoneInfo("Asia/Shanghai")


def test_latest_slot_is_at_or_before_now():
    now = datetime(2026, 2, 3, 10, 15, 0, tzinfo=SH)
    assert scheduler.latest_slot("15 * * * *", now) == now
    assert scheduler.latest_slot("15 * * * *", now.replace(minute=14)) == now.replace(hour=9)


@pytest.mark.django_db(transaction=True)
def test_a_tick_runs_each_slot_once_and_catches_up_after_downtime():
    calls = []
    scheduler.register_job("test_job", "0 * * * *", lambda slot: calls.append(slot))
    try:
        with time_machine.travel(datetime(2026, 2, 3, 10, 5, tzinfo=SH), tick=False):
            scheduler.tick()
            scheduler.tick()  # same slot: nothing new
        assert calls == ["2026-02-03T10:00:00+08:00"]
        # Five hours of downtime: only the latest missed slot runs, once.
        with time_machine.travel(datetime(2026, 2, 3, 15, 30, tzinfo=SH), tick=False):
            scheduler.tick()
            scheduler.tick()
        assert calls[-1] == "2026-02-03T15:00:00+08:00"
        assert len(calls) == 2
        assert SchedulerTick.objects.filter(job="test_job").count() == 2
    finally:
        scheduler._JOBS.pop("test_job", None)
