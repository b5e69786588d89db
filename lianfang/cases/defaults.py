"""The categories a new district starts with (12345 practice for the time limits: sign within
2 hours; emergencies the same day; help and questions 3 working days; complaints and reports 13
working days). The command office changes them by adding a version from a date."""

from __future__ import annotations

from typing import Any

DISCIPLINE_KINDS = [
    "决策部署落实不力",
    "形式主义官僚主义（不作为、慢作为、乱作为）",
    "瞒报谎报迟报漏报疫情信息",
    "擅离职守、临阵退缩、推诿扯皮",
    "贪污挪用截留防控款物和捐赠物资",
    "群众诉求处置不力",
    "造谣传谣或泄露个人信息",
    "干扰防控或拒收拒治",
    "哄抬物价、违规经营",
    "违规聚餐聚会",
    "其他",
]

# code, name, handler, limit, unit, urgent hours, confidential, epidemic lead, extra fields
CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "epidemic_lead",
        "name": "疫情线索",
        "handler": "community",
        "limit": 24,
        "limit_unit": "hours",
        "urgent_hours": 6,
        "epidemic_lead": True,
        "fields": [{"key": "origin", "label": "从何地返回（如知道）"}],
    },
    {
        "code": "gathering",
        "name": "聚集与红白事宴",
        "handler": "subdistrict",
        "limit": 24,
        "limit_unit": "hours",
        "urgent_hours": 4,
    },
    {
        "code": "sanitation",
        "name": "垃圾堆积与环境卫生",
        "handler": "sanitation",
        "limit": 3,
        "limit_unit": "workdays",
        "urgent_hours": 24,
    },
    {
        "code": "market",
        "name": "哄抬物价与违规经营",
        "handler": "market",
        "limit": 13,
        "limit_unit": "workdays",
        "urgent_hours": 24,
    },
    {
        "code": "quarantine_help",
        "name": "隔离人员求助",
        "handler": "community",
        "limit": 3,
        "limit_unit": "workdays",
        "urgent_hours": 12,
        "fields": [
            {"key": "need", "label": "需要什么", "choices": ["买菜", "买药", "清运垃圾", "就医"]}
        ],
    },
    {
        "code": "discipline",
        "name": "干部作风与违纪",
        "handler": "discipline",
        "limit": 13,
        "limit_unit": "workdays",
        "urgent_hours": 24,
        "confidential": True,
        "fields": [{"key": "kind", "label": "问题类型", "choices": DISCIPLINE_KINDS}],
    },
    {
        "code": "question",
        "name": "咨询",
        "handler": "intake",
        "limit": 3,
        "limit_unit": "workdays",
        "urgent_hours": 24,
    },
    {
        "code": "other",
        "name": "其他",
        "handler": "subdistrict",
        "limit": 13,
        "limit_unit": "workdays",
        "urgent_hours": 24,
    },
]


def seed(category_model: Any) -> int:
    """Create the default categories from 1 January 2020 where missing (the data migration, and
    tests whose database is flushed between them). Returns how many were created."""
    from datetime import date

    created = 0
    for order, spec in enumerate(CATEGORIES, start=1):
        _obj, made = category_model.objects.get_or_create(
            code=spec["code"],
            effective_from=date(2020, 1, 1),
            defaults={**{k: v for k, v in spec.items() if k != "code"}, "order": order * 10},
        )
        created += made
    return created
