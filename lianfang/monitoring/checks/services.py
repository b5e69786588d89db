"""Health checks (append-only) and the alerts they raise.

A check is a raw reading in °C (°F input is converted), the symptoms from the policy's list, the
slot it falls in and whether it came late. A client key makes a resubmission return the first
row and store nothing. A correction is a new row pointing at the one it corrects.

Fever or any symptom raises an alert at once (to the responsible team and the community); the
scheduler raises "missed" alerts after the grace time and escalates them to the community."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import notifications
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.identity import MAX_C, MIN_C, mask_name, parse_temperature  # noqa: F401
from lianfang.core.scoping import Actor
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    CheckSource,
    HealthCheck,
    Method,
    Observation,
    ObservationStatus,
    cached_policy,
)
from lianfang.monitoring.permissions import RECORD_CHECKS
from lianfang.monitoring.policies import slot_at, slots_of

CLIENT_KEY_MAX = 64


def _symptoms(observation: Observation, symptoms: Any) -> list[str]:
    allowed = list(cached_policy(observation.quarantine.policy_id).symptoms or [])
    chosen = [str(s) for s in (symptoms or [])]
    unknown = [s for s in chosen if s not in allowed]
    if unknown:
        msg = _("未知症状：%(s)s。") % {"s": "、".join(unknown[:5])}
        raise InvalidInput("symptom_unknown", msg, {"symptoms": [msg]})
    return list(dict.fromkeys(chosen))


def clean_client_key(raw: str | None) -> str | None:
    """A submission's idempotency key: trimmed, empty as none, at most CLIENT_KEY_MAX."""
    key = (raw or "").strip() or None
    if key is not None and len(key) > CLIENT_KEY_MAX:
        msg = _("client_key 最长 64 个字符。")
        raise InvalidInput("client_key_too_long", msg, {"client_key": [msg]})
    return key


def record(
    *,
    observation: Observation,
    temperature: Any,
    source: str,
    actor: Actor | None = None,
    unit: str = "C",
    method: str = "",
    symptoms: Any = (),
    note: str = "",
    client_key: str | None = None,
    taken_at: datetime | None = None,
    corrects: HealthCheck | None = None,
    correction_reason: str = "",
) -> tuple[HealthCheck, bool]:
    """Store one check; returns (check, created). A known client key returns the first check."""
    client_key = clean_client_key(client_key)
    if client_key is not None:
        first = HealthCheck.objects.filter(client_key=client_key).first()
        if first is not None:
            return _same_observation(first, observation), False
    if source == CheckSource.STAFF and (
        actor is None or not actor.can(RECORD_CHECKS, observation.region_code)
    ):
        raise PermissionDeniedError("forbidden", _("您无权为该人员录入体温。"))
    if observation.status != ObservationStatus.ACTIVE:
        raise Conflict("observation_closed", _("该人员已不在观察期内，不能再录入。"))
    celsius = parse_temperature(temperature, unit)
    chosen = _symptoms(observation, symptoms)
    if method and method not in Method.values:
        msg = _("未知测量方式。")
        raise InvalidInput("method_invalid", msg, {"method": [msg]})
    now = timezone.now()
    taken = taken_at or now
    if taken > now + timedelta(minutes=5):
        msg = _("测量时间不能是将来。")
        raise InvalidInput("taken_in_future", msg, {"taken_at": [msg]})
    if taken < observation.started_at - timedelta(days=1):
        msg = _("测量时间早于观察开始。")
        raise InvalidInput("taken_before_start", msg, {"taken_at": [msg]})
    if corrects is not None:
        if corrects.observation_id != observation.pk:
            raise InvalidInput("corrects_other", _("只能更正同一人员的记录。"))
        correction_reason = (correction_reason or "").strip()
        if not correction_reason:
            msg = _("更正须说明原因。")
            raise InvalidInput("reason_required", msg, {"correction_reason": [msg]})
        taken = corrects.taken_at
    policy = cached_policy(observation.quarantine.policy_id)
    slot = slot_at(policy, taken)
    local_day = timezone.localtime(taken).date()
    # Late: entered after the reading's slot had closed (or, outside slots, over an hour later).
    late = (slot is not None and now > slot.end) or (
        slot is None and now - taken > timedelta(hours=1)
    )
    try:
        with transaction.atomic():
            check = HealthCheck.objects.create(
                observation=observation,
                region_code=observation.region_code,
                taken_at=taken,
                slot_date=local_day,
                slot_index=slot.index if slot else None,
                temperature=celsius,
                method=method,
                symptoms=chosen,
                note=(note or "").strip()[:200],
                source=source,
                recorded_by_id=actor.user_id if actor else None,
                fever=policy.is_fever(celsius),
                late=late or corrects is not None,
                client_key=client_key,
                corrects=corrects,
                correction_reason=correction_reason[:200] if corrects else "",
            )
            _after(check, observation, actor)
    except IntegrityError:
        # A concurrent submission with the same client key won: return its row.
        first = HealthCheck.objects.filter(client_key=client_key).first() if client_key else None
        if first is None:
            raise
        return _same_observation(first, observation), False
    return check, True


