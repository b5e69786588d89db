"""A fixed-window rate limit kept in the database (no per-process memory), for public pages and
the token endpoint. Keys are hashed: an IP address never lands in the table in clear. Key on
:func:`lianfang.core.clientaddr.client_address`, never on REMOTE_ADDR (behind the proxy that is
the proxy)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from lianfang.core import sql
from lianfang.core.errors import DomainError
from lianfang.core.models import RateCounter


class RateLimited(DomainError):
    status = 429


def _key(scope: str, who: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{who}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def hit(
    scope: str, who: str, *, limit: int, window_seconds: int, now: datetime | None = None
) -> bool:
    """Count one request; False when ``who`` is over ``limit`` in the current window."""
    now = now or timezone.now()
    window = datetime.fromtimestamp(
        int(now.timestamp()) // window_seconds * window_seconds, tz=now.tzinfo
    )
    count = sql.increment(RateCounter, {"key": _key(scope, who), "window": window})
    return count <= limit


def charge(
    scope: str,
    who: str,
    *,
    limit: int,
    window_seconds: int,
    message: str,
    code: str = "rate_limited",
) -> None:
    """Count one request; raise :class:`RateLimited` (429) when ``who`` is over ``limit``. Inside
    a transaction, the count goes with the work it guards when that work is rolled back."""
    if not hit(scope, who, limit=limit, window_seconds=window_seconds):
        raise RateLimited(code, message)
