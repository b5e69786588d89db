from __future__ import annotations

from lianfang.regions.models import LENGTH_LEVEL, Region


def make_region(code: str, name: str | None = None, *, active: bool = True) -> Region:
    """A region with its level from the code length and its parent looked up by code."""
    parent = Region.objects.get(code=code[:-3]) if len(code) > 6 else None
    return Region.objects.create(
        code=code,
        name=name or f"区域{code}",
        level=LENGTH_LEVEL[len(code)],
        parent=parent,
        is_active=active,
    )
