"""Dated policies: validation of a new version, the check slots of a day, and the explicit,
previewed bulk "apply to running quarantines"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.core.symptoms import SYMPTOMS
from lianfang.monitoring.models import (
    DEFAULT_SLOTS,
    Event,
    EventKind,
    Policy,
    Quarantine,
    QuarantineStatus,
    StartBasis,
)
from lianfang.monitoring.permissions import CONFIGURE, MANAGE_QUARANTINE
from lianfang.monitoring.quarantines.records import end_date_for

_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass(frozen=True)
class Slot:
    index: int
    day: date
    start: datetime  # aware, local
    end: datetime


def slots_of(policy: Policy, day: date) -> list[Slot]:
    tz = timezone.get_current_timezone()
    out = []
    for i, (start, end) in enumerate(policy.slots or DEFAULT_SLOTS):
        s = datetime.combine(day, time.fromisoformat(start), tzinfo=tz)
        e = datetime.combine(day, time.fromisoformat(end), tzinfo=tz)
        out.append(Slot(i, day, s, e))
    return out


def slot_at(policy: Policy, moment: datetime) -> Slot | None:
    """The slot that contains ``moment`` (local time), if any."""
    local = timezone.localtime(moment)
    for slot in slots_of(policy, local.date()):
        if slot.start <= local < slot.end:
            return slot
    return None


def policy_for(day: date) -> Policy:
    """The policy in force on ``day``. Migrations install a first version (effective
    2020-01-01), so only a deliberately emptied table fails here."""
    policy = Policy.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if policy is None:
        raise InvalidInput("no_policy", _("该日期没有生效的观察政策，请先在“观察政策”中设置。"))
    return policy


def clean_policy(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the fields of a new policy version; errors name the fields, in Chinese."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("请填写名称。")]
    out["name"] = name[:100]
    eff = data.get("effective_from")
    if not isinstance(eff, date):
        try:
            eff = date.fromisoformat(str(eff))
        except ValueError:
            errors["effective_from"] = [_("请填写生效日期（YYYY-MM-DD）。")]
            eff = None
    out["effective_from"] = eff
    try:
        days = int(data.get("observation_days") or 0)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        errors["observation_days"] = [_("观察天数应在 1–60 之间。")]
    out["observation_days"] = days
    basis = data.get("start_basis") or StartBasis.LAST_EXPOSURE
    if basis not in StartBasis.values:
        errors["start_basis"] = [_("未知的起算依据。")]
    out["start_basis"] = basis
    try:
        threshold = Decimal(str(data.get("fever_threshold"))).quantize(Decimal("0.1"))
        if not Decimal("36.0") <= threshold <= Decimal("39.0"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["fever_threshold"] = [_("发热阈值应在 36.0–39.0 °C 之间。")]
        threshold = Decimal("37.3")
    out["fever_threshold"] = threshold
    out["fever_inclusive"] = bool(data.get("fever_inclusive"))
    slots = parse_slots(data.get("slots"), errors)
    out["slots"] = slots
    symptoms = [s for s in (data.get("symptoms") or []) if s]
    unknown = [s for s in symptoms if s not in SYMPTOMS]
    if unknown or not symptoms:
        errors["symptoms"] = [_("请从症状清单中选择至少一项。")]
    out["symptoms"] = symptoms
    for key, low, high in (("missed_grace_minutes", 0, 720), ("escalate_after_minutes", 0, 1440)):
        raw = data.get(key)
        try:
            value = int(str(raw)) if raw not in (None, "") else -1
        except (TypeError, ValueError):
            value = -1
        if not low <= value <= high:
            errors[key] = [
                _("应为 %(low)s–%(high)s 之间的整数（分钟）。") % {"low": low, "high": high}
            ]
        out[key] = value
    out["release_needs_normal_check"] = bool(data.get("release_needs_normal_check"))
    if errors:
        raise InvalidInput("invalid_policy", _("请检查政策内容。"), errors)
    return out


def parse_slots(raw: Any, errors: dict[str, list[str]]) -> list[list[str]]:
    """``06:00-12:00, 12:00-20:00`` (text) or a list of pairs → sorted, non-overlapping pairs."""
    pairs: list[list[str]] = []
    if isinstance(raw, str):
        for part in re.split(r"[,，;；\s]+", raw.strip()):
            if part:
                start, _sep, end = part.replace("–", "-").partition("-")
                pairs.append([start.strip(), end.strip()])
    elif isinstance(raw, list):
        pairs = [[str(a), str(b)] for a, b in raw]
    ok = bool(pairs) and all(_HHMM.match(a) and _HHMM.match(b) and a < b for a, b in pairs)
    pairs.sort()
    if ok and any(pairs[i][1] > pairs[i + 1][0] for i in range(len(pairs) - 1)):
        ok = False
    if not ok:
        errors["slots"] = [_("时段格式如 06:00-12:00, 12:00-20:00，不能重叠，至少一个。")]
    return pairs


@transaction.atomic
def policy_create(*, actor: Actor, data: dict[str, Any]) -> Policy:
    """A new version. Running quarantines keep theirs until ``apply_to_running``."""
    if not actor.can(CONFIGURE):
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以修改观察政策。"))
    clean = clean_policy(data)
    if Policy.objects.filter(effective_from=clean["effective_from"]).exists():
        raise InvalidInput(
            "policy_date_taken",
            _("该日期已有一个政策版本。"),
            {"effective_from": [_("该日期已有一个政策版本，请换一个生效日期。")]},
        )
    return Policy.objects.create(created_by_id=actor.user_id, **clean)


@dataclass(frozen=True)
class PolicyChange:
    quarantine: Quarantine
    old_end: date
    new_end: date


def preview_apply(*, actor: Actor, policy: Policy) -> list[PolicyChange]:
    """What ``apply_to_running`` would change: running quarantines in the actor's scope under
    another policy, with their end dates before and after."""
    running = (
        Quarantine.objects.visible_to(actor, MANAGE_QUARANTINE)
        .filter(status=QuarantineStatus.ACTIVE)
        .exclude(policy=policy)
        .prefetch_related("members")
        .order_by("end_date")
    )
    return [PolicyChange(q, q.end_date, end_date_for(q, policy)) for q in running]


@transaction.atomic
def apply_to_running(*, actor: Actor, policy: Policy, reason: str) -> int:
    if not actor.can(CONFIGURE):
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以修改观察政策。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason_required", _("请说明理由。"), {"reason": [_("请说明理由。")]})
    changes = preview_apply(actor=actor, policy=policy)
    for change in changes:
        q = Quarantine.objects.select_for_update().get(pk=change.quarantine.pk)
        q.policy = policy
        q.end_date = change.new_end
        q.save(update_fields=["policy", "end_date"])
        Event.objects.create(
            quarantine=q,
            region_code=q.region_code,
            kind=EventKind.POLICY,
            actor_id=actor.user_id,
            reason=reason[:300],
            evidence={
                "policy": policy.pk,
                "old_end": str(change.old_end),
                "new_end": str(q.end_date),
            },
        )
    return len(changes)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)
