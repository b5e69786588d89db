"""Licence plates at a checkpoint: structural validation (``core.identity.parse_plate``: province
character + letter + 5, new-energy 6 with D/F, special 警 学 挂 港 澳 领, embassy 使, armed police
WJ), or any text with a stated reason (no plate, foreign, damaged …) so a queue never stops."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput
from lianfang.core.identity import parse_plate


def clean(raw: str, reason: str = "") -> tuple[str, str]:
    """``(plate, reason)``: the normalised plate, or the text as typed when a reason is given.
    Otherwise InvalidInput naming ``plate``."""
    reason = " ".join((reason or "").split())[:100]
    try:
        return parse_plate(raw, "plate"), ""
    except InvalidInput:
        if reason:
            return " ".join((raw or "").split())[:20] or "—", reason
        if not (raw or "").strip():
            message = _("请填写车牌号；无牌车辆请说明原因。")
        else:
            message = _("车牌号格式不正确（如 甘A12345、甘AD12345）；确需按原样登记请说明原因。")
        raise InvalidInput("invalid_plate", message, {"plate": [message]}) from None
