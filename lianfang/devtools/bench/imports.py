"""``lianfang bench import``: the real import end to end against a registry of N persons, and in
the same run a raw baseline: the same file streamed by the same reader and its rows bulk-inserted
into a bare table (executemany on SQLite, COPY on PostgreSQL) — reading the file is part of both.
Figures are printed, never asserted."""

from __future__ import annotations

import multiprocessing
import os
import queue
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import connection, transaction

from lianfang.accounts.models import Membership, User
from lianfang.devtools.bench import Benchmark, import_worker
from lianfang.devtools.testdata import id_number
from lianfang.people import services
from lianfang.people.imports import tabular
from lianfang.people.models import ImportJob, Person
from lianfang.regions.models import Level, Region

SUBDISTRICT = "620105001"
NAMES = [
    a + b + c
    for a in "王李张刘陈杨赵黄周吴"
    for b in "伟芳娜秀英敏静丽强磊"
    for c in "军洋勇艳杰娟涛明超兰"
]
COMMUNITIES = 10
BUILDINGS = 20


def _tree() -> list[Region]:
    district, _ = Region.objects.get_or_create(
        code="620105", defaults={"name": "安宁区", "level": Level.DISTRICT}
    )
    sd, _ = Region.objects.get_or_create(
        code=SUBDISTRICT,
        defaults={"name": "培黎街道", "level": Level.SUBDISTRICT, "parent": district},
    )
    communities = []
    for c in range(1, COMMUNITIES + 1):
        community, _ = Region.objects.get_or_create(
            code=f"{SUBDISTRICT}{c:03d}",
            defaults={"name": f"测试{c}号社区", "level": Level.COMMUNITY, "parent": sd},
        )
        communities.append(community)
        for b in range(1, BUILDINGS + 1):
            Region.objects.get_or_create(
                code=f"{community.code}{b:03d}",
                defaults={"name": f"测试{c}-{b}号楼", "level": Level.BUILDING, "parent": community},
            )
    return communities


def _importer() -> User:
    user: User
    user, created = User.objects.get_or_create(
        username="bench_importer", defaults={"full_name": "基准", "region_code": SUBDISTRICT}
    )
    if created:
        Membership.objects.create(
            user=user,
            role="subdistrict_officer",
            region=Region.objects.get(code=SUBDISTRICT),
            region_code=SUBDISTRICT,
        )
    return user


def _ids(n: int, offset: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    i = offset
    while len(out) < n:
        number = id_number(i)
        i += 1
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out


def seed_registry(n: int, communities: list[Region], user: User) -> list[str]:
    """N existing persons (not timed). Returns their ID numbers."""
    existing = Person.objects.count()
    numbers = _ids(n, 0)
    if existing >= n:
        return numbers
    buildings = list(Region.objects.filter(level=Level.BUILDING, code__startswith=SUBDISTRICT))
    rng = random.Random(1)
    for start in range(0, n, 5000):
        people: list[Person] = []
        for number in numbers[start : start + 5000]:
            clean = services.CleanPerson(
                full_name=NAMES[len(people) % len(NAMES)],
                doc_type="resident_id",
                id_number=number,
                phone="",
                region=rng.choice(buildings),
                address="1单元101",
            )
            people.append(services.build_person(clean, created_by_id=user.pk))
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=1000)
    return numbers


def build_file(n: int, existing: list[str], communities: list[Region]) -> Path:
    """N arrival rows (30% already in the registry, 2% bad), cached by N."""
    folder = Path(os.environ.get("LIANFANG_BENCH_CACHE") or settings.VAR_DIR / "bench")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"arrivals-v3-{n}.xlsx"  # v3: distinct IDs, spread birth dates
    if path.exists():
        return path
    rng = random.Random(2)
    fresh = iter(_ids(n, 1_000_000_000))
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for c, h in enumerate(["姓名", "身份证号码", "手机号", "来源地", "到达日期", "现住址"]):
        sheet.write_string(0, c, h)
    for r in range(1, n + 1):
        roll = rng.random()
        number = rng.choice(existing) if roll < 0.30 else next(fresh)
        if roll > 0.98:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")  # a bad check digit
        community = rng.choice(communities)
        row = [
            NAMES[r % len(NAMES)],
            number,
            f"138{r % 100_000_000:08d}",
            "湖北省武汉市",
            "2020-01-25",
            f"{community.name}{rng.randint(1, BUILDINGS)}号楼",
        ]
        for c, v in enumerate(row):
            sheet.write_string(r, c, v)
    book.close()
    return path


