"""The one service every issue calls when personal data is read in clear."""

from __future__ import annotations

from lianfang.core.errors import InvalidInput
from lianfang.core.models import AccessLog
from lianfang.core.scoping import Actor


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
