"""Release from observation: the policy's conditions, automatic and staff release, bulk release
of the due."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput
from lianfang.core.identity import mask_name
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.monitoring.models import (
    Alert,
    AlertStatus,
    EventKind,
    HealthCheck,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
    Referral,
    ReferralOutcome,
)
from lianfang.monitoring.permissions import MANAGE_QUARANTINE
from lianfang.monitoring.services import _close_member, _event, _reason, _require, close_if_done


def release_problems(quarantine: Quarantine) -> list[str]:
    """Why the quarantine cannot be released automatically (empty: it can)."""
    problems: list[str] = []
    active = list(
        quarantine.members.filter(status=ObservationStatus.ACTIVE).select_related("person")
    )
    ids = [m.pk for m in active]
    if (
        Alert.objects.filter(observation_id__in=ids)
        .exclude(status=AlertStatus.CLOSED)
        .filter(kind__in=["fever", "symptom"])
        .exists()
    ):
        problems.append(_("有未关闭的发热或症状预警"))
    if Referral.objects.filter(observation_id__in=ids, outcome=ReferralOutcome.PENDING).exists():
        problems.append(_("有待反馈的转诊"))
    if quarantine.policy.release_needs_normal_check:
        for member in active:
            last = (
                HealthCheck.objects.filter(observation=member, corrections__isnull=True)
                .order_by("-taken_at")
                .first()
            )
            if last is None or last.fever or last.symptoms:
                problems.append(
                    _("%(name)s 最后一次体温检测缺失或异常")
                    % {"name": mask_name(member.person.full_name)}
                )
    return problems


@transaction.atomic
def release(
    *, actor: Actor | None, quarantine: Quarantine, reason: str = "", force: bool = False
) -> list[str]:
    """Release every running member. Without ``force`` the policy's conditions must hold; a
    staff release of a quarantine with problems needs a reason (``force``). Returns the problems
    that blocked it (nothing released) — an empty list means released."""
    q = Quarantine.objects.select_for_update().select_related("policy").get(pk=quarantine.pk)
    if actor is not None:
        _require(actor, q.region_code)
    if q.status != QuarantineStatus.ACTIVE:
        raise Conflict("quarantine_closed", _("该医学观察已结束。"))
    if actor is not None and q.end_date > timezone.localdate():
        msg = _("尚未到解除日期（%(d)s）。") % {"d": q.end_date}
        raise InvalidInput("not_due", msg)
    problems = release_problems(q)
    if problems and not force:
        return problems
    if problems:
        reason = _reason(reason)
    for member in q.members.filter(status=ObservationStatus.ACTIVE):
        _close_member(member, ObservationStatus.RELEASED, reason or _("观察期满，解除医学观察"))
        _event(
            q,
            EventKind.RELEASED,
            actor,
            observation=member,
            reason=reason,
            evidence={"problems": problems} if problems else {},
        )
    close_if_done(q)
    return []


def release_due(*, actor: Actor, quarantine_ids: list[Any]) -> tuple[int, list[str]]:
    """Bulk release of due quarantines (end date today or earlier) whose conditions hold; the
    others stay, each with its reason. Returns (released, problems as text)."""
    from django.http import Http404

    released, problems = 0, []
    today = timezone.localdate()
    for pk in dict.fromkeys(str(i) for i in quarantine_ids):
        try:
            q = get_visible_or_404(Quarantine.objects.all(), actor, MANAGE_QUARANTINE, pk=pk)
        except (Http404, ValueError, ValidationError):
            continue
        if q.status != QuarantineStatus.ACTIVE or q.end_date > today:
            continue
        blocked = release(actor=actor, quarantine=q)
        if blocked:
            names = "、".join(
                mask_name(m.person.full_name) for m in active_members(q).select_related("person")
            )
            problems.append(f"{names}：{'；'.join(blocked)}")
        else:
            released += 1
    return released, problems


def active_members(quarantine: Quarantine) -> Any:
    return quarantine.members.filter(status=ObservationStatus.ACTIVE)
