"""A small periodic scheduler on cronsim.

Each job has a cron expression. A tick claims the latest due slot of every job by inserting a
unique ``(job, slot)`` row, then enqueues the job's task for the worker. A slot already claimed
(by this or another process, before or after a restart) is skipped, so ticks are idempotent;
after downtime only the most recent missed slot runs (catch-up)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cronsim import CronSim
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianfang.core.logging import get_logger
from lianfang.core.models import SchedulerTick

log = get_logger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    cron: str  # evaluated in local time (Asia/Shanghai)
    enqueue: Callable[[str], Any]  # called with the slot as an ISO string


_JOBS: dict[str, Job] = {}


def register_job(name: str, cron: str, enqueue: Callable[[str], Any]) -> None:
    CronSim(cron, datetime(2020, 1, 1))  # validate now, not at 3 a.m.
    _JOBS[name] = Job(name=name, cron=cron, enqueue=enqueue)


def jobs() -> dict[str, Job]:
    return dict(_JOBS)


def latest_slot(cron: str, now: datetime) -> datetime:
    """The latest cron time at or before ``now`` (aware, local time zone)."""
    local = timezone.localtime(now)
    start = local.replace(second=0, microsecond=0, tzinfo=None) + timedelta(minutes=1)
    naive = next(iter(CronSim(cron, start, reverse=True)))
    if naive > local.replace(tzinfo=None):  # reverse iteration may include ``start`` itself
        naive = next(iter(CronSim(cron, naive - timedelta(minutes=1), reverse=True)))
    return timezone.make_aware(naive)


def tick(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """Claim and enqueue every job whose latest slot is not yet claimed. Returns what ran."""
    now = now or timezone.now()
    ran: list[tuple[str, datetime]] = []
    for job in _JOBS.values():
        slot = latest_slot(job.cron, now)
        try:
            with transaction.atomic():
                SchedulerTick.objects.create(job=job.name, slot=slot)
                transaction.on_commit(functools.partial(job.enqueue, slot.isoformat()))
        except IntegrityError:
            continue
        log.info("scheduler.tick", job=job.name, slot=slot.isoformat())
        ran.append((job.name, slot))
    return ran


def run_forever(interval: float = 20.0, stop: Callable[[], bool] | None = None) -> None:
    while not (stop and stop()):
        try:
            tick()
        except Exception:  # keep the loop alive; the error is in the log
            log.exception("scheduler.tick_failed")
        time.sleep(interval)
