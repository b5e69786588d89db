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


@pytest.mark.django_db(transaction=True)
def test_expire_job_removes_expired_sessions_and_old_tokens(world):
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from lianfang.accounts.models import ApiToken
    from lianfang.accounts.tokens import create_token

    with time_machine.travel(datetime(2026, 1, 1, 9, 0, tzinfo=SH), tick=False):
        store = SessionStore()
        store.set_expiry(60)
        store["x"] = 1
        store.save()
        old, _ = create_token(user=world.users["community_worker"], name="old")
    with time_machine.travel(datetime(2026, 1, 20, 9, 0, tzinfo=SH), tick=False):
        fresh, _ = create_token(user=world.users["community_worker"], name="fresh")
    with time_machine.travel(datetime(2026, 3, 5, 9, 20, tzinfo=SH), tick=False):
        ran = scheduler.tick()
    assert ("expire_sessions_and_tokens", datetime(2026, 3, 5, 9, 15, tzinfo=SH)) in ran
    assert not Session.objects.filter(session_key=store.session_key).exists()
    assert not ApiToken.objects.filter(pk=old.pk).exists()  # expired 31 Jan, kept 30 days
    assert ApiToken.objects.filter(pk=fresh.pk).exists()  # expired 19 Feb, still listed
    assert fresh.expires_at - old.expires_at == timedelta(days=19)
