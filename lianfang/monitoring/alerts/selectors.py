"""Reads of alerts, from the actor's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from lianfang.core.scoping import Actor
from lianfang.monitoring.models import Alert, AlertLevel, AlertStatus
from lianfang.monitoring.permissions import VIEW_MONITORING


def alerts(actor: Actor, *, status: str = "", kind: str = "", level: str = "") -> QuerySet[Alert]:
    qs = Alert.objects.visible_to(actor, VIEW_MONITORING)
    if status == "open":
        qs = qs.exclude(status=AlertStatus.CLOSED)
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if level in AlertLevel.values:
        qs = qs.filter(level=level)
    return qs.select_related("observation__person", "health_check").order_by(
        "status", "-created_at"
    )
