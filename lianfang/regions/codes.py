"""Rules for a region's code relative to its parent."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianfang.core.regioncode import is_valid_code
from lianfang.regions.models import LENGTH_LEVEL, LEVEL_ORDER, Level


def level_for_code(code: str) -> Level | None:
    return LENGTH_LEVEL.get(len(code)) if is_valid_code(code) else None


def child_level(level: str) -> Level | None:
    idx = [lv.value for lv in LEVEL_ORDER].index(level)
    return LEVEL_ORDER[idx + 1] if idx + 1 < len(LEVEL_ORDER) else None


def code_error(code: str, parent_code: str | None) -> str | None:
    """A Chinese message when ``code`` is malformed or does not extend ``parent_code``."""
    if not is_valid_code(code):
        return _("区划代码格式错误：应为 6、9、12 或 15 位数字。")
    if parent_code is None:
        if len(code) != 6:
            return _("没有上级的区域必须是 6 位区县代码。")
        return None
    if len(code) != len(parent_code) + 3 or not code.startswith(parent_code):
        return _("区划代码必须在上级代码 %(parent)s 后增加 3 位数字。") % {"parent": parent_code}
    if code.endswith("000"):
        return _("区划代码末三位不能为 000。")
    return None