def _same_observation(check: HealthCheck, observation: Observation) -> HealthCheck:
    if check.observation_id != observation.pk:
        raise Conflict("client_key_reused", _("该 client_key 已用于其他人员。"))
    return check


def _after(check: HealthCheck, observation: Observation, actor: Actor | None) -> None:
    """Alerts for fever and symptoms; a reading in a slot settles that slot's missed alert."""
    slot_closed = check.slot_index is not None and check.late
    if slot_closed:  # a missed alert exists only once its slot has closed
        Alert.objects.filter(
            observation=observation,
            kind=AlertKind.MISSED,
            slot_date=check.slot_date,
            slot_index=check.slot_index,
        ).exclude(status=AlertStatus.CLOSED).update(
            status=AlertStatus.CLOSED,
            closed_at=timezone.now(),
            closed_by_id=actor.user_id if actor else None,
            action=_("已补报体温"),
        )
    kind = alert_kind(check.fever, check.symptoms)
    if kind is not None:
        alert = Alert.objects.create(
            observation=observation,
            region_code=observation.region_code,
            kind=kind,
            level=AlertLevel.COMMUNITY,  # fever and symptoms go to the community at once
            health_check=check,
            slot_date=check.slot_date,
            slot_index=check.slot_index,
        )
        transaction.on_commit(functools.partial(notify_alert, alert))


def alert_kind(fever: bool, symptoms: Any) -> str | None:
    """The kind of the one alert a check raises: fever comes first, and a fever alert whose
    check has symptoms names both (``Alert.title``), so one reading is one alert to handle."""
    if fever:
        return AlertKind.FEVER
    if symptoms:
        return AlertKind.SYMPTOM
    return None


def notify_alert(alert: Alert) -> None:
    """To the responsible team, and (community-level alerts) to the community's workers."""
    alert = Alert.objects.select_related(
        "observation__person", "observation__quarantine", "health_check"
    ).get(pk=alert.pk)
    q = alert.observation.quarantine
    users = {q.grid_worker_id, q.doctor_id, q.cadre_id}
    if alert.level == AlertLevel.COMMUNITY:
        from lianfang.accounts import selectors as accounts_selectors

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


# --- alert handling -----------------------------------------------------------------------------


def _alert_for_update(actor: Actor, alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not actor.can(RECORD_CHECKS, alert.region_code):
        raise PermissionDeniedError("forbidden", _("您无权处理该预警。"))
    return alert


@transaction.atomic
def acknowledge(*, actor: Actor, alert: Alert) -> Alert:
    alert = _alert_for_update(actor, alert)
    if alert.status != AlertStatus.OPEN:
        raise Conflict("alert_not_open", _("该预警已处理。"))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by_id = actor.user_id
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return alert


@transaction.atomic
def close(*, actor: Actor, alert: Alert, action: str) -> Alert:
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


def day_slots_status(
    observation: Observation, day: Any, checks: list[HealthCheck]
) -> list[dict[str, Any]]:
    """For a work list: each slot of ``day`` with its worst reading (if any), how many readings
    it has, and whether it is done, due, missed, upcoming, or none (not expected of this person).
    The worst, not the latest: a fever stays visible beside a later normal reading (corrections
    are new rows too, and the check list below shows each one)."""
    now = timezone.now()
    out = []
    for slot in slots_of(cached_policy(observation.quarantine.policy_id), day):
        found = [c for c in checks if c.slot_date == day and c.slot_index == slot.index]
        reading = max(found, key=_severity) if found else None
        if reading is not None:
            state = "done"
        elif slot.end <= observation.started_at or day > observation.quarantine.end_date:
            state = "none"  # not expected: before the observation began or after its end
        elif now < slot.start:
            state = "upcoming"
        elif now < slot.end:
            state = "due"
        else:
            state = "missed"
        out.append({"slot": slot, "check": reading, "count": len(found), "state": state})
    return out


def _severity(check: HealthCheck) -> tuple[bool, bool, Any]:
    return (check.fever, bool(check.symptoms), check.temperature)
