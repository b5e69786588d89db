from lianfang.devtools.bench.imports import _describe


def _result(insert_only: int | None) -> dict[str, object]:
    return {
        "rows": 10,
        "database": "postgres",
        "seconds": 1.0,
        "rows_per_s": 10,
        "baseline_rows_per_s": 30,
        "ratio": 0.333,
        "read_rows_per_s": 31,
        "insert_only_rows_per_s": insert_only,
        "peak_rss_mb": 100,
        "outcomes": {},
    }


def test_import_bench_says_when_inserting_alone_is_within_the_reading_noise() -> None:
    assert "inserting alone within the reading's noise" in _describe(_result(None))


def test_import_bench_prints_the_insert_rate_when_it_is_measurable() -> None:
    assert "inserting alone 900 rows/s" in _describe(_result(900))
