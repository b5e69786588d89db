"""The building blocks every quarantine write shares, whichever feature makes it: the
permission check, the reason, the ``Event``, the shared end date, locking the quarantine and a
member, and closing a member (the link stops working with it)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.monitoring.checks.tokens import token_expiry
from lianfang.monitoring.models import (
    Event,
    Observation,
    ObservationStatus,
    Policy,
    Quarantine,
    QuarantineStatus,
)
from lianfang.monitoring.permissions import MANAGE_QUARANTINE


def require_manage(actor: Actor, region_code: str) -> None:
    if not actor.can(MANAGE_QUARANTINE, region_code):
        raise PermissionDeniedError("forbidden", _("您无权管理该区域的医学观察。"))


def clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason_required", _("请说明理由。"), {field: [_("请说明理由。")]})
    return reason[:300]


def event_record(
    quarantine: Quarantine,
    kind: str,
    actor: Actor | None,
    *,
    observation: Observation | None = None,
    reason: str = "",
    evidence: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        quarantine=quarantine,
        observation=observation,
        region_code=quarantine.region_code,
        kind=kind,
        actor_id=actor.user_id if actor else None,
        reason=reason[:300],
        evidence=evidence or {},
    )


def end_date_for(quarantine: Quarantine, policy: Policy | None = None) -> date:
    """The shared end date: the latest start basis among the running members (all members when
    none runs) + the policy's days + the adjustment."""
    policy = policy or quarantine.policy
    members = list(quarantine.members.all())
    bases = [m.basis_date for m in members if m.status == ObservationStatus.ACTIVE] or [
        m.basis_date for m in members
    ]
    latest = max(bases) if bases else quarantine.start_date
    return latest + timedelta(days=policy.observation_days + quarantine.adjustment_days)


def end_date_refresh(quarantine: Quarantine) -> None:
    quarantine.end_date = end_date_for(quarantine)
    quarantine.save(update_fields=["end_date"])
    expiry = token_expiry(quarantine.end_date)
    quarantine.members.filter(status=ObservationStatus.ACTIVE).exclude(
        checkin_token_bidx=""
    ).update(checkin_expires_at=expiry)


# The lockers join the calling service's transaction without a savepoint (no extra statement),
# so the row stays locked until that service's write commits.
@transaction.atomic(savepoint=False)
def quarantine_locked(quarantine: Quarantine, actor: Actor) -> Quarantine:
    """The running quarantine, locked, after checking the actor may manage it."""
    q = Quarantine.objects.select_for_update().select_related("policy").get(pk=quarantine.pk)
    require_manage(actor, q.region_code)
    if q.status != QuarantineStatus.ACTIVE:
        raise Conflict("quarantine_closed", _("该医学观察已结束。"))
    return q


@transaction.atomic(savepoint=False)
def member_locked(quarantine: Quarantine, observation_id: Any) -> Observation:
    """One member of the (locked) quarantine, locked; another id is an input error."""
    member = (
        Observation.objects.select_for_update()
        .select_related("person")
        .filter(quarantine=quarantine, pk=observation_id)
        .first()
    )
    if member is None:
        msg = _("该人员不在此医学观察中。")
        raise InvalidInput("not_a_member", msg, {"observation": [msg]})
    return member


def observation_close(member: Observation, status: str, reason: str) -> None:
    member.status = status
    member.ended_at = timezone.now()
    member.end_reason = reason[:200]
    member.checkin_expires_at = member.ended_at  # the link stops working now
    member.save(update_fields=["status", "ended_at", "end_reason", "checkin_expires_at"])


def quarantine_close_if_done(quarantine: Quarantine) -> None:
    if not quarantine.members.filter(status=ObservationStatus.ACTIVE).exists():
        quarantine.status = QuarantineStatus.CLOSED
        quarantine.closed_at = timezone.now()
        quarantine.save(update_fields=["status", "closed_at"])
