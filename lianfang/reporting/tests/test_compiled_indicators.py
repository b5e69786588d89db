"""Reused count statements (core/compiled.py) equal freshly compiled ones, for every registered
indicator, on many regions and windows, and give the same figures."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import B111, C11, C12, C21, DISTRICT, SD1, SD2
from lianfang.core import compiled, indicators

pytestmark = pytest.mark.django_db

CODES = [DISTRICT, SD1, SD2, C11, C12, C21, B111, "620105999", "629999999999"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    compiled.clear()
    yield
    compiled.clear()


def _windows():
    for n in range(0, 40, 7):
        day = date(2020, 1, 20) + timedelta(days=n)
        yield indicators.Window.of_day(day)
        yield indicators.Window.of_day(day, start_hour=8)


def test_reused_statement_equals_the_freshly_compiled_one(world):
    for i in indicators.all_indicators():
        queries = [(i.key, i.query, i.distinct)]
        if i.denominator is not None:
            queries.append((f"{i.key}/", i.denominator, i.denominator_distinct))
        for key, build, distinct in queries:
            for code in CODES:
                for window in _windows():
                    fresh = compiled.count_sql(build(code, window), distinct)
                    assert compiled.count(key, build, distinct, code, window) == fresh, (key, code)


def test_every_registered_indicator_is_reused(world):
    window = indicators.Window.of_day(date(2020, 2, 10))
    indicators.compute(C11, window)
    for i in indicators.all_indicators():
        key = (connection.vendor, i.key, i.distinct)
        assert compiled._CACHE[key] is not None, i.key


def test_figures_are_the_same_with_and_without_reuse(world):
    from lianfang.monitoring.tests.factories import make_quarantine

    make_quarantine(B111, ("甲",), address="1号")
    window = indicators.Window.of_day(timezone.localdate())
    compiled.enabled = False
    try:
        expected = {code: indicators.compute(code, window) for code in CODES}
    finally:
        compiled.enabled = True
    assert {code: indicators.compute(code, window) for code in CODES} == expected
    assert expected[C11]["observations_started"] == 1
