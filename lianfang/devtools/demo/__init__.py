"""The demo district, seeded app by app in the order below (regions first). Each app's seeder lives
in this package; a guard refuses to seed over a database that holds real data."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

SEED = 2020


@dataclass(frozen=True)
class Seeder:
    name: str
    reset: Callable[[], None]  # delete this app's demo data (called in reverse order)
    seed: Callable[[random.Random, date], dict[str, int]]


def seeders() -> list[Seeder]:
    """Imported here, not at module level: the seeders import the apps' models."""
    from lianfang.devtools.demo import (
        accounts,
        cases,
        checkpoints,
        discipline,
        monitoring,
        people,
        regions,
        reporting,
    )

    return [
        Seeder("regions", regions.reset, regions.seed),
        Seeder("accounts", accounts.reset, accounts.seed),
        Seeder("people", people.reset, people.seed),
        Seeder("monitoring", monitoring.reset, monitoring.seed),
        Seeder("checkpoints", checkpoints.reset, checkpoints.seed),
        Seeder("cases", cases.reset, cases.seed),
        Seeder("reporting", reporting.reset, reporting.seed),
        Seeder("discipline", discipline.reset, discipline.seed),
    ]


def refusal() -> str | None:
    """Why the database may not be seeded (it holds data that is not demo data), or None."""
    from lianfang.devtools.demo import accounts

    return accounts.non_demo_data()
