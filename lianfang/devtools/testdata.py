"""Generated test data shared by the demo, the benchmarks and the load tests."""

from __future__ import annotations

from datetime import date, timedelta

from lianfang.core.identity import check_char

FIRST_BIRTH = date(1940, 1, 1)
BIRTH_DAYS = 25_000  # birth dates 1940–2008


def id_number(i: int) -> str:
    """The i-th generated ID: distinct for every i below 25,000 × 1,000 × 97 (birth date, then
    order digits, then county), so "fresh" rows never collide with the registry's; consecutive
    IDs have different birth dates, so same-name-and-birth-date pairs are as rare as in life."""
    born = FIRST_BIRTH + timedelta(days=i % BIRTH_DAYS)
    order, rest = (i // BIRTH_DAYS) % 1000, i // BIRTH_DAYS // 1000
    county = 420100 + rest % 97
    body = f"{county:06d}{born:%Y%m%d}{order:03d}"
    return body + check_char(body)
