"""``lianfang bench rollup``: a province-sized tree (~90 counties, ~1,300 sub-districts, 20,000
communities with two buildings each), 30 days of submitted community reports (states and the
non-zero figures, as submissions leave them) and 1,000,000 registered persons (with a
registration each, 1 % under home observation with the day's checks), loaded with raw bulk
inserts (executemany on SQLite, COPY on PostgreSQL). Then it times, median of several runs:

- ``province``: completeness + frozen totals per county for one day (``selectors``);
- ``county_trend``: one county's 30-day trend (figures and timeliness per day);
- ``community_live``: one community's live figures from the records (``indicators.compute``);

each beside the equivalent single raw SQL statement run in the same process as the baseline.
Budget (issue 5): each view under 300 ms and within 3x of its baseline. Printed, never asserted."""

from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lianfang.core import indicators
from lianfang.devtools.bench import Benchmark
from lianfang.regions.models import Level, Region

PROVINCE = "62"
COUNTIES = 90
SUBDISTRICTS = 1300
COMMUNITIES = 20_000
DAYS = 30
PERSONS = 1_000_000
FIGURE_KEYS = [
    ("under_home_observation", 0.9, 8),
    ("sweep_coverage", 0.8, 100),
    ("checkin_rate", 0.7, 100),
    ("households_swept", 0.6, 30),
    ("arrivals_other", 0.3, 4),
    ("arrivals_key_area", 0.1, 3),
    ("observations_started", 0.2, 3),
    ("observations_released", 0.2, 3),
    ("missed_checks", 0.1, 2),
    ("fevers_found", 0.02, 1),
]


