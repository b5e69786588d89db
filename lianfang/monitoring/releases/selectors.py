"""Reads for release: what stands in the way of releasing a quarantine."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianfang.core.identity import mask_name
from lianfang.monitoring.models import (
    Alert,
    AlertStatus,
    HealthCheck,
    ObservationStatus,
    Quarantine,
    Referral,
    ReferralOutcome,
)


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
