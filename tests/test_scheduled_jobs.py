from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianfang.core import scheduler

SH = ZoneInfo("Asia/Shanghai")


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
