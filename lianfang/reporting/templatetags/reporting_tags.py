from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ figures|get:key }}``: a dict lookup with 0 for a missing figure."""
    if mapping is None:
        return 0
    return mapping.get(key, 0)


@register.filter
def status_class(status: str) -> str:
    return {
        "submitted": "text-bg-success",
        "zero": "text-bg-info",
        "approved": "text-bg-primary",
        "late": "text-bg-warning",
        "returned": "text-bg-warning",
        "missing": "text-bg-danger",
    }.get(status, "text-bg-secondary")