def baseline(rows: Iterator[tuple[Any, ...]]) -> float:
    """Seconds to bulk-insert the rows into a bare table (executemany / COPY), streamed from the
    opened sheet (so the baseline holds no second copy of the rows)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute("CREATE TABLE bench_raw (a text, b text, c text, d text, e text, f text)")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy("COPY bench_raw (a, b, c, d, e, f) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # An iterator, not a list (stubs want a sequence): the baseline streams, as the import does.
            cursor.executemany("INSERT INTO bench_raw VALUES (%s, %s, %s, %s, %s, %s)", rows)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw")
    return seconds


def _import_in_fresh_process(job_id: Any) -> tuple[float, int]:
    """Seconds of ``imports.jobs.run`` in a new process, as the task worker runs it, and its peak
    memory in KB (``import_worker.peak_kb``): the registry and file this process built are not the
    import's memory."""
    context = multiprocessing.get_context("spawn")
    result: Any = context.Queue()
    connection.close()  # the child opens its own; SQLite sees this one's writes committed
    process = context.Process(target=import_worker.timed_import, args=(str(job_id), result))
    process.start()
    while True:
        try:
            seconds, peak_kb = result.get(timeout=5)
            break
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError("the import process failed (its traceback is above)") from None
    process.join()
    return float(seconds), int(peak_kb)


def _cells(path: Path) -> Iterator[tuple[str, ...]]:
    rows = tabular.iter_rows(path)
    next(rows)  # the header
    return (tuple("" if v is None else str(v) for v in r) for r in rows)


def run(n: int) -> dict[str, Any]:
    communities = _tree()
    user = _importer()
    existing = seed_registry(n, communities, user)
    path = build_file(n, existing, communities)
    del existing  # the bench's own list: not the import's memory
    base = baseline(_cells(path))
    start = time.perf_counter()
    for _row in _cells(path):
        pass
    read = time.perf_counter() - start
    job = ImportJob.objects.create(
        region_code=SUBDISTRICT,
        created_by=user,
        file_name=path.name,
        file_path=str(path),
        file_sha256=f"bench-{time.time()}",
    )
    seconds, peak_kb = _import_in_fresh_process(job.pk)
    job.refresh_from_db()
    peak_mb = peak_kb / 1024  # the import's process or its reading process, the larger
    return {
        "database": connection.vendor if connection.vendor != "postgresql" else "postgres",
        "rows": n,
        "seconds": round(seconds, 2),
        "rows_per_s": round(n / seconds),
        "baseline_rows_per_s": round(n / base),
        "ratio": round((n / seconds) / (n / base), 3),
        # The baseline reads the file with the same streaming reader, as the import does; these
        # two say how its time splits (reading alone, and inserting alone by difference).
        "read_rows_per_s": round(n / read),
        # On PostgreSQL the raw COPY overlaps the reading, so the difference can fall within the
        # reading's own noise; a quotient of that would print an absurd figure.
        "insert_only_rows_per_s": (round(n / (base - read)) if base - read > 0.02 * base else None),
        "peak_rss_mb": round(peak_mb),
        "outcomes": {
            "created": job.created,
            "linked": job.linked,
            "queued": job.queued,
            "rejected": job.rejected,
        },
    }


def _arguments(parser: Any) -> None:
    parser.add_argument("--rows", type=int, default=100_000)


def _run(options: dict[str, Any]) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return run(options["rows"])


def _insert_only(result: dict[str, Any]) -> str:
    figure = result["insert_only_rows_per_s"]
    return "within the reading's noise" if figure is None else f"{figure} rows/s"


def _describe(result: dict[str, Any]) -> str:
    return (
        f"import {result['rows']} rows on {result['database']}: {result['seconds']} s, "
        f"{result['rows_per_s']} rows/s; raw baseline {result['baseline_rows_per_s']} rows/s; "
        f"ratio {result['ratio']} (reading alone {result['read_rows_per_s']} rows/s, "
        f"inserting alone {_insert_only(result)}); "
        f"peak RSS {result['peak_rss_mb']} MB; "
        f"outcomes {result['outcomes']}"
    )


BENCHMARK = Benchmark(
    "import",
    "the registry import end to end vs a raw bulk insert",
    _arguments,
    _run,
    _describe,
)
