"""A fixed-window rate limit kept in the database (no per-process memory), for public pages and
the token endpoint. Keys are hashed: an IP address never lands in the table in clear. Key on
:func:`lianfang.core.clientaddr.client_address`, never on REMOTE_ADDR (behind the proxy that is
the proxy)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
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


def window_start(now: datetime, window_seconds: int) -> datetime:
    return datetime.fromtimestamp(
        int(now.timestamp()) // window_seconds * window_seconds, tz=now.tzinfo
    )


def hit(
    scope: str, who: str, *, limit: int, window_seconds: int, now: datetime | None = None
) -> bool:
    """Count one request; False when ``who`` is over ``limit`` in the current window."""
    window = window_start(now or timezone.now(), window_seconds)
    count = sql.increment(RateCounter, {"key": _key(scope, who), "window": window})
    return count <= limit


@dataclass(frozen=True)
class Limit:
    """One limit to charge, for a hot path that counts it in its own SQL statement
    (``counter_key`` is the ``RateCounter`` row's key; ``refused`` the error when over)."""

    scope: str
    who: str
    limit: int
    window_seconds: int
    message: str
    code: str = "rate_limited"

    def counter_key(self, now: datetime) -> dict[str, object]:
        return {"key": _key(self.scope, self.who), "window": window_start(now, self.window_seconds)}

    def refused(self) -> RateLimited:
        return RateLimited(self.code, self.message)

    def charge(self) -> None:
        charge(
            self.scope,
            self.who,
            limit=self.limit,
            window_seconds=self.window_seconds,
            message=self.message,
            code=self.code,
        )


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
