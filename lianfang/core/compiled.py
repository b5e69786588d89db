"""Compiled count statements of the indicators, reused across regions and windows.

Building and compiling a queryset costs the ORM more than an indicator's count over one
community takes to run (figures in ADR 0014). The statement's text does not depend on the region
or the window, only its parameters do. So the first time an indicator is counted, its query is
compiled twice, for two different (region, window) inputs; the parameters that differ are
located among the inputs' database forms (code, next prefix, window start/end, day). Later
counts reuse the text and substitute the inputs. A query whose varying parameters cannot all be
located (it derives a value from the inputs in some other way) or whose text differs between the
two is never reused: it is compiled on every call, as before. ``tests`` compare both paths on
many inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from lianfang.core.regioncode import next_prefix

ROLES = ("code", "next", "start", "end", "day")


@dataclass(frozen=True)
class Template:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, int], ...]  # (parameter index, input role, form index)


_CACHE: dict[tuple[str, str, str], Template | None] = {}
enabled = True


def count_sql(qs: QuerySet[Any], distinct: str = "") -> tuple[str, tuple[Any, ...]] | None:
    """``(SELECT COUNT(*) FROM (…))`` for a queryset; None when it can match nothing."""
    inner = qs.order_by()
    inner = inner.values(distinct).distinct() if distinct else inner.values("pk")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return None
    # The SQL is compiled by the ORM (values travel as parameters), not built from input.
    return f"(SELECT COUNT(*) FROM ({sql}) AS lf_sub)", tuple(params)  # noqa: S608


def _forms(code: str, window: Any) -> dict[str, list[Any]]:
    """Each input in the forms a compiled statement may carry it (raw, or adapted)."""
    ops = connection.ops
    return {
        "code": [code],
        "next": [next_prefix(code)],
        "start": [window.start, ops.adapt_datetimefield_value(window.start)],
        "end": [window.end, ops.adapt_datetimefield_value(window.end)],
        "day": [window.day, ops.adapt_datefield_value(window.day)],
    }


def _other(code: str, window: Any) -> tuple[str, Any]:
    """A second input differing from the first in every part (same code length)."""
    other_code = "".join("1" if ch != "1" else "2" for ch in code)
    shifted = type(window)(
        window.day + timedelta(days=3),
        window.start + timedelta(days=1, seconds=7),
        window.end + timedelta(days=1, seconds=11),
    )
    return other_code, shifted


def _locate(
    a: tuple[Any, ...], b: tuple[Any, ...], fa: dict[str, list[Any]], fb: dict[str, list[Any]]
) -> tuple[tuple[int, str, int], ...] | None:
    slots = []
    for i, (pa, pb) in enumerate(zip(a, b, strict=True)):
        if pa == pb:
            continue
        found = next(
            (
                (i, role, k)
                for role in ROLES
                for k in range(len(fa[role]))
                if fa[role][k] == pa and fb[role][k] == pb
            ),
            None,
        )
        if found is None:
            return None
        slots.append(found)
    return tuple(slots)


def count(
    key: str,
    build: Callable[[str, Any], QuerySet[Any]],
    distinct: str,
    code: str,
    window: Any,
) -> tuple[str, tuple[Any, ...]] | None:
    """The count statement of ``build(code, window)``, from the cache when it can be."""
    if not enabled or next_prefix(code) is None:
        return count_sql(build(code, window), distinct)
    cache_key = (connection.vendor, key, distinct)
    if cache_key not in _CACHE:
        first = count_sql(build(code, window), distinct)
        other_code, other_window = _other(code, window)
        second = count_sql(build(other_code, other_window), distinct)
        template = None
        if first is not None and second is not None and first[0] == second[0]:
            slots = _locate(
                first[1], second[1], _forms(code, window), _forms(other_code, other_window)
            )
            if slots is not None:
                template = Template(first[0], first[1], slots)
        _CACHE[cache_key] = template
        return first
    template = _CACHE[cache_key]
    if template is None:
        return count_sql(build(code, window), distinct)
    forms = _forms(code, window)
    params = list(template.params)
    for i, role, k in template.slots:
        params[i] = forms[role][k]
    return template.sql, tuple(params)


def clear() -> None:
    _CACHE.clear()
