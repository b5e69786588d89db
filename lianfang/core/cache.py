"""Per-process caches of database reads: the one idiom. ``per_process()`` keeps what never
changes once written (a policy version); ``per_process(seconds=N)`` keeps what changes rarely and
may be N seconds stale (the key-area list, the address router). Pure functions of their arguments
use ``functools.cache`` instead. The test suite clears every cache between tests."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_ALL: list[PerProcess[Any, Any]] = []


class PerProcess(Generic[P, R]):
    def __init__(self, fn: Callable[P, R], seconds: float | None, maxsize: int) -> None:
        self._fn = fn
        self._seconds = seconds
        self._maxsize = maxsize
        self._entries: dict[Hashable, tuple[float, R]] = {}
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and (self._seconds is None or now - entry[0] <= self._seconds):
            return entry[1]
        value = self._fn(*args, **kwargs)
        if len(self._entries) >= self._maxsize:
            self._entries.clear()
        self._entries[key] = (now, value)
        return value

    def cache_clear(self) -> None:
        self._entries.clear()


def per_process(
    *, seconds: float | None = None, maxsize: int = 1024
) -> Callable[[Callable[P, R]], PerProcess[P, R]]:
    def decorator(fn: Callable[P, R]) -> PerProcess[P, R]:
        cached = PerProcess(fn, seconds, maxsize)
        _ALL.append(cached)
        return cached

    return decorator


def clear_all() -> None:
    for cached in _ALL:
        cached.cache_clear()
