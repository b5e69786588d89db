"""The registry's figures for the daily report (registered in PeopleConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianfang.core.indicators import FLOW, Indicator, Window, register
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
