"""The registry's figures for the daily report (registered in PeopleConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
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


def _sweeps_on(w: Window) -> Any:
    from lianfang.people.models import Sweep

    return Sweep.objects.filter(start_date__lte=w.day, end_date__gte=w.day)


def _buildings_visited(code: str, w: Window) -> Any:
    """Buildings with at least one household visit, by the window's end, in the sweeps running
    during the window (open, or dated over the day)."""
    return HouseholdVisit.objects.filter(
        subtree_q("region_code", code), sweep__in=_sweeps_on(w), visited_at__lt=w.end
    )


def _buildings(code: str, w: Window) -> Any:
    from lianfang.regions.models import Level, Region

    return Region.objects.filter(subtree_q("code", code), level=Level.BUILDING, is_active=True)


def _registration_row(r: Registration) -> dict[str, str]:
    return {
        "title": r.person.full_name,
        "detail": " · ".join(
            x
            for x in (
                str(r.get_risk_category_display()),
                str(r.get_source_display()),
                r.arrival_date.isoformat() if r.arrival_date else "",
            )
            if x
        ),
        "url": reverse("people:detail", args=[r.person_id]),
    }


def _visit_row(v: HouseholdVisit) -> dict[str, str]:
    return {
        "title": f"{v.building.name} {v.address}",
        "detail": f"{v.get_outcome_display()} · {timezone.localtime(v.visited_at):%m-%d %H:%M}",
        "url": reverse(
            "people:sweep_building", kwargs={"sweep_id": v.sweep_id, "code": v.region_code}
        ),
    }


def register_all() -> None:
    register(
        Indicator(
            key="arrivals_key_area",
            label=_("新登记重点地区来返人员"),
            kind=FLOW,
            query=lambda c, w: _registrations(Registration.objects.all(), c, w, True),
            records=lambda a, c, w: _registrations(
                Registration.objects.visible_to(a, VIEW_PEOPLE).select_related("person"), c, w, True
            ),
            present=_registration_row,
            perm=VIEW_PEOPLE,
            order=10,
        )
    )
    register(
        Indicator(
            key="arrivals_other",
            label=_("新登记其他来返人员"),
            kind=FLOW,
            query=lambda c, w: _registrations(Registration.objects.all(), c, w, False),
            records=lambda a, c, w: _registrations(
                Registration.objects.visible_to(a, VIEW_PEOPLE).select_related("person"),
                c,
                w,
                False,
            ),
            present=_registration_row,
            perm=VIEW_PEOPLE,
            order=11,
        )
    )
    register(
        Indicator(
            key="households_swept",
            label=_("入户排查户次"),
            kind=FLOW,
            query=lambda c, w: _visits(HouseholdVisit.objects.all(), c, w),
            records=lambda a, c, w: _visits(
                HouseholdVisit.objects.visible_to(a, VIEW_PEOPLE).select_related("building"), c, w
            ),
            present=_visit_row,
            perm=VIEW_PEOPLE,
            order=80,
        )
    )
    register(
        Indicator(
            key="sweep_coverage",
            label=_("排查覆盖楼栋比例"),
            kind=STOCK,
            query=_buildings_visited,
            denominator=_buildings,
            distinct="building_id",
            denominator_group_field="code",
            present=_visit_row,
            records=lambda a, c, w: (
                HouseholdVisit.objects.visible_to(a, VIEW_PEOPLE)
                .select_related("building")
                .filter(
                    subtree_q("region_code", c),
                    visited_at__lt=w.end,
                    sweep__start_date__lte=w.day,
                    sweep__end_date__gte=w.day,
                )
            ),
            perm=VIEW_PEOPLE,
            order=81,
        )
    )
