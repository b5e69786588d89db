"""Named indicators of the daily report (日报告): each is a count over the records of a region
(its subtree) in a reporting window. The apps that own the records register theirs in
``AppConfig.ready``; the reporting app only reads this registry, so adding an indicator never
touches it.

- ``kind``: ``flow`` counts what happened in the window (arrivals, fevers …): a report whose flows
  are all zero is a zero report (无事零报告); ``stock`` counts a state at the window's end (under
  observation …) and does not decide "zero".
- ``query``: the queryset whose row count is the figure; with ``denominator`` the figure is a whole
  percentage ``100 · query / denominator`` (``unit="%"``).
- ``version``: raise it when the definition changes; reports freeze the versions they used.
- ``records``: the records behind the figure, from the viewer's scope (the drill-down).

``compute`` counts every indicator of a region in one SQL statement (one scalar subquery per
count), so a report page costs one round trip however many indicators the apps register; the
count statements are compiled once and reused (``core/compiled.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from lianfang.core import compiled, sql
from lianfang.core.permissions import check_known
from lianfang.core.scoping import Actor

FLOW, STOCK = "flow", "stock"


@dataclass(frozen=True)
class Window:
    """The reporting window: by default the local day D, 00:00 to 24:00 (Asia/Shanghai); a
    policy may start it at another hour (``start_hour``), still 24 hours long."""

    day: date
    start: datetime
    end: datetime

    @classmethod
    def of_day(cls, day: date, start_hour: int = 0) -> Window:
        tz = timezone.get_current_timezone()
        start = datetime.combine(day, time(hour=start_hour), tzinfo=tz)
        return cls(day, start, start + timedelta(days=1))


Query = Callable[[str, Window], QuerySet[Any]]


@dataclass(frozen=True)
class Indicator:
    key: str  # stable identifier, e.g. "arrivals_key_area"
    label: object  # a lazy translation
    kind: str  # FLOW or STOCK
    query: Query  # (region code, window) → the rows counted, over the subtree
    records: Callable[[Actor, str, Window], Any]  # the queryset behind it, scoped
    perm: str  # what a viewer needs to see the records behind it
    order: int = 100
    version: int = 1
    denominator: Query | None = None  # set for rates: the figure is 100 · query / denominator
    distinct: str = ""  # count distinct values of this field instead of rows
    group_field: str = "region_code"  # the rows' region code column (for per-child counts)
    denominator_distinct: str = ""
    denominator_group_field: str = "region_code"
    short_label: object = ""  # for narrow table headers; defaults to label
    # One record of the drill-down as {"title", "detail", "url"} (the owning app knows its records).
    present: Callable[[Any], dict[str, str]] | None = None

    @property
    def unit(self) -> str:
        return "%" if self.denominator is not None else ""

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def describe(self, record: Any) -> dict[str, str]:
        if self.present is not None:
            return self.present(record)
        return {"title": str(record), "detail": "", "url": ""}

    def count(self, region_code: str, window: Window) -> int:
        return compute(region_code, window, [self])[self.key]


_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    if indicator.kind not in (FLOW, STOCK):
        raise ValueError(f"indicator {indicator.key}: kind must be flow or stock")
    check_known(indicator.perm)
    _INDICATORS[indicator.key] = indicator


def all_indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.key))


def get(key: str) -> Indicator | None:
    return _INDICATORS.get(key)


def versions() -> dict[str, int]:
    return {i.key: i.version for i in all_indicators()}


# Scalar subqueries per statement: keeps the bound parameters far below SQLite's and
# PostgreSQL's limits (32,766 / 65,535) whatever the indicators bind.
_SUBQUERIES_PER_STATEMENT = 400


def compute(
    region_code: str, window: Window, indicators: list[Indicator] | None = None
) -> dict[str, int]:
    """Every registered figure (or those given) for the region's subtree in the window."""
    return compute_many([region_code], window, indicators)[region_code]


def compute_many(
    region_codes: list[str], window: Window, indicators: list[Indicator] | None = None
) -> dict[str, dict[str, int]]:
    """The figures of several regions in as few statements as the parameter limits allow (one
    for a sub-district's communities): never a query per region."""
    chosen = all_indicators() if indicators is None else indicators
    parts: list[tuple[str, tuple[Any, ...]]] = []
    # code, key, rate, numerator slot, denominator slot
    slots: list[tuple[str, str, bool, int | None, int | None]] = []

    def add(key: str, build: Query, distinct: str, code: str) -> int | None:
        statement = compiled.count(key, build, distinct, code, window)
        if statement is None:
            return None
        parts.append(statement)
        return len(parts) - 1

    for code in region_codes:
        for i in chosen:
            num = add(i.key, i.query, i.distinct, code)
            den = (
                add(f"{i.key}/", i.denominator, i.denominator_distinct, code)
                if i.denominator is not None
                else None
            )
            slots.append((code, i.key, i.is_rate, num, den))
    values = sql.scalars(parts, per_statement=_SUBQUERIES_PER_STATEMENT)
    result: dict[str, dict[str, int]] = {code: {} for code in region_codes}
    for code, key, rate, num, den in slots:
        n = int(values[num]) if num is not None else 0
        if not rate:
            result[code][key] = n
            continue
        d = int(values[den]) if den is not None else 0
        result[code][key] = round(100 * n / d) if d else 0
    return result


def _grouped(qs: QuerySet[Any], field: str, distinct: str, n: int) -> dict[str, int]:
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    return dict(
        qs.order_by()
        .annotate(lf_child=Substr(field, 1, n))
        .values("lf_child")
        .annotate(lf_n=counted)
        .values_list("lf_child", "lf_n")
    )


def compute_by_child(
    prefix: str, n: int, window: Window, indicators: list[Indicator] | None = None
) -> dict[str, dict[str, int]]:
    """The figures of every region one level down (codes of length ``n``) under ``prefix``:
    one GROUP BY per count, however many children (for the overview's live columns and bulk
    reporting). Children with nothing to count are absent."""
    chosen = all_indicators() if indicators is None else indicators
    result: dict[str, dict[str, int]] = {}
    for i in chosen:
        nums = _grouped(i.query(prefix, window), i.group_field, i.distinct, n)
        if i.denominator is None:
            for child, k in nums.items():
                result.setdefault(child, {})[i.key] = k
            continue
        dens = _grouped(
            i.denominator(prefix, window), i.denominator_group_field, i.denominator_distinct, n
        )
        for child, d in dens.items():
            result.setdefault(child, {})[i.key] = round(100 * nums.get(child, 0) / d) if d else 0
    for figures in result.values():
        for i in chosen:
            figures.setdefault(i.key, 0)
    return result


def is_zero(figures: dict[str, int]) -> bool:
    """Nothing new happened: every flow figure is zero (stocks and rates may not be)."""
    flows = {i.key for i in all_indicators() if i.kind == FLOW and not i.is_rate}
    return all(figures.get(k, 0) == 0 for k in flows)


def flows_present(figures: dict[str, int]) -> list[Indicator]:
    """The flow indicators that are not zero (why a zero report is refused)."""
    return [
        i
        for i in all_indicators()
        if i.kind == FLOW and not i.is_rate and figures.get(i.key, 0) != 0
    ]