def _copy(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Bulk insert: COPY on PostgreSQL, executemany in batches on SQLite."""
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
            return n
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def _uuid() -> Any:
    u = uuid.uuid4()
    return u if connection.vendor == "postgresql" else u.hex


def _regions(now: datetime) -> dict[str, list[tuple[int, str]]]:
    """Counties, sub-districts, communities and buildings; returns (id, code) per level."""
    cols = ["code", "name", "level", "parent_id", "is_active", "created_at", "updated_at"]
    counties = [f"62{c // 10 + 1:02d}{c % 10 + 1:02d}" for c in range(COUNTIES)]
    _copy(
        "regions_region",
        cols,
        ((c, f"县{c}", Level.DISTRICT, None, True, now, now) for c in counties),
    )
    ids = dict(Region.objects.filter(level=Level.DISTRICT).values_list("code", "pk"))
    sds: list[tuple[str, int]] = []
    per = SUBDISTRICTS // COUNTIES + 1
    for i in range(SUBDISTRICTS):
        county = counties[i // per]
        sds.append((f"{county}{i % per + 1:03d}", ids[county]))
    _copy(
        "regions_region",
        cols,
        ((c, f"街道{c}", Level.SUBDISTRICT, p, True, now, now) for c, p in sds),
    )
    ids = dict(Region.objects.filter(level=Level.SUBDISTRICT).values_list("code", "pk"))
    per = COMMUNITIES // SUBDISTRICTS + 1
    comms = [
        (f"{sds[i // per][0]}{i % per + 1:03d}", ids[sds[i // per][0]]) for i in range(COMMUNITIES)
    ]
    _copy(
        "regions_region",
        cols,
        ((c, f"社区{c}", Level.COMMUNITY, p, True, now, now) for c, p in comms),
    )
    ids = dict(Region.objects.filter(level=Level.COMMUNITY).values_list("code", "pk"))
    _copy(
        "regions_region",
        cols,
        (
            (f"{c}{b:03d}", f"楼{b}", Level.BUILDING, ids[c], True, now, now)
            for c, _p in comms
            for b in (1, 2)
        ),
    )
    return {
        level: list(Region.objects.filter(level=level).order_by("code").values_list("pk", "code"))
        for level in (Level.DISTRICT, Level.COMMUNITY)
    }


def _reports(communities: list[tuple[int, str]], days: list[date], rng: random.Random) -> None:
    from lianfang.reporting.policies import policy_for

    policy = policy_for(days[0])
    cols = [
        "region_id", "region_code", "level", "day", "policy_id", "window_start", "window_end",
        "deadline", "status", "late", "zero", "revision", "submitted_at", "review_comment",
        "created_at",
    ]  # fmt: skip

    def rows() -> Iterable[tuple[Any, ...]]:
        for day in days:
            start, end = policy.window(Level.COMMUNITY, day)
            deadline = policy.deadline(Level.COMMUNITY, day)
            for pk, code in communities:
                roll = rng.random()
                status = "missing" if roll < 0.03 else ("approved" if roll < 0.8 else "submitted")
                late = 0.03 <= roll < 0.09
                zero = status != "missing" and rng.random() < 0.3
                at = None if status == "missing" else deadline - timedelta(minutes=30)
                yield (
                    pk, code, Level.COMMUNITY, day, policy.pk, start, end, deadline, status,
                    late, zero, 0 if status == "missing" else 1, at, "", end,
                )  # fmt: skip

    _copy("reporting_dailyreport", cols, rows())


def _figures(days: list[date], rng: random.Random) -> int:
    ids = DailyReportIds.load(days)
    cols = ["report_id", "level", "day", "region_code", "key", "value"]

    def rows() -> Iterable[tuple[Any, ...]]:
        for pk, code, day, status, zero in ids:
            if status == "missing":
                continue
            for key, share, top in FIGURE_KEYS:
                if zero and key not in ("under_home_observation", "sweep_coverage", "checkin_rate"):
                    continue
                if rng.random() < share:
                    yield (pk, Level.COMMUNITY, day, code, key, rng.randint(1, top))

    return _copy("reporting_reportfigure", cols, rows())


class DailyReportIds:
    @staticmethod
    def load(days: list[date]) -> list[tuple[int, str, date, str, bool]]:
        from lianfang.reporting.models import DailyReport

        return list(
            DailyReport.objects.filter(day__in=days).values_list(
                "pk", "region_code", "day", "status", "zero"
            )
        )


def _people(
    communities: list[tuple[int, str]], day: date, rng: random.Random, now: datetime
) -> None:
    """1,000,000 persons with a registration each; 1 % under home observation since a week
    before ``day`` with two checks on ``day``."""
    from lianfang.monitoring.policies import policy_for as monitoring_policy

    policy = monitoring_policy(day)
    person_cols = [
        "id", "full_name", "name_pinyin", "name_initials", "name_birth_key", "doc_type",
        "id_number_enc", "id_number_bidx", "id_number_masked", "gender", "phone_enc", "phone_bidx",
        "phone_masked", "region_id", "region_code", "address", "workplace", "notes", "status",
        "created_at", "updated_at",
    ]  # fmt: skip
    reg_cols = [
        "id", "person_id", "region_code", "source", "origin_code", "transport", "transport_number",
        "contact_with_cases", "case_status", "symptoms", "health_code", "risk_computed",
        "risk_category", "risk_override_reason", "verification", "registered_at",
    ]  # fmt: skip
    persons: list[tuple[Any, str, int]] = []
    window_start = timezone.make_aware(datetime.combine(day, datetime.min.time()))

    def person_rows() -> Iterable[tuple[Any, ...]]:
        for i in range(PERSONS):
            region_id, code = communities[i % len(communities)]
            pid = _uuid()
            persons.append((pid, code, region_id))
            yield (
                pid, "测试", "ceshi", "cs", f"cs{i}", "resident", "x", f"b{i:012d}",
                "6201***", "", "x", f"p{i:012d}", "138****0000", region_id, code, "", "", "",
                "active", now, now,
            )  # fmt: skip

    _copy("people_person", person_cols, person_rows())
    span = int(timedelta(days=DAYS).total_seconds())

    def reg_rows() -> Iterable[tuple[Any, ...]]:
        for pid, code, _r in persons:
            at = window_start - timedelta(days=DAYS - 1) + timedelta(seconds=rng.randrange(span))
            category = "key_area_arrival" if rng.random() < 0.2 else "general"
            yield (
                _uuid(), pid, code, "door_to_door", "420100", "", "", False, "", "[]", "",
                category, category, "", "verified", at,
            )  # fmt: skip

    _copy("people_registration", reg_cols, reg_rows())
    q_cols = [
        "id", "kind", "status", "region_id", "region_code", "policy_id", "start_date", "end_date",
        "adjustment_days", "created_at",
    ]  # fmt: skip
    o_cols = [
        "id", "quarantine_id", "person_id", "region_code", "basis_date", "status",
        "checkin_token_enc", "checkin_token_bidx", "started_at", "end_reason",
    ]  # fmt: skip
    h_cols = [
        "id", "observation_id", "region_code", "taken_at", "slot_date", "slot_index", "temperature",
        "method", "symptoms", "note", "source", "fever", "late", "correction_reason", "created_at",
    ]  # fmt: skip
    observed = persons[::100]
    quarantines = [(_uuid(), pid, code, rid) for pid, code, rid in observed]
    start = day - timedelta(days=7)
    started_at = window_start - timedelta(days=7)
    _copy(
        "monitoring_quarantine",
        q_cols,
        (
            (
                q,
                "home",
                "active",
                rid,
                code,
                policy.pk,
                start,
                start + timedelta(days=14),
                0,
                started_at,
            )
            for q, _p, code, rid in quarantines
        ),
    )
    observations = [(_uuid(), q, pid, code) for q, pid, code, _r in quarantines]
    _copy(
        "monitoring_observation",
        o_cols,
        (
            (o, q, pid, code, start, "active", "", f"t{i}", started_at, "")
            for i, (o, q, pid, code) in enumerate(observations)
        ),
    )
    _copy(
        "monitoring_healthcheck",
        h_cols,
        (
            (
                _uuid(),
                o,
                code,
                window_start + timedelta(hours=8 + 6 * s),
                day,
                s,
                "36.5",
                "forehead",
                "[]",
                "",
                "self" if s else "staff",
                False,
                False,
                "",
                now,
            )
            for o, _q, _p, code in observations
            for s in (0, 1)
        ),
    )


def build(rng: random.Random) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate()
    days = [today - timedelta(days=DAYS - i) for i in range(DAYS)]
    started = time.perf_counter()
    with transaction.atomic():
        levels = _regions(now)
        _reports(levels[Level.COMMUNITY], days, rng)
        figures = _figures(days, rng)
        _people(levels[Level.COMMUNITY], days[-1], rng, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "counties": len(levels[Level.DISTRICT]),
        "communities": len(levels[Level.COMMUNITY]),
        "reports": len(days) * len(levels[Level.COMMUNITY]),
        "figures": figures,
        "persons": PERSONS,
        "build_s": round(time.perf_counter() - started, 1),
        "days": days,
    }


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm: plans, caches
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def _raw(sql: str, params: list[Any]) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def measure(days: list[date], repeat: int) -> list[dict[str, Any]]:
    from lianfang.reporting import selectors

    day = days[-1]
    county = (
        Region.objects.filter(level=Level.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )
    community = (
        Region.objects.filter(level=Level.COMMUNITY, code__startswith=county)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )

    def province() -> Any:
        return (
            selectors.completeness_by_child(PROVINCE, day, 6),
            selectors.totals_by_child(PROVINCE, day, 6),
        )

    lo, hi = PROVINCE, "63"
    province_sql = (
        "SELECT substr(code, 1, 6), 'expected', NULL, NULL, COUNT(*) FROM regions_region"
        " WHERE code >= %s AND code < %s AND level = 'community' AND is_active GROUP BY 1"
        " UNION ALL SELECT substr(region_code, 1, 6), status, late, zero, COUNT(*)"
        " FROM reporting_dailyreport WHERE level = 'community' AND day = %s"
        " AND region_code >= %s AND region_code < %s GROUP BY 1, 2, 3, 4"
        " UNION ALL SELECT substr(region_code, 1, 6), key, NULL, NULL, SUM(value)"
        " FROM reporting_reportfigure WHERE level = 'community' AND day = %s"
        " AND region_code >= %s AND region_code < %s GROUP BY 1, 2"
    )
    province_params = [lo, hi, day, lo, hi, day, lo, hi]
    if connection.vendor == "sqlite":
        province_sql = province_sql.replace("AND is_active", "AND is_active = 1")
    c_hi = county[:-1] + str(int(county[-1]) + 1)
    in_days = ", ".join(["%s"] * len(days))
    trend_sql = (
        "SELECT day, key, SUM(value) FROM reporting_reportfigure WHERE level = 'community'"
        " AND region_code >= %s AND region_code < %s AND day IN (DAYS) GROUP BY 1, 2"
        " UNION ALL SELECT day, status, COUNT(*) FROM reporting_dailyreport"
        " WHERE level = 'community' AND region_code >= %s AND region_code < %s"
        " AND day IN (DAYS) GROUP BY 1, 2"
    ).replace("DAYS", in_days)  # placeholders only
    trend_params = [county, c_hi, *days, county, c_hi, *days]
    window = indicators.Window.of_day(day)
    live_sql, live_params = _live_statement(community, window)
    views = [
        ("province", province, _raw(province_sql, province_params)),
        (
            "county_trend",
            lambda: selectors.trend(county, days[0], day),
            _raw(trend_sql, trend_params),
        ),
        (
            "community_live",
            lambda: indicators.compute(community, window),
            _raw(live_sql, live_params),
        ),
    ]
    results = []
    for name, view, baseline in views:
        ms = _median_ms(view, repeat)
        base = _median_ms(baseline, repeat)
        results.append(
            {
                "database": connection.vendor.replace("postgresql", "postgres"),
                "view": name,
                "ms": ms,
                "baseline_ms": base,
                "ratio": round(ms / base, 2) if base else None,
            }
        )
    return results


def _live_statement(code: str, window: indicators.Window) -> tuple[str, list[Any]]:
    """The single statement ``indicators.compute`` sends, compiled once (the raw baseline)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        indicators.compute(code, window)
    assert len(ctx.captured_queries) == 1, "compute must be one statement"
    captured = []

    def grab(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(grab):
        indicators.compute(code, window)
    return captured[0]


def run(options: dict[str, Any]) -> list[dict[str, Any]]:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(2020)
    built = build(rng)
    days = built.pop("days")
    sys.stderr.write(
        f"built {built['counties']} counties, {built['communities']} communities, "
        f"{built['reports']} reports, {built['figures']} figure rows, {built['persons']} persons "
        f"in {built['build_s']} s\n"
    )
    return measure(days, options["repeat"])


def _arguments(parser: Any) -> None:
    parser.add_argument("--repeat", type=int, default=7)


def _describe(result: list[dict[str, Any]]) -> str:
    lines = []
    for v in result:
        verdict = "ok" if v["ms"] < 300 and (v["ratio"] or 0) <= 3 else "OVER BUDGET"
        lines.append(
            f"rollup {v['database']} {v['view']}: {v['ms']} ms; "
            f"raw baseline {v['baseline_ms']} ms; ratio {v['ratio']} ({verdict})"
        )
    return "\n".join(lines)


BENCHMARKS = [
    Benchmark(
        "rollup",
        "province roll-up, county trend and one community's live figures vs raw SQL",
        _arguments,
        run,
        _describe,
    )
]
