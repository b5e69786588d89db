"""Alerts (预警): a check's fever or symptom alert, raised in the check's transaction and sent
after commit; the settling of a missed alert by a late reading; staff acknowledging and closing.
Missed-check alerts and their escalation are raised by ``jobs.missed_checks_now``."""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.accounts import selectors as accounts_selectors
from lianfang.core import notifications
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.identity import mask_name
from lianfang.core.scoping import Actor
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    HealthCheck,
)
from lianfang.monitoring.permissions import RECORD_CHECKS


def alert_raise(check: HealthCheck) -> Alert | None:
    """The one alert a fever or symptom reading raises, at community level at once; the team is
    notified after commit. Call inside the check's transaction."""
    kind = alert_kind(check.fever, check.symptoms)
    if kind is None:
        return None
    alert = Alert.objects.create(
        observation_id=check.observation_id,
        region_code=check.region_code,
        kind=kind,
        level=AlertLevel.COMMUNITY,  # fever and symptoms go to the community at once
        health_check=check,
        slot_date=check.slot_date,
        slot_index=check.slot_index,
    )
    transaction.on_commit(functools.partial(alert_notify, alert))
    return alert


def missed_alert_settle(check: HealthCheck, actor: Actor | None) -> None:
    """A late reading in a slot closes that slot's missed alert (which exists only once the slot
    has closed)."""
    if check.slot_index is None or not check.late:
        return
    Alert.objects.filter(
        observation_id=check.observation_id,
        kind=AlertKind.MISSED,
        slot_date=check.slot_date,
        slot_index=check.slot_index,
    ).exclude(status=AlertStatus.CLOSED).update(
        status=AlertStatus.CLOSED,
        closed_at=timezone.now(),
        closed_by_id=actor.user_id if actor else None,
        action=_("已补报体温"),
    )


def alert_kind(fever: bool, symptoms: Any) -> str | None:
    """The kind of the one alert a check raises: fever comes first, and a fever alert whose
    check has symptoms names both (``Alert.title``), so one reading is one alert to handle."""
    if fever:
        return AlertKind.FEVER
    if symptoms:
        return AlertKind.SYMPTOM
    return None


def alert_notify(alert: Alert) -> None:
    """To the responsible team, and (community-level alerts) to the community's workers."""
    alert = Alert.objects.select_related(
        "observation__person", "observation__quarantine", "health_check"
    ).get(pk=alert.pk)
    q = alert.observation.quarantine
    users = {q.grid_worker_id, q.doctor_id, q.cadre_id}
    if alert.level == AlertLevel.COMMUNITY:
        community = alert.region_code[:12]
        users |= accounts_selectors.holders_by_region("community_worker", [community]).get(
            community, set()
        )
    name = mask_name(alert.observation.person.full_name)
    text = _("【预警】%(name)s：%(kind)s，请及时处置。") % {
        "name": name,
        "kind": alert.title,
    }
    notifications.send(
        [
            notifications.Message(
                kind=f"alert.{alert.kind}", text=text, user_id=u, ref=str(alert.pk)
            )
            for u in sorted(u for u in users if u)
        ]
    )


def _alert_for_update(actor: Actor, alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not actor.can(RECORD_CHECKS, alert.region_code):
        raise PermissionDeniedError("forbidden", _("您无权处理该预警。"))
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert: Alert) -> Alert:
    alert = _alert_for_update(actor, alert)
    if alert.status != AlertStatus.OPEN:
        raise Conflict("alert_not_open", _("该预警已处理。"))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by_id = actor.user_id
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return alert


@transaction.atomic
def alert_close(*, actor: Actor, alert: Alert, action: str) -> Alert:
    alert = _alert_for_update(actor, alert)
    if alert.status == AlertStatus.CLOSED:
        raise Conflict("alert_closed", _("该预警已关闭。"))
    action = (action or "").strip()
    if not action:
        msg = _("请填写处置情况。")
        raise InvalidInput("action_required", msg, {"action": [msg]})
    now = timezone.now()
    if alert.status == AlertStatus.OPEN:
        alert.acknowledged_by_id, alert.acknowledged_at = actor.user_id, now
    alert.status = AlertStatus.CLOSED
    alert.closed_by_id = actor.user_id
    alert.closed_at = now
    alert.action = action[:300]
    alert.save()
    return alert
