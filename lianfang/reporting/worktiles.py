"""The daily report's items on the home page's work queue (``core/worktiles.py``): the unit's own
report to confirm, the reports of the units below to review, and the command office's district
overview (yesterday's completeness and totals). Reads go through this app's selectors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import worktiles
from lianfang.core.scoping import Actor
from lianfang.core.worktiles import WorkItem
from lianfang.regions.models import Level, Region
from lianfang.reporting import selectors, services
from lianfang.reporting.models import ReportStatus
from lianfang.reporting.permissions import REVIEW_REPORTS, SUBMIT_REPORT, VIEW_REPORTS
from lianfang.reporting.policies import policy_for

# A report still waiting for its unit's confirmation (a missing one may still be filed late).
TO_CONFIRM = (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.MISSING)


def due_day() -> date:
    """The day whose report is due this morning: yesterday (as the report pages default to)."""
    return timezone.localdate() - timedelta(days=1)


def _own_units(actor: Actor, perm: str, levels: tuple[str, ...]) -> list[Region]:
    codes = {
        g.region_code for g in actor.grants if services.is_own_unit(actor, g.region_code, perm)
    }
    return list(Region.objects.filter(code__in=codes, level__in=levels).order_by("code"))


def to_confirm(actor: Actor) -> list[WorkItem]:
    day, now = due_day(), timezone.now()
    out = []
    for unit in _own_units(actor, SUBMIT_REPORT, (Level.COMMUNITY, Level.SUBDISTRICT)):
        if policy_for(day).window(unit.level, day)[1] > now:
            continue
        report = selectors.reports_of(actor, unit.code).filter(day=day).first()
        if report is not None and report.status not in TO_CONFIRM:
            continue
        returned = report is not None and report.status == ReportStatus.RETURNED
        label = _("被退回的日报告") if returned else _("待确认报送的日报告")
        out.append(
            WorkItem(
                str(label),
                1,
                reverse("reporting:detail", kwargs={"code": unit.code, "day": day.isoformat()}),
                note=f"{unit.name} · {day:%Y-%m-%d}",
                urgent=returned or (report is not None and report.status == ReportStatus.MISSING),
            )
        )
    return out


def to_review(actor: Actor) -> list[WorkItem]:
    day = due_day()
    out = []
    for unit in _own_units(actor, REVIEW_REPORTS, (Level.SUBDISTRICT, Level.DISTRICT)):
        count = (
            selectors.reports_below(actor, unit.code)
            .filter(day=day, status=ReportStatus.SUBMITTED)
            .count()
        )
        url = reverse("reporting:overview") + f"?region={unit.code}&date={day.isoformat()}"
        out.append(
            WorkItem(str(_("待审核的下级日报告")), count, url, note=f"{unit.name} · {day:%Y-%m-%d}")
        )
    return out


def district_overview(actor: Actor) -> dict[str, Any] | None:
    region = selectors.home_region(actor)
    if region.level not in (Level.DISTRICT, Level.SUBDISTRICT):
        return None
    day = due_day()
    return {
        "region": region,
        "day": day,
        "data": selectors.overview(region, day, with_live=False),
        "columns": selectors.count_indicators(),
    }


def register_all() -> None:
    worktiles.register(
        "reporting.to_confirm",
        roles=("community_worker", "subdistrict_officer"),
        perm=SUBMIT_REPORT,
        items=to_confirm,
        order=25,
    )
    worktiles.register(
        "reporting.to_review",
        roles=("subdistrict_officer",),
        perm=REVIEW_REPORTS,
        items=to_review,
        order=5,
    )
    worktiles.register_panel(
        "reporting.district_overview",
        roles=("command_office",),
        perm=VIEW_REPORTS,
        template="reporting/home_overview.html",
        context=district_overview,
        order=10,
    )
