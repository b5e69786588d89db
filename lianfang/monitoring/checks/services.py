"""Staff health checks (append-only): a grid worker's or doctor's reading, a late entry, a
correction. The resident's own check-in is ``selfcheck.self_check_submit``; both validate with
``rules`` and raise their alerts through ``alerts.services``.

A check is a raw reading in °C (°F input is converted), the symptoms from the policy's list, the
slot it falls in and whether it came late. A client key makes a resubmission return the first
row and store nothing. A correction is a new row pointing at the one it corrects."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.monitoring.alerts.services import alert_raise, missed_alert_settle
from lianfang.monitoring.checks import rules
from lianfang.monitoring.models import (
    CheckSource,
    HealthCheck,
    Observation,
    ObservationStatus,
    cached_policy,
)
from lianfang.monitoring.permissions import RECORD_CHECKS
from lianfang.monitoring.policies import slot_at


def check_record(
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
    client_key = rules.client_key(client_key)
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
    celsius = rules.temperature(temperature, unit)
    policy = cached_policy(observation.quarantine.policy_id)
    chosen = rules.symptoms(symptoms, policy.symptoms or [])
    method = rules.method(method)
    now = timezone.now()
    taken = _taken(observation, taken_at or now, now)
    if corrects is not None:
        correction_reason = _correction(observation, corrects, correction_reason)
        taken = corrects.taken_at
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
            missed_alert_settle(check, actor)
            alert_raise(check)
    except IntegrityError:
        # A concurrent submission with the same client key won: return its row.
        first = HealthCheck.objects.filter(client_key=client_key).first() if client_key else None
        if first is None:
            raise
        return _same_observation(first, observation), False
    return check, True


def _taken(observation: Observation, taken: datetime, now: datetime) -> datetime:
    if taken > now + timedelta(minutes=5):
        msg = _("测量时间不能是将来。")
        raise InvalidInput("taken_in_future", msg, {"taken_at": [msg]})
    if taken < observation.started_at - timedelta(days=1):
        msg = _("测量时间早于观察开始。")
        raise InvalidInput("taken_before_start", msg, {"taken_at": [msg]})
    return taken


def _correction(observation: Observation, corrects: HealthCheck, reason: str) -> str:
    """A correction replaces a reading of the same person, and says why."""
    if corrects.observation_id != observation.pk:
        raise InvalidInput("corrects_other", _("只能更正同一人员的记录。"))
    reason = (reason or "").strip()
    if not reason:
        msg = _("更正须说明原因。")
        raise InvalidInput("reason_required", msg, {"correction_reason": [msg]})
    return reason


def _same_observation(check: HealthCheck, observation: Observation) -> HealthCheck:
    if check.observation_id != observation.pk:
        raise Conflict("client_key_reused", _("该 client_key 已用于其他人员。"))
    return check
