"""Monitoring's figures for the daily report (registered in MonitoringConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianfang.core.indicators import FLOW, STOCK, Indicator, Window, register
from lianfang.core.regioncode import subtree_q
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    CheckSource,
    HealthCheck,
    Kind,
    Observation,
    ObservationStatus,
    Referral,
    ReferralOutcome,
)
from lianfang.monitoring.permissions import VIEW_MONITORING


def _observing(qs: Any, code: str, w: Window, kind: str) -> Any:
    """Persons under observation of ``kind`` at the window's end."""
    return qs.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=w.end),
        subtree_q("region_code", code),
        quarantine__kind=kind,
        started_at__lt=w.end,
    )


def _started(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(subtree_q("region_code", code), started_at__gte=w.start, started_at__lt=w.end)


def _released(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(
        subtree_q("region_code", code),
        status=ObservationStatus.RELEASED,
        ended_at__gte=w.start,
        ended_at__lt=w.end,
    )


def _fevers(qs: Any, code: str, w: Window) -> Any:
    """Persons with a fever reading in the window (one each, however many readings)."""
    feverish = HealthCheck.objects.filter(
        subtree_q("region_code", code), fever=True, taken_at__gte=w.start, taken_at__lt=w.end
    ).values("observation_id")
    return qs.filter(pk__in=feverish)


def _referrals(qs: Any, code: str, w: Window, outcome: str | None) -> Any:
    qs = qs.filter(subtree_q("region_code", code))
    if outcome is None:
        return qs.filter(sent_at__gte=w.start, sent_at__lt=w.end)
    return qs.filter(outcome=outcome, outcome_at__gte=w.start, outcome_at__lt=w.end)


def _missed(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(subtree_q("region_code", code), kind=AlertKind.MISSED, slot_date=w.day)


def checkin_rate(code: str, w: Window) -> int:
    """Of the persons under observation during the day, the share (whole %) who reported at
    least one reading themselves."""
    during = Observation.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=w.end),
        subtree_q("region_code", code),
        started_at__lt=w.start,
    )
    total = during.count()
    if total == 0:
        return 0
    reported = (
        HealthCheck.objects.filter(observation__in=during, source=CheckSource.SELF, slot_date=w.day)
        .values("observation_id")
        .distinct()
        .count()
    )
    return round(100 * reported / total)


def _simple(
    key: str, label: Any, kind: str, model: Any, select: Any, order: int, unit: str = ""
) -> Indicator:
    return Indicator(
        key=key,
        label=label,
        kind=kind,
        count=lambda c, w: int(select(model.objects.all(), c, w).count()),
        records=lambda a, c, w: select(model.objects.visible_to(a, VIEW_MONITORING), c, w),
        perm=VIEW_MONITORING,
        order=order,
        unit=unit,
    )


def register_all() -> None:
    register(
        _simple(
            "under_home_observation",
            _("居家医学观察（人）"),
            STOCK,
            Observation,
            lambda q, c, w: _observing(q, c, w, Kind.HOME),
            20,
        )
    )
    register(
        _simple(
            "under_centralised_observation",
            _("集中隔离医学观察（人）"),
            STOCK,
            Observation,
            lambda q, c, w: _observing(q, c, w, Kind.CENTRALISED),
            21,
        )
    )
    register(_simple("observations_started", _("新增医学观察"), FLOW, Observation, _started, 22))
    register(_simple("observations_released", _("解除医学观察"), FLOW, Observation, _released, 23))
    register(_simple("fevers_found", _("发现发热（人）"), FLOW, Observation, _fevers, 30))
    register(
        _simple(
            "referred",
            _("转诊发热门诊"),
            FLOW,
            Referral,
            lambda q, c, w: _referrals(q, c, w, None),
            31,
        )
    )
    register(
        _simple(
            "suspected",
            _("疑似病例"),
            FLOW,
            Referral,
            lambda q, c, w: _referrals(q, c, w, ReferralOutcome.SUSPECTED),
            32,
        )
    )
    register(
        _simple(
            "confirmed",
            _("确诊病例"),
            FLOW,
            Referral,
            lambda q, c, w: _referrals(q, c, w, ReferralOutcome.CONFIRMED),
            33,
        )
    )
    register(_simple("missed_checks", _("漏报体温（次）"), FLOW, Alert, _missed, 40))
    register(
        Indicator(
            key="checkin_rate",
            label=_("本人自报率"),
            kind=STOCK,
            count=checkin_rate,
            records=lambda a, c, w: HealthCheck.objects.visible_to(a, VIEW_MONITORING).filter(
                subtree_q("region_code", c), source=CheckSource.SELF, slot_date=w.day
            ),
            perm=VIEW_MONITORING,
            order=41,
            unit="%",
        )
    )
