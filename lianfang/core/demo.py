"""The demo district is seeded by the apps in order: each registers a seeder (regions, accounts,
people, …) and may register a guard that refuses to seed over real data."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

SEED = 2020


@dataclass(frozen=True)
class Seeder:
    name: str
    order: int
    reset: Callable[[], None]  # delete this app's demo data (called in reverse order)
    seed: Callable[[random.Random, date], dict[str, int]]


_SEEDERS: dict[str, Seeder] = {}
_GUARDS: list[Callable[[], str | None]] = []


def register_seeder(seeder: Seeder) -> None:
    _SEEDERS[seeder.name] = seeder


def register_guard(guard: Callable[[], str | None]) -> None:
    """``guard()`` returns a reason when the database holds data that is not demo data."""
    _GUARDS.append(guard)


def refusal() -> str | None:
    for guard in _GUARDS:
        reason = guard()
        if reason:
            return reason
    return None


def seeders() -> list[Seeder]:
    return sorted(_SEEDERS.values(), key=lambda s: s.order)
