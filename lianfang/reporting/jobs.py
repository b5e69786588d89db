"""Scheduled reporting jobs. Both are idempotent and catch up after downtime (they look back
``CATCH_UP_DAYS`` days):

- ``deadlines`` (every 10 minutes): every reporting unit whose deadline for a day has passed
  without a submission gets its report marked missing (漏报), one event and one supervision item
  for the unit above — exactly once, however often or late the job runs.
- ``reminders`` (every 10 minutes): inside the policy's reminder period before a deadline, the
  unit's staff get one reminder if the report is not submitted."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lianfang.core import notifications
from lianfang.core.logging import get_logger
from lianfang.core.scheduler import register_job
from lianfang.regions.models import Region
from lianfang.reporting.models import (
    REPORTING_LEVELS,
    DailyReport,
    EventKind,
    ReportEvent,
    ReportStatus,
    SupervisionItem,
    SupervisionKind,
)
from lianfang.reporting.policies import policy_for
from lianfang.reporting.services import parent_code

log = get_logger(__name__)
CATCH_UP_DAYS = 7
UNIT_ROLE = {
    "community": "community_worker",
    "subdistrict": "subdistrict_officer",
    "district": "command_office",
}


def _days(now: datetime) -> list[date]:
    today = timezone.localdate(now)
    return [today - timedelta(days=i) for i in range(CATCH_UP_DAYS, -1, -1)]


def _open_rows(level: str, day: date) -> None:
    """Reports for every unit of ``level`` that existed during the window (bulk, conflict-safe)."""
    policy = policy_for(day)
    start, end = policy.window(level, day)
    have = DailyReport.objects.filter(level=level, day=day).values("region_id")
    DailyReport.objects.bulk_create(
        [
            DailyReport(
                region_id=pk,
                region_code=code,
                level=level,
                day=day,
                policy=policy,
                window_start=start,
                window_end=end,
                deadline=policy.deadline(level, day),
            )
            for pk, code in Region.objects.filter(level=level, is_active=True, created_at__lt=end)
            .exclude(pk__in=have)
            .values_list("pk", "code")
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def deadlines_now(now: datetime | None = None) -> int:
    """Mark overdue unsubmitted reports missing; returns how many were marked this run."""
    now = now or timezone.now()
    marked = 0
    for day in _days(now):
        policy = policy_for(day)
        for level in REPORTING_LEVELS:
            if policy.deadline(level, day) > now:
                continue
            with transaction.atomic():
                _open_rows(level, day)
                overdue = list(
                    DailyReport.objects.select_for_update()
                    .filter(level=level, day=day, status=ReportStatus.DRAFT, deadline__lte=now)
                    .values_list("pk", "region_code")
                )
                if not overdue:
                    continue
                DailyReport.objects.filter(
                    pk__in=[pk for pk, _c in overdue], status=ReportStatus.DRAFT
                ).update(status=ReportStatus.MISSING)
                ReportEvent.objects.bulk_create(
                    ReportEvent(report_id=pk, kind=EventKind.MISSING, at=now) for pk, _c in overdue
                )
                SupervisionItem.objects.bulk_create(
                    [
                        SupervisionItem(
                            report_id=pk,
                            kind=SupervisionKind.MISSING,
                            region_code=parent_code(code),
                            subject_code=code,
                            created_at=now,
                        )
                        for pk, code in overdue
                    ],
                    ignore_conflicts=True,
                )
                marked += len(overdue)
    if marked:
        log.info("reports marked missing", count=marked)
    return marked


def reminders_now(now: datetime | None = None) -> int:
    """One reminder per unsubmitted report inside the reminder period before its deadline."""
    from lianfang.accounts import selectors as accounts_selectors

    now = now or timezone.now()
    messages: list[notifications.Message] = []
    for day in _days(now):
        policy = policy_for(day)
        for level in REPORTING_LEVELS:
            deadline = policy.deadline(level, day)
            end = policy.window(level, day)[1]
            if not (deadline - timedelta(minutes=policy.reminder_minutes) <= now < deadline):
                continue
            if now < end:
                continue
            _open_rows(level, day)
            pending = list(
                DailyReport.objects.filter(
                    level=level, day=day, status=ReportStatus.DRAFT, reminded_at=None
                ).select_related("region")
            )
            claimed = []
            for report in pending:  # claim each one, so a concurrent run cannot remind twice
                if DailyReport.objects.filter(pk=report.pk, reminded_at=None).update(
                    reminded_at=now
                ):
                    claimed.append(report)
            ReportEvent.objects.bulk_create(
                ReportEvent(report=r, kind=EventKind.REMINDED, at=now) for r in claimed
            )
            staff = accounts_selectors.holders_by_region(
                UNIT_ROLE[level], [r.region_code for r in claimed]
            )
            for report in claimed:
                text = _(
                    "【日报告】%(unit)s %(day)s 的日报告将于 %(deadline)s 截止，请及时报送。"
                ) % {
                    "unit": report.region.name,
                    "day": day.isoformat(),
                    "deadline": timezone.localtime(deadline).strftime("%m-%d %H:%M"),
                }
                messages.extend(
                    notifications.Message(
                        kind="report.reminder", text=text, user_id=u, ref=str(report.pk)
                    )
                    for u in sorted(staff.get(report.region_code, ()))
                )
    if messages:
        notifications.send(messages)
    return len(messages)


@task()
def deadlines(slot: str) -> int:
    return deadlines_now()


@task()
def reminders(slot: str) -> int:
    return reminders_now()


register_job("reporting_deadlines", "*/10 * * * *", lambda s: deadlines.enqueue(slot=s))
register_job("reporting_reminders", "*/10 * * * *", lambda s: reminders.enqueue(slot=s))
