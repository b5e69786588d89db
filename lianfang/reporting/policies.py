"""The reporting policy in force on a day (dated versions, never edited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.reporting.models import ReportPolicy
from lianfang.reporting.permissions import CONFIGURE_REPORTS

DEFAULT_FROM = date(2020, 1, 1)
DEFAULT_NAME = "社区 08:00、街道 09:00、区 10:00 前报送前一日情况"


def policy_for(day: date) -> ReportPolicy:
    """The version in force on ``day``; the defaults (DOMAIN §3's worked example) when none
    was ever written."""
    policy = (
        ReportPolicy.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    )
    if policy is not None:
        return policy
    earliest = ReportPolicy.objects.order_by("effective_from").first()
    if earliest is not None:
        return earliest
    try:
        with transaction.atomic():
            return ReportPolicy.objects.create(name=DEFAULT_NAME, effective_from=DEFAULT_FROM)
    except IntegrityError:  # created concurrently
        return ReportPolicy.objects.get(effective_from=DEFAULT_FROM)


LIMITS = {
    "community_window_hour": 23,
    "subdistrict_window_hour": 23,
    "district_window_hour": 23,
    "community_deadline_minutes": 2880,
    "subdistrict_deadline_minutes": 2880,
    "district_deadline_minutes": 2880,
    "reminder_minutes": 720,
}


def policy_create(*, actor: Actor, data: dict[str, Any]) -> ReportPolicy:
    """A new version; reports already opened keep the version they opened under."""
    if not actor.can(CONFIGURE_REPORTS):
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以修改报告政策。"))
    fields: dict[str, list[str]] = {}
    for name, limit in LIMITS.items():
        value = data.get(name)
        if value is None or not 0 <= int(value) <= limit:
            fields[name] = [_("请填写 0 到 %(limit)s 之间的整数。") % {"limit": limit}]
    levels = ("community", "subdistrict", "district")
    c, s, d = (int(data.get(f"{lvl}_deadline_minutes") or 0) for lvl in levels)
    if not fields and not c <= s <= d:
        fields["subdistrict_deadline_minutes"] = [
            _("截止时间须逐级递后：社区不晚于街道，街道不晚于区。")
        ]
    if not data.get("effective_from"):
        fields["effective_from"] = [_("请填写生效日期。")]
    if not (data.get("name") or "").strip():
        fields["name"] = [_("请填写名称。")]
    if fields:
        raise InvalidInput("invalid_policy", _("报告政策有误，请检查标出的项目。"), fields)
    if ReportPolicy.objects.filter(effective_from=data["effective_from"]).exists():
        raise InvalidInput(
            "policy_date_taken",
            _("该日期已有一个政策版本。"),
            {"effective_from": [_("该日期已有一个政策版本，请换一个生效日期。")]},
        )
    clean = {k: data[k] for k in (*LIMITS, "effective_from")}
    return ReportPolicy.objects.create(
        name=data["name"].strip(),
        reason=(data.get("reason") or "").strip(),
        created_by_id=actor.user_id,
        **clean,
    )
