"""``lianfang bench rollup`` on a small tree: it builds and measures every view beside its raw
baseline (so the bench cannot rot unnoticed). Timings are never asserted."""

import random

import pytest

from lianfang.devtools.bench import rollup as bench
from lianfang.reporting import selectors

pytestmark = pytest.mark.django_db


def test_rollup_bench_runs_on_a_small_tree(monkeypatch):
    monkeypatch.setattr(bench, "COUNTIES", 3)
    monkeypatch.setattr(bench, "SUBDISTRICTS", 6)
    monkeypatch.setattr(bench, "COMMUNITIES", 30)
    monkeypatch.setattr(bench, "DAYS", 3)
    monkeypatch.setattr(bench, "PERSONS", 600)
    built = bench.build(random.Random(1))
    assert built["communities"] == 30 and built["reports"] == 90 and built["figures"] > 0
    results = bench.measure(built["days"], repeat=1)
    assert [r["view"] for r in results] == ["province", "county_trend", "community_live"]
    for r in results:
        assert set(r) == {"database", "view", "ms", "baseline_ms", "ratio"}
    day = built["days"][-1]
    totals = selectors.totals_by_child(bench.PROVINCE, day, 6)
    assert sum(sum(t.values()) for t in totals.values()) > 0
    assert "rollup" in bench._describe(results)
