"""What a work order may hold, one rule per value: the public form, the operator's desk, the API
and the check-in help request all clean their input here. The reporter's name follows the
registry's name rule; phones are ``core.identity``'s."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.cases.models import Category
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import parse_phone
from lianfang.people import rules as people_rules

TEXT_MIN, TEXT_MAX = 5, 2000
PLACE_MAX = 200

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class CleanTip:
    category: Category
    text: str
    place_code: str
    place_text: str
    happened_on: date | None
    anonymous: bool
    name: str
    phone: str
    urgent: bool
    extra: dict[str, str]


def _text(value: Any, errors: Errors) -> str:
    text = "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines())
    if len(text) < TEXT_MIN:
        errors["text"] = [_("请写明发生了什么（至少 %(n)s 个字）。") % {"n": TEXT_MIN}]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("内容最多 %(n)s 个字。") % {"n": TEXT_MAX}]
    return text


def _happened(value: Any, errors: Errors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            errors["happened_on"] = [_("日期格式应为 YYYY-MM-DD。")]
            return None
    if day > timezone.localdate():
        errors["happened_on"] = [_("日期不能晚于今天。")]
    return day


def _reporter(data: dict[str, Any], errors: Errors) -> tuple[bool, str, str]:
    """``(anonymous, name, phone)``: a reporter who leaves a phone can be called back; a name
    alone is kept too. Both are optional (anonymous reports are allowed)."""
    name = people_rules.spaced(data.get("name"))
    if name and (problem := people_rules.name_problem(name)):
        errors["name"] = [str(people_rules.MESSAGES[problem])]
    phone = ""
    if str(data.get("phone") or "").strip():
        try:
            phone = parse_phone(str(data.get("phone")), "phone")
        except InvalidInput as exc:
            errors["phone"] = exc.fields.get("phone", [exc.message])
    anonymous = bool(data.get("anonymous")) or not (name or phone)
    if anonymous:
        return True, "", ""
    return False, name, phone


def _extra(category: Category, data: dict[str, Any], errors: Errors) -> dict[str, str]:
    """The category's own fields (``Category.fields``: key, label, optional choices)."""
    raw = data.get("extra")
    given: dict[str, Any] = raw if isinstance(raw, dict) else {}
    out: dict[str, str] = {}
    for spec in category.fields or []:
        key = str(spec.get("key") or "")
        value = people_rules.spaced(given.get(key, data.get(f"extra_{key}")))[:100]
        choices = spec.get("choices")
        if value and choices and value not in choices:
            errors[f"extra_{key}"] = [_("请从列表中选择。")]
        elif value:
            out[key] = value
    return out


def clean_tip(
    data: dict[str, Any], categories: dict[str, Category], place_codes: Collection[str]
) -> CleanTip:
    """A tip as received, or ``InvalidInput`` naming every bad field. ``categories``: the ones in
    force by code; ``place_codes``: the district's active communities and buildings."""
    errors: Errors = {}
    category = categories.get(str(data.get("category") or ""))
    if category is None:
        errors["category"] = [_("请选择反映的事项类别。")]
    text = _text(data.get("text"), errors)
    place_code = str(data.get("place_code") or "").strip()
    if place_code and place_code not in place_codes:
        errors["place_code"] = [_("请从列表中选择本区的社区或楼栋。")]
    place_text = people_rules.spaced(data.get("place_text"))[:PLACE_MAX]
    asks_place = category is not None and not category.confidential and category.handler != "intake"
    if asks_place and not (place_code or place_text):
        errors["place_code"] = [_("请选择或填写发生地点。")]
    happened_on = _happened(data.get("happened_on"), errors)
    anonymous, name, phone = _reporter(data, errors)
    extra = _extra(category, data, errors) if category is not None else {}
    if errors:
        raise InvalidInput("invalid_tip", _("请检查标出的项目。"), errors)
    assert category is not None
    return CleanTip(
        category=category,
        text=text,
        place_code=place_code,
        place_text=place_text,
        happened_on=happened_on,
        anonymous=anonymous,
        name=name,
        phone=phone,
        urgent=bool(data.get("urgent")),
        extra=extra,
    )


def clean_reply(result: Any, reply: Any, choices: list[str]) -> tuple[str, str]:
    """The result code and the public reply of a finished order (names nobody: it is shown to
    the reporter)."""
    errors: Errors = {}
    result = str(result or "")
    if result not in choices:
        errors["result"] = [_("请选择办理结果。")]
    reply = " ".join(str(reply or "").split())
    if len(reply) < 5:
        errors["reply"] = [_("请填写给反映人的答复（至少 5 个字）。")]
    elif len(reply) > 1000:
        errors["reply"] = [_("答复最多 1000 个字。")]
    elif names_contact(reply):
        errors["reply"] = [_("答复会给反映人看到，不能含电话号码或身份证号，请删除后再提交。")]
    if errors:
        raise InvalidInput("invalid_reply", _("请检查标出的项目。"), errors)
    return result, reply


_PHONE_OR_ID = re.compile(
    r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d){8}(?!\d)"  # a mobile number
    r"|(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)"  # a landline with its area code
    r"|(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"  # a resident ID
)


def names_contact(text: str) -> bool:
    """Whether a text meant for the public carries a phone or ID number (a name cannot be told
    apart from other words; the form says not to write one)."""
    return bool(_PHONE_OR_ID.search(text))


def required_note(value: Any, field: str, message: str) -> str:
    note = " ".join(str(value or "").split())[:1000]
    if not note:
        raise InvalidInput("note_required", message, {field: [message]})
    return note
