"""Division codes are prefix-hierarchical strings of digits. A subtree is the half-open range
``prefix <= code < next_prefix(prefix)``: an indexed range scan on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from lianfang.core.errors import BadRequestError

CODE_RE = re.compile(r"^[0-9]{6}([0-9]{3}){0,3}$")
REGION_PREFIX_RE = re.compile(r"[0-9]{1,15}")
# Lengths by level: district 6, sub-district 9, community 12, building 15.
LEVEL_LENGTHS = {"district": 6, "subdistrict": 9, "community": 12, "building": 15}


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code or ""))


def next_prefix(prefix: str) -> str | None:
    """The smallest code string greater than every code starting with ``prefix``; None when the
    prefix is all nines (no upper bound)."""
    if not prefix:
        return None
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    # Increment the last non-9 digit; digits after it become 0 (same length: string order holds).
    head, last = stripped[:-1], stripped[-1]
    return head + str(int(last) + 1) + "0" * (len(prefix) - len(stripped))


def subtree_q(field: str, prefix: str) -> Q:
    """The rows of a subtree; a prefix that is not digits (a filter such as ``?region=A``) is a
    bad request, not an error of the server."""
    if not REGION_PREFIX_RE.fullmatch(prefix or ""):
        msg = _("区划代码只能由数字组成。")
        raise BadRequestError("invalid_region", msg, {"region": [msg]})
    q = Q(**{f"{field}__gte": prefix})
    upper = next_prefix(prefix)
    if upper is not None:
        q &= Q(**{f"{field}__lt": upper})
    return q


def is_within(code: str, prefix: str) -> bool:
    return code.startswith(prefix)


def minimal_prefixes(prefixes: list[str] | set[str]) -> list[str]:
    """Drop prefixes covered by a shorter one, so OR-ed ranges do not overlap."""
    result: list[str] = []
    for p in sorted(set(prefixes), key=len):
        if not any(p.startswith(r) for r in result):
            result.append(p)
    return sorted(result)


def ancestors(code: str) -> list[str]:
    """The codes of every level above ``code``, district first (``620105001001`` →
    ``["620105", "620105001"]``)."""
    return [code[:n] for n in (6, 9, 12) if n < len(code)]
