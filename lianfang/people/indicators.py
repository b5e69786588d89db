"""The registry's figures for the daily report (registered in PeopleConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianfang.core.indicators import FLOW, STOCK, Indicator, Window, register
from lianfang.core.regioncode import subtree_q
from lianfang.people.models import HouseholdVisit, Registration, RiskCategory
from lianfang.people.permissions import VIEW_PEOPLE


def _registrations(qs: QuerySet[Registration], code: str, w: Window, key_area: bool) -> Any:
    qs = qs.filter(
        subtree_q("region_code", code), registered_at__gte=w.start, registered_at__lt=w.end
    )
    if key_area:
        return qs.filter(risk_category=RiskCategory.KEY_AREA_ARRIVAL)
    return qs.exclude(risk_category=RiskCategory.KEY_AREA_ARRIVAL).exclude(arrival_date=None)


def _visits(qs: QuerySet[HouseholdVisit], code: str, w: Window) -> Any:
    return qs.filter(subtree_q("region_code", code), visited_at__gte=w.start, visited_at__lt=w.end)


def sweep_coverage(code: str, w: Window) -> int:
    """Share (whole %) of the region's active buildings with at least one household visit, by
    the window's end, in the sweeps running during the window (open, or dated over the day)."""
    from lianfang.people.models import Sweep
    from lianfang.regions.models import Level, Region

    buildings = Region.objects.filter(
        subtree_q("code", code), level=Level.BUILDING, is_active=True
    ).count()
    if buildings == 0:
        return 0
    sweeps = Sweep.objects.filter(start_date__lte=w.day, end_date__gte=w.day)
    visited = (
        HouseholdVisit.objects.filter(
            subtree_q("region_code", code), sweep__in=sweeps, visited_at__lt=w.end
        )
        .values("building_id")
        .distinct()
        .count()
    )
    return round(100 * visited / buildings)


def register_all() -> None:
    register(
        Indicator(
            key="arrivals_key_area",
            label=_("新登记重点地区来返人员"),
            kind=FLOW,
            count=lambda c, w: _registrations(Registration.objects.all(), c, w, True).count(),
            records=lambda a, c, w: _registrations(
                Registration.objects.visible_to(a, VIEW_PEOPLE), c, w, True
            ),
            perm=VIEW_PEOPLE,
            order=10,
        )
    )
    register(
        Indicator(
            key="arrivals_other",
            label=_("新登记其他来返人员"),
            kind=FLOW,
            count=lambda c, w: _registrations(Registration.objects.all(), c, w, False).count(),
            records=lambda a, c, w: _registrations(
                Registration.objects.visible_to(a, VIEW_PEOPLE), c, w, False
            ),
            perm=VIEW_PEOPLE,
            order=11,
        )
    )
    register(
        Indicator(
            key="households_swept",
            label=_("入户排查户次"),
            kind=FLOW,
            count=lambda c, w: _visits(HouseholdVisit.objects.all(), c, w).count(),
            records=lambda a, c, w: _visits(
                HouseholdVisit.objects.visible_to(a, VIEW_PEOPLE), c, w
            ),
            perm=VIEW_PEOPLE,
            order=80,
        )
    )
    register(
        Indicator(
            key="sweep_coverage",
            label=_("排查覆盖楼栋比例"),
            kind=STOCK,
            count=sweep_coverage,
            records=lambda a, c, w: HouseholdVisit.objects.visible_to(a, VIEW_PEOPLE).filter(
                subtree_q("region_code", c),
                visited_at__lt=w.end,
                sweep__start_date__lte=w.day,
                sweep__end_date__gte=w.day,
            ),
            perm=VIEW_PEOPLE,
            order=81,
            unit="%",
        )
    )
