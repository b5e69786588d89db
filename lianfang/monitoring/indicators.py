"""Monitoring's figures for the daily report (registered in MonitoringConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
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


def _observed_all_day(code: str, w: Window) -> Any:
    """Persons under observation for the whole window (started before it, not ended in it)."""
    return Observation.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=w.end),
        subtree_q("region_code", code),
        started_at__lt=w.start,
    )


def _self_reporters(code: str, w: Window) -> Any:
    """Of those, the persons who reported at least one reading themselves (本人自报)."""
    return HealthCheck.objects.filter(
        observation__in=_observed_all_day(code, w), source=CheckSource.SELF, slot_date=w.day
    )


def _quarantine_url(observation: Observation) -> str:
    return reverse("monitoring:detail", args=[observation.quarantine_id])


def _observation_row(o: Observation) -> dict[str, str]:
    return {
        "title": o.person.full_name,
        "detail": f"{o.quarantine.get_kind_display()} · {o.get_status_display()}",
        "url": _quarantine_url(o),
    }


def _referral_row(r: Referral) -> dict[str, str]:
    return {
        "title": r.observation.person.full_name,
        "detail": f"{r.hospital.name} · {r.get_outcome_display()}",
        "url": _quarantine_url(r.observation),
    }


def _alert_row(a: Alert) -> dict[str, str]:
    return {
        "title": a.observation.person.full_name,
        "detail": f"{a.title} · {a.slot_date}",
        "url": _quarantine_url(a.observation),
    }


def _check_row(c: HealthCheck) -> dict[str, str]:
    return {
        "title": c.observation.person.full_name,
        "detail": f"{c.temperature} °C · {timezone.localtime(c.taken_at):%m-%d %H:%M}",
        "url": _quarantine_url(c.observation),
    }


_PRESENT: dict[Any, tuple[Any, tuple[str, ...]]] = {
    Observation: (_observation_row, ("person", "quarantine")),
    Referral: (_referral_row, ("observation__person", "hospital")),
    Alert: (_alert_row, ("observation__person", "health_check")),
}


def _simple(key: str, label: Any, kind: str, model: Any, select: Any, order: int) -> Indicator:
    present, related = _PRESENT[model]
    return Indicator(
        key=key,
        label=label,
        kind=kind,
        query=lambda c, w: select(model.objects.all(), c, w),
        records=lambda a, c, w: select(
            model.objects.visible_to(a, VIEW_MONITORING).select_related(*related), c, w
        ),
        present=present,
        perm=VIEW_MONITORING,
        order=order,
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
            query=_self_reporters,
            denominator=_observed_all_day,
            distinct="observation_id",
            present=_check_row,
            records=lambda a, c, w: (
                HealthCheck.objects.visible_to(a, VIEW_MONITORING)
                .select_related("observation__person")
                .filter(subtree_q("region_code", c), source=CheckSource.SELF, slot_date=w.day)
            ),
            perm=VIEW_MONITORING,
            order=41,
        )
    )
