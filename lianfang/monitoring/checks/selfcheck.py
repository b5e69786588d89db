"""The resident's self check-in: the platform's hottest public write (a province's morning peak
is thousands a second), so it is written for the database's round trips (ADR 0005):

1. one query finds the running observation by the token's blind index, with its policy id, start
   and today's count of self check-ins (the per-day cap);
2. one ``INSERT … ON CONFLICT (client_key) DO NOTHING``: a resubmitted client key stores
   nothing, also when 50 copies race; only then is the first row read back.

Fever and symptoms are known before the insert: those rows are written together with their
alert in one transaction (and the team is notified after commit). The common case takes one
statement (``_one_statement``); both paths validate with ``_reading`` (``rules``, as staff checks
do, against the policy's symptom list) and build the row with ``_values``; the statements are
``monitoring/fastsql.py``'s."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import crypto
from lianfang.core.cache import per_process
from lianfang.core.errors import Conflict, InvalidInput
from lianfang.monitoring import fastsql
from lianfang.monitoring.alerts.services import alert_raise
from lianfang.monitoring.checks import rules
from lianfang.monitoring.checks.tokens import TOKEN_LABEL
from lianfang.monitoring.models import (
    CheckSource,
    HealthCheck,
    Policy,
    cached_policy,
)
from lianfang.monitoring.policies import slot_at


def self_check_submit(
    *,
    token: str,
    temperature: Any,
    symptoms: Any = (),
    client_key: str | None = None,
    unit: str = "C",
    method: str = "",
) -> tuple[HealthCheck, bool] | None:
    """Store a resident's reading; (check, created), or None when the token opens nothing."""
    token = (token or "").strip()
    if not 16 <= len(token) <= 64:
        return None
    now = timezone.now()
    today = timezone.localdate(now)
    fast = _one_statement(token, temperature, symptoms, client_key, unit, method, now)
    if fast is not None:
        return fast, True
    found = fastsql.self_check_lookup(crypto.blind_index(token, TOKEN_LABEL), today, now)
    if found is None:
        return None
    observation_id, region_code, policy_id, count_today = found
    client_key = rules.client_key(client_key)
    if count_today >= SELF_CHECKS_PER_DAY:
        first = _first(client_key, observation_id)
        if first is not None:
            return first, False
        msg = _("今天的自报次数已达上限；如有不适，请直接联系社区。")
        raise InvalidInput("too_many_checks", msg)
    policy = cached_policy(policy_id)
    reading = _reading(policy, temperature, symptoms, unit, method)
    values = _values(policy, reading, client_key, now, observation_id, region_code)
    check = _instance(values)
    alarm = check.fever or bool(check.symptoms)
    with transaction.atomic() if alarm else contextlib.nullcontext():
        inserted = fastsql.self_check_insert(values)
        if inserted and alarm:
            alert_raise(check)
    if inserted:
        return check, True
    first = _first(client_key, observation_id)
    if first is None:  # pragma: no cover - a conflict always has a first row
        raise Conflict("client_key_conflict", _("提交冲突，请重试。"))
    return first, False


@per_process(seconds=60)
def _current_policy_pk() -> int | None:
    """The version most observations run under (the latest in force), re-read every minute."""
    return (
        Policy.objects.filter(effective_from__lte=timezone.localdate())
        .order_by("-effective_from")
        .values_list("pk", flat=True)
        .first()
    )


def _current_policy() -> Policy | None:
    """Only a guess for the one-statement path: a wrong guess falls back, never mis-stores."""
    pk = _current_policy_pk()
    return cached_policy(pk) if pk is not None else None


def _one_statement(
    token: str,
    temperature: Any,
    symptoms: Any,
    client_key: str | None,
    unit: str,
    method: str,
    now: Any,
) -> HealthCheck | None:
    """The common case in one round trip; None sends the caller to the careful path (unknown
    token, another policy, today's cap, a repeated key, or input the careful path explains)."""
    policy = _current_policy()
    if policy is None:
        return None
    try:
        key = rules.client_key(client_key)
        reading = _reading(policy, temperature, symptoms, unit, method)
    except InvalidInput:
        return None  # the careful path explains it, against the observation's own policy
    values = _values(policy, reading, key, now, None, "")
    alarm = values["fever"] or bool(values["symptoms"])
    with transaction.atomic() if alarm else contextlib.nullcontext():
        found = fastsql.self_check_insert_for_token(
            values,
            token_bidx=crypto.blind_index(token, TOKEN_LABEL),
            now=now,
            policy_id=policy.pk,
            cap=SELF_CHECKS_PER_DAY,
        )
        if found is None:
            return None
        values["observation"], values["region_code"] = found
        check = _instance(values)
        if alarm:
            alert_raise(check)
    return check


SELF_CHECKS_PER_DAY = 12  # a resident's own readings per day; more is a script, not a person


@dataclasses.dataclass(frozen=True)
class Reading:
    """A resident's input, validated against a policy: the one validation both paths use."""

    celsius: Decimal
    symptoms: list[str]
    method: str


def _reading(policy: Policy, temperature: Any, symptoms: Any, unit: str, method: str) -> Reading:
    return Reading(
        celsius=rules.temperature(temperature, unit),
        symptoms=rules.symptoms(symptoms, policy.symptoms or []),
        method=rules.method(method),
    )


def _values(
    policy: Policy,
    reading: Reading,
    client_key: str | None,
    now: datetime.datetime,
    observation_id: uuid.UUID | None,
    region_code: str,
) -> dict[str, Any]:
    """The row's values in COLUMNS' terms (the one-statement path fills the observation from
    its SELECT)."""
    slot = slot_at(policy, now)
    return {
        "id": uuid.uuid4(),
        "observation": observation_id,
        "region_code": region_code,
        "taken_at": now,
        "slot_date": timezone.localdate(now),
        "slot_index": slot.index if slot else None,
        "temperature": reading.celsius,
        "method": reading.method,
        "symptoms": reading.symptoms,
        "note": "",
        "source": CheckSource.SELF,
        "recorded_by": None,
        "fever": policy.is_fever(reading.celsius),
        "late": slot is None,  # outside every slot: a make-up report (补报)
        "client_key": client_key,
        "corrects": None,
        "correction_reason": "",
        "created_at": now,
    }


def _instance(values: dict[str, Any]) -> HealthCheck:
    check = HealthCheck(
        **{
            (f"{k}_id" if k in ("observation", "recorded_by", "corrects") else k): v
            for k, v in values.items()
        }
    )
    check._state.adding = False
    return check


def _first(client_key: str | None, observation_id: uuid.UUID) -> HealthCheck | None:
    if client_key is None:
        return None
    first = HealthCheck.objects.filter(client_key=client_key).first()
    if first is not None and first.observation_id != observation_id:
        raise Conflict("client_key_reused", _("该 client_key 已用于其他人员。"))
    return first
