from __future__ import annotations

from django import template

from lianfang.core import divisions
from lianfang.core.symptoms import SYMPTOMS

register = template.Library()


@register.filter
def division(code: str) -> str:
    """420100 → 湖北省武汉市 (the code itself when unknown)."""
    return divisions.name_of(code) or code


@register.filter
def transport_label(value: str) -> str:
    """train → 火车 (answers stored as codes, e.g. a self-report's)."""
    from lianfang.people.models import Transport

    return str(dict(Transport.choices).get(value, value)) if value else ""


@register.filter
def symptom_labels(keys: list[str]) -> str:
    return "、".join(str(SYMPTOMS.get(k, k)) for k in keys or [])
