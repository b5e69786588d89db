"""Working days (工作日) by China's official calendar: public holidays and the make-up working
days (调休) that the State Council publishes each year, from the ``chinese-calendar`` package
(2020's Spring Festival holiday extended to 2 February included). Every deadline that counts
working days asks here; nothing keeps a hand list.

A year the package does not know yet (it covers up to its release's year) counts Monday to
Friday and says so in the log once per year: a deadline is late rather than missing."""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

from lianfang.core.logging import get_logger

_log = get_logger("lianfang.workdays")


def is_workday(day: date) -> bool:
    """Whether ``day`` is an official working day (a make-up Saturday is; a holiday is not)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        _unknown_year(day.year)
        return day.weekday() < 5


@functools.cache
def _unknown_year(year: int) -> None:
    _log.warning("official calendar unknown, counting Monday to Friday", year=year)


def add_workdays(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted; n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    found = 0
    while found < n:
        day += timedelta(days=1)
        if is_workday(day):
            found += 1
    return day


def deadline(start: datetime, amount: int, unit: str) -> datetime:
    """When something received at ``start`` is due: ``amount`` hours later, or — for working
    days — at the end (24:00 local time) of the ``amount``-th working day after the day of
    ``start``, the 12345 practice's counting (a Friday evening's order with 3 working days is due
    at the end of Wednesday)."""
    if unit == "hours":
        return start + timedelta(hours=amount)
    if unit == "workdays":
        last = add_workdays(timezone.localdate(start), amount)
        return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    raise ValueError(f"unknown deadline unit {unit!r}")


def workdays_between(start: date, end: date) -> int:
    """Working days in (``start``, ``end``]: how many a deadline moved by."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count
