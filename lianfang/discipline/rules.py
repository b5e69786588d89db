"""What a clue must hold to be registered: checked once, for the form, the API and the system's
own sources alike. Every refusal names its field in Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput
from lianfang.discipline.models import Kind, Source

MAX_FACTS = 5000


@dataclass(frozen=True)
class CleanClue:
    kind: Kind
    source: str
    region_code: str
    subject_name: str
    subject_post: str
    subject_unit: str
    facts: str
    reporter_name: str
    reporter_phone: str
    transfer_reason: str
    subject_username: str
    higher_managed: bool


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    return " ".join(str(data.get(key) or "").split())[:limit]


def clean_clue(data: dict[str, Any], kinds: dict[str, Kind], regions: set[str]) -> CleanClue:
    """``kinds``: the kinds in force by code; ``regions``: the offices the actor may register
    for (the district's, a sub-district's)."""
    errors: dict[str, list[str]] = {}
    kind = kinds.get(str(data.get("kind") or ""))
    if kind is None:
        errors["kind"] = [_("请选择问题类别。")]
    source = str(data.get("source") or Source.TRANSFER)
    if source not in (Source.TRANSFER, Source.IN_PERSON):
        errors["source"] = [_("请选择来源（移送或来访来信）。")]
    region_code = str(data.get("region_code") or "")
    if region_code not in regions:
        errors["region_code"] = [_("请选择本机关管辖的单位。")]
    facts = str(data.get("facts") or "").strip()[: MAX_FACTS + 1]
    if not facts:
        errors["facts"] = [_("请写明反映的问题（时间、地点、经过）。")]
    elif len(facts) > MAX_FACTS:
        errors["facts"] = [_("反映的问题最多 %(n)s 字。") % {"n": MAX_FACTS}]
    subject = _text(data, "subject_name", 60)
    post, unit = _text(data, "subject_post", 60), _text(data, "subject_unit", 100)
    if not subject and not unit:
        errors["subject_name"] = [_("请写明被反映人（姓名或单位至少一项）。")]
    if any(ch.isdigit() for ch in subject):
        errors["subject_name"] = [_("姓名不能含数字。")]
    reason = str(data.get("transfer_reason") or "").strip()[:2000]
    if source == Source.TRANSFER and not reason:
        errors["transfer_reason"] = [_("移送须说明理由（为何属于纪检监察处理的问题）。")]
    phone = "".join(str(data.get("reporter_phone") or "").split())
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        errors["reporter_phone"] = [_("电话号码应为 7 到 12 位数字。")]
    if errors:
        raise InvalidInput("invalid_clue", _("请检查标出的项目。"), errors)
    assert kind is not None
    return CleanClue(
        kind=kind,
        source=source,
        region_code=region_code,
        subject_name=subject,
        subject_post=post,
        subject_unit=unit,
        facts=facts,
        reporter_name=_text(data, "reporter_name", 60),
        reporter_phone=phone,
        transfer_reason=reason,
        subject_username=_text(data, "subject_username", 150),
        higher_managed=str(data.get("higher_managed") or "").lower() in ("1", "true", "on", "yes"),
    )
