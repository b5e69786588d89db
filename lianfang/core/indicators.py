"""Named indicators of the daily report (日报告): each is a count over the records of a region
(its subtree) in a reporting window. The apps that own the records register theirs in
``AppConfig.ready``; the reporting app only reads this registry, so adding an indicator never
touches it.

- ``kind``: ``flow`` counts what happened in the window (arrivals, fevers …): a report whose flows
  are all zero is a zero report (无事零报告); ``stock`` counts a state at the window's end (under
  observation …) and does not decide "zero".
- ``version``: raise it when the definition changes; reports freeze the versions they used.
- ``records``: the records behind the figure, from the viewer's scope (the drill-down)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from lianfang.core.permissions import check_known
from lianfang.core.scoping import Actor

FLOW, STOCK = "flow", "stock"


@dataclass(frozen=True)
class Window:
    """The reporting window: by default the local day D, 00:00 to 24:00 (Asia/Shanghai)."""

    day: date
    start: datetime
    end: datetime

    @classmethod
    def of_day(cls, day: date) -> Window:
        tz = timezone.get_current_timezone()
        start = datetime.combine(day, time.min, tzinfo=tz)
        return cls(day, start, start + timedelta(days=1))


@dataclass(frozen=True)
class Indicator:
    key: str  # stable identifier, e.g. "arrivals_key_area"
    label: object  # a lazy translation
    kind: str  # FLOW or STOCK
    count: Callable[[str, Window], int]  # (region code, window) → figure over the subtree
    records: Callable[[Actor, str, Window], Any]  # the queryset behind it, scoped
    perm: str  # what a viewer needs to see the records behind it
    order: int = 100
    version: int = 1
    unit: str = ""  # "" for counts, "%" for rates (then count returns a whole percentage)


_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    if indicator.kind not in (FLOW, STOCK):
        raise ValueError(f"indicator {indicator.key}: kind must be flow or stock")
    check_known(indicator.perm)
    _INDICATORS[indicator.key] = indicator


def all_indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.key))


def get(key: str) -> Indicator:
    return _INDICATORS[key]


def compute(region_code: str, window: Window) -> dict[str, int]:
    """Every registered figure for the region's subtree in the window."""
    return {i.key: i.count(region_code, window) for i in all_indicators()}


def is_zero(figures: dict[str, int]) -> bool:
    """Nothing new happened: every flow figure is zero (stocks may not be)."""
    flows = {i.key for i in all_indicators() if i.kind == FLOW and not i.unit}
    return all(figures.get(k, 0) == 0 for k in flows)
