"""Demo reports: 30 days for the 60 communities, their sub-districts and the district, submitted
through the services with the figures the demo records give (quiet communities file zero
reports), realistic lateness, a few missing days (marked by the deadline job, with supervision
items), sub-district reviews (one report returned and resubmitted), one correction. Yesterday is
left partly open so the morning's work can be tried; the first community's report is not filed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianfang.accounts.models import Membership
from lianfang.core.errors import DomainError
from lianfang.core.scoping import Actor, Grant
from lianfang.regions.models import Level, Region
from lianfang.reporting import jobs, services
from lianfang.reporting.models import (
    Bulletin,
    DailyReport,
    ReportEvent,
    ReportFigure,
    ReportRevision,
    ReportStatus,
    SupervisionItem,
)

DAYS = 30
UNIT_ROLE = {
    Level.COMMUNITY: "community_worker",
    Level.SUBDISTRICT: "subdistrict_officer",
    Level.DISTRICT: "command_office",
}


def reset() -> None:
    for model in (Bulletin, SupervisionItem, ReportEvent, ReportFigure, ReportRevision):
        model.objects.all().delete()
    DailyReport.objects.all().delete()


def _actors() -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for user_id, role, code in (
        Membership.objects.active()
        .filter(role__in=list(UNIT_ROLE.values()), region_code__startswith="620105")
        .values_list("user_id", "role", "region_code")
        .order_by("user_id")
    ):
        if code in actors:
            continue
        grants = [Grant(role, code)]
        if role in ("subdistrict_officer", "command_office"):
            grants.append(Grant(role, code))
        actors[code] = Actor(user_id=user_id, grants=tuple(grants))
    return actors


def _at(day: date, minutes_after_midnight: int) -> datetime:
    """A time on the morning after ``day``."""
    base = datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    return base + timedelta(minutes=minutes_after_midnight)


def _submit(actor: Actor, report: DailyReport, at: datetime, **kwargs: object) -> bool:
    try:
        services.submit(actor=actor, report=report, now=at, **kwargs)  # type: ignore[arg-type]
    except DomainError as exc:
        if exc.code != "confirm_zero":
            return False
        services.submit(actor=actor, report=report, now=at, confirm_zero=True, **kwargs)  # type: ignore[arg-type]
    return True


def seed(rng: random.Random, today: date) -> dict[str, int]:
    now = timezone.now()
    actors = _actors()
    district = Region.objects.get(code="620105")
    subdistricts = list(
        Region.objects.filter(level=Level.SUBDISTRICT, parent=district).order_by("code")
    )
    communities = list(
        Region.objects.filter(level=Level.COMMUNITY, code__startswith="620105").order_by("code")
    )
    sloppy = {c.code for c in rng.sample(communities, k=max(1, len(communities) // 10))}
    first_code = communities[0].code
    counts = {"reports": 0, "late": 0, "missing": 0, "returned": 0, "corrected": 0}
    corrected_day = today - timedelta(days=3)
    returned_done = False
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        yesterday = offset == 1
        for c in communities:
            actor = actors.get(c.code)
            if actor is None:
                continue
            if yesterday and (c.code == first_code or rng.random() < 0.3):
                continue  # this morning's work, still open
            roll = rng.random()
            miss = 0.08 if c.code in sloppy else 0.01
            late = 0.25 if c.code in sloppy else 0.05
            if roll < miss:
                continue  # never filed: the deadline job marks it missing
            minute = (
                rng.randint(8 * 60 + 10, 11 * 60)
                if roll < miss + late
                else rng.randint(6 * 60 + 30, 7 * 60 + 55)
            )
            at = min(_at(day, minute), now - timedelta(minutes=5))
            report = services.report_for(c, day)
            if _submit(actor, report, at, note=""):
                counts["reports"] += 1
                counts["late"] += int(at > report.deadline)
            if day == corrected_day and c.code == communities[1].code:
                _submit(
                    actor,
                    report,
                    at + timedelta(minutes=40),
                    reason="补录一名当日抵达、次日才核实的返兰人员",
                )
                counts["corrected"] += 1
        for sd in subdistricts:
            officer = actors.get(sd.code)
            if officer is None:
                continue
            review_at = min(_at(day, 8 * 60 + 20), now - timedelta(minutes=4))
            for report in DailyReport.objects.filter(
                level=Level.COMMUNITY,
                day=day,
                region_code__startswith=sd.code,
                status=ReportStatus.SUBMITTED,
            ):
                if not returned_done and offset == 5:
                    services.review(
                        actor=officer,
                        report=report,
                        approve=False,
                        comment="发热人数与预警记录不一致，请核对",
                        now=review_at,
                    )
                    _submit(
                        actors[report.region_code],
                        report,
                        review_at + timedelta(minutes=25),
                        reason="已核对发热记录",
                    )
                    returned_done = True
                    counts["returned"] += 1
                    continue
                if not yesterday:
                    services.review(actor=officer, report=report, approve=True, now=review_at)
            if not yesterday:
                _submit(
                    officer,
                    services.report_for(sd, day),
                    min(_at(day, 8 * 60 + 50), now - timedelta(minutes=3)),
                )
        if not yesterday and district.code in actors:
            _submit(
                actors[district.code],
                services.report_for(district, day),
                min(_at(day, 9 * 60 + 45), now - timedelta(minutes=2)),
            )
        counts["missing"] += jobs.deadlines_now(min(_at(day, 11 * 60), now))
    return counts
