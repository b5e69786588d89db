"""Demo reports: 30 days for the 60 communities, their sub-districts and the district, submitted
through the services with the figures the demo records give (quiet communities file zero
reports), realistic lateness, a few missing days (marked by the deadline job, with supervision
items), sub-district reviews (one report returned and resubmitted), one correction. Yesterday is
left partly open so the morning's work can be tried; the first community's report is not filed.

Figures come from ``indicators.compute_by_child`` (one GROUP BY per indicator and day for all
60 communities) instead of one computation per report: the same definitions, 60 times fewer
queries."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from auditlog.context import disable_auditlog
from django.utils import timezone

from lianfang.accounts.models import Membership
from lianfang.core import indicators
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
from lianfang.reporting.policies import policy_for

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
    rows = (
        Membership.objects.active()
        .filter(role__in=list(UNIT_ROLE.values()), region_code__startswith="620105")
        .order_by("user_id")
        .values_list("user_id", "role", "region_code")
    )
    for user_id, role, code in rows:
        actors.setdefault(code, Actor(user_id=user_id, grants=(Grant(role, code),)))
    return actors


def _at(day: date, minutes: int) -> datetime:
    """``minutes`` after midnight on the morning after ``day``."""
    base = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(base) + timedelta(minutes=minutes)


def _submit(
    actor: Actor,
    report: DailyReport,
    at: datetime,
    figures: dict[str, int] | None = None,
    **kw: str,
) -> None:
    if figures is None:
        figures = services.figures_to_submit(report)
    services.report_submit(
        actor=actor,
        report=report,
        now=at,
        computed=figures,
        confirm_zero=indicators.is_zero(figures),
        **kw,
    )


def seed(rng: random.Random, today: date) -> dict[str, int]:
    # The demo's history is not anybody's change: keep it out of the audit log (and fast).
    with disable_auditlog():
        return _seed(rng, today)


def _seed(rng: random.Random, today: date) -> dict[str, int]:
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
    counts = {"reports": 0, "zero_reports": 0, "late": 0, "missing": 0, "returned": 0}
    # The first community filing that day corrects it (not a fixed one: it may not have filed).
    corrected_day, corrected = today - timedelta(days=3), False
    returned_day = today - timedelta(days=5)
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        yesterday = offset == 1
        start, end = policy_for(day).window(Level.COMMUNITY, day)
        computed = indicators.compute_by_child(
            district.code, 12, indicators.Window(day, start, end)
        )
        for c in communities:
            actor = actors.get(c.code)
            if actor is None:
                continue
            if yesterday and (c == communities[0] or rng.random() < 0.3):
                services.report_for(c, day)  # this morning's work, opened and still a draft
                continue
            roll = rng.random()
            miss, late = (0.08, 0.25) if c.code in sloppy else (0.01, 0.05)
            if roll < miss:
                continue  # never filed: the deadline job marks it missing
            if roll < miss + late:
                minute = rng.randint(8 * 60 + 10, 11 * 60)
            else:
                minute = rng.randint(6 * 60 + 30, 7 * 60 + 55)
            at = min(_at(day, minute), now - timedelta(minutes=5))
            if at <= end:  # seeded just after the day's window closed: nobody could file it yet
                services.report_for(c, day)
                continue
            report = services.report_for(c, day)
            figures = computed.get(c.code) or dict.fromkeys(
                (i.key for i in indicators.all_indicators()), 0
            )
            _submit(actor, report, at, figures)
            counts["reports"] += 1
            counts["zero_reports"] += int(indicators.is_zero(figures))
            counts["late"] += int(at > report.deadline)
            if day == corrected_day and not corrected:
                corrected = True
                _submit(
                    actor,
                    report,
                    at + timedelta(minutes=40),
                    figures,
                    reason="补录一名当日抵达、次日才核实的返兰人员",
                )
        for sd in subdistricts:
            officer = actors.get(sd.code)
            if officer is None:
                continue
            review_at = min(_at(day, 8 * 60 + 20), now - timedelta(minutes=4))
            submitted = DailyReport.objects.filter(
                level=Level.COMMUNITY,
                day=day,
                region_code__startswith=sd.code,
                status=ReportStatus.SUBMITTED,
            )
            for report in submitted:
                if day == returned_day and not counts["returned"]:
                    services.report_review(
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
                        computed.get(report.region_code),
                        reason="已核对发热记录，数据无误",
                    )
                    counts["returned"] += 1
                elif not yesterday:
                    services.report_review(
                        actor=officer, report=report, approve=True, now=review_at
                    )
            if not yesterday:
                at = min(_at(day, 8 * 60 + 50), now - timedelta(minutes=3))
                _submit(officer, services.report_for(sd, day), at)
        if not yesterday and district.code in actors:
            at = min(_at(day, 9 * 60 + 45), now - timedelta(minutes=2))
            _submit(actors[district.code], services.report_for(district, day), at)
        counts["missing"] += jobs.deadlines_now(min(_at(day, 11 * 60), now))
    return counts
