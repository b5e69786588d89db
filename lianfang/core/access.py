"""The one service every issue calls when personal data is read in clear."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianfang.core.errors import InvalidInput
from lianfang.core.models import AccessLog
from lianfang.core.scoping import Actor

# What the auditor reads for the codes callers record (a code without a label reads as itself).
ACTION_LABELS: dict[str, Any] = {
    "reveal_id_number": _("查看完整证件号码"),
    "reveal_phone": _("查看完整电话"),
    "export_unmasked": _("导出未脱敏名单"),
    "print_observation_notice": _("打印告知书"),
    "print_release_notice": _("打印解除告知书"),
    "report_drill_down": _("查看报告明细"),
}
OBJECT_LABELS: dict[str, Any] = {
    "person": _("人员"),
    "person_list": _("人员名单"),
    "observation": _("观察对象"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_label(code: str) -> str:
    """An object type in words; a report's drill-down records the indicator's key."""
    if code in OBJECT_LABELS:
        return str(OBJECT_LABELS[code])
    from lianfang.core import indicators

    indicator = indicators.get(code)
    return str(indicator.label) if indicator is not None else code


def log_access(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    region_code: str,
    purpose: str,
    row_count: int = 1,
) -> AccessLog:
    """Record that ``actor`` saw personal data of ``object_type``/``object_id`` (in
    ``region_code``) for ``purpose``. A purpose is mandatory."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise InvalidInput(
            "purpose_required", "必须填写查看用途。", {"purpose": ["必须填写查看用途。"]}
        )
    if actor.user_id is None:
        raise InvalidInput("anonymous", "匿名用户不能查看个人信息。")
    return AccessLog.objects.create(
        user_id=actor.user_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        purpose=purpose[:200],
        ip=actor.ip,
        row_count=row_count,
    )
