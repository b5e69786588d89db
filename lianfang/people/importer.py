"""Bulk import of arrival lists. Never blocks on a decision:

- an exact document match links the row to the existing person;
- a new person sharing a phone with another becomes a duplicate candidate;
- a bad row is rejected with reason codes (an ID cell stored as a number is rejected, never
  "repaired": Excel has already lost its last digits);
- a row whose address names no community of the importer's territory waits in the "to route"
  queue (encrypted) until a sub-district or district user assigns it.

Rows go in batches; each batch commits persons, registrations and outcomes together and skips
rows that already have an outcome, so a killed import resumes and a re-run ends in the same state.
The same row imported again adds nothing (registration ``import_key``)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from lianfang.core import bulk, crypto
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import mask_id, mask_phone, parse_phone, parse_resident_id
from lianfang.core.regioncode import subtree_q
from lianfang.people import divisions, names, risk
from lianfang.people.models import (
    DocType,
    DuplicateCandidate,
    ImportJob,
    ImportRow,
    ImportStatus,
    Person,
    PersonStatus,
    Registration,
    RowOutcome,
    Source,
    Transport,
)
from lianfang.people.services import ID_LABEL, PHONE_LABEL
from lianfang.people.tabular import detect_mapping, formula_rows, open_table
from lianfang.regions.models import Level, Region

BATCH = 5000
PAYLOAD_LABEL = "importrow.payload"
TRANSPORT_WORDS = {
    "火车": "train",
    "高铁": "train",
    "动车": "train",
    "飞机": "flight",
    "航班": "flight",
    "客车": "bus",
    "大巴": "bus",
    "汽车": "bus",
    "自驾": "car",
    "私家车": "car",
}


@dataclass
class RowResult:
    row_number: int
    outcome: str
    reasons: list[str] = field(default_factory=list)
    person_id: Any = None
    payload: str = ""


@dataclass
class Parsed:
    row_number: int
    full_name: str
    id_number: str
    gender: str
    birth_date: date | None
    phone: str
    origin: str
    departure_date: date | None
    arrival_date: date | None
    transport: str
    transport_number: str
    address: str
    region: RegionRef | None
    bidx: str = ""
    import_key: str = ""
    # Filled by prepare(): the expensive per-person values, computed where the row is parsed.
    id_enc: str = ""
    phone_enc: str = ""
    phone_bidx: str = ""
    pinyin: str = ""
    initials: str = ""
    name_birth_key: str = ""
    id_masked: str = ""
    phone_masked: str = ""
    person_pk: str = ""  # 32 hex digits (bulk.db_uuid form); used only if the row creates one
    registration_pk: str = ""


@dataclass(frozen=True)
class RegionRef:
    """A building or community a row is routed to (plain data: crosses process boundaries)."""

    pk: int
    code: str


class Router:
    """Finds the community (and building) an address names, inside the importer's territory."""

    def __init__(self, region_code: str) -> None:
        regions = Region.objects.filter(subtree_q("code", region_code), is_active=True)
        self.communities: list[tuple[str, RegionRef]] = []
        self.buildings: dict[str, list[tuple[str, RegionRef]]] = {}
        rows = regions.filter(level__in=[Level.COMMUNITY, Level.BUILDING]).order_by("code")
        for pk, code, name, level in rows.values_list("pk", "code", "name", "level"):
            ref = RegionRef(pk, code)
            if level == Level.COMMUNITY:
                for variant in {name, name.removesuffix("社区")}:
                    if len(variant) >= 2:
                        self.communities.append((variant, ref))
            else:
                self.buildings.setdefault(code[:12], []).append((name, ref))
        self.communities.sort(key=lambda x: -len(x[0]))
        for items in self.buildings.values():
            items.sort(key=lambda x: -len(x[0]))

    def to_data(self) -> tuple[Any, Any]:
        """Plain tuples, for worker processes that must not import models before setup."""
        return (
            [(name, r.pk, r.code) for name, r in self.communities],
            {k: [(name, r.pk, r.code) for name, r in v] for k, v in self.buildings.items()},
        )

    @classmethod
    def from_data(cls, data: tuple[Any, Any]) -> Router:
        router = cls.__new__(cls)
        communities, buildings = data
        router.communities = [(name, RegionRef(pk, code)) for name, pk, code in communities]
        router.buildings = {
            k: [(name, RegionRef(pk, code)) for name, pk, code in v] for k, v in buildings.items()
        }
        return router

    def route(self, address: str) -> RegionRef | None:
        for name, community in self.communities:
            if name in address:
                for bname, building in self.buildings.get(community.code, []):
                    if bname in address:
                        return building
                return community
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _date_cell(value: Any, reasons: list[str], code: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = (
        _text(value)
        .replace("/", "-")
        .replace(".", "-")
        .replace("年", "-")
        .replace("月", "-")
        .rstrip("日")
    )
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        reasons.append(code)
        return None


_TRANSPORTS = frozenset(Transport.values)


def parse_row(
    row_number: int,
    cells: list[Any],
    mapping: dict[str, int],
    router: Router,
    today: date | None = None,
) -> Parsed | RowResult:
    def cell(name: str) -> Any:
        index = mapping.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    reasons: list[str] = []
    full_name = _text(cell("full_name"))
    if not full_name:
        reasons.append("name_missing")
    raw_id = cell("id_number")
    number, gender, birth = "", "", None
    if isinstance(raw_id, int | float):
        reasons.append("id_numeric_cell")
    else:
        try:
            rid = parse_resident_id(_text(raw_id))
            number, gender, birth = rid.number, rid.gender, rid.birth_date
        except InvalidInput as exc:
            reasons.append(exc.code)
    phone = ""
    raw_phone = _text(cell("phone"))
    if raw_phone:
        try:
            phone = parse_phone(raw_phone)
        except InvalidInput:
            reasons.append("phone_invalid")
    origin = ""
    raw_origin = _text(cell("origin"))
    if raw_origin:
        origin = divisions.resolve(raw_origin) or ""
        if not origin:
            reasons.append("origin_unknown")
    departure = _date_cell(cell("departure_date"), reasons, "departure_date_invalid")
    arrival = _date_cell(cell("arrival_date"), reasons, "arrival_date_invalid")
    today = today or timezone.localdate()
    if (arrival and arrival > today) or (departure and departure > today):
        reasons.append("date_in_future")
    if departure and arrival and arrival < departure:
        reasons.append("arrival_before_departure")
    transport_text = _text(cell("transport"))
    transport = TRANSPORT_WORDS.get(
        transport_text, transport_text if transport_text in _TRANSPORTS else ""
    )
    address = _text(cell("address"))[:100]
    if reasons:
        return RowResult(row_number, RowOutcome.REJECTED, reasons)
    key_source = json.dumps([number, origin, str(departure), str(arrival)], ensure_ascii=False)
    return Parsed(
        row_number=row_number,
        full_name=full_name[:50],
        id_number=number,
        gender=gender,
        birth_date=birth,
        phone=phone,
        origin=origin,
        departure_date=departure,
        arrival_date=arrival,
        transport=transport,
        transport_number=_text(cell("transport_number"))[:30],
        address=address,
        region=router.route(address),
        bidx=crypto.blind_index(number, ID_LABEL),
        import_key=hashlib.sha256(("import:" + key_source).encode()).hexdigest(),
    )


def prepare(p: Parsed) -> Parsed:
    p.id_enc = crypto.encrypt(p.id_number, ID_LABEL)
    p.phone_enc = crypto.encrypt(p.phone, PHONE_LABEL)
    p.phone_bidx = crypto.blind_index(p.phone, PHONE_LABEL)
    p.pinyin, p.initials = names.pinyin(p.full_name), names.initials(p.full_name)
    p.name_birth_key = names.name_birth_key(p.pinyin, p.birth_date)
    p.id_masked = mask_id(p.id_number)
    p.phone_masked = mask_phone(p.phone) if p.phone else ""
    p.person_pk, p.registration_pk = uuid.uuid4().hex, uuid.uuid4().hex
    return p


def parse_batch(
    batch: list[tuple[int, list[Any]]], mapping: dict[str, int], router: Router
) -> list[Parsed | RowResult]:
    items: list[Parsed | RowResult] = []
    today = timezone.localdate()
    for number, cells in batch:
        item = parse_row(number, cells, mapping, router, today)
        items.append(prepare(item) if isinstance(item, Parsed) else item)
    return items


def _payload(p: Parsed) -> str:
    data = {
        "full_name": p.full_name,
        "id_number": p.id_number,
        "phone": p.phone,
        "origin": p.origin,
        "departure_date": str(p.departure_date or ""),
        "arrival_date": str(p.arrival_date or ""),
        "transport": p.transport,
        "transport_number": p.transport_number,
        "address": p.address,
    }
    return crypto.encrypt(json.dumps(data, ensure_ascii=False), PAYLOAD_LABEL)


PERSON_COLUMNS = (
    "id",
    "full_name",
    "name_pinyin",
    "name_initials",
    "name_birth_key",
    "doc_type",
    "id_number_enc",
    "id_number_bidx",
    "id_number_masked",
    "gender",
    "birth_date",
    "phone_enc",
    "phone_bidx",
    "phone_masked",
    "region",
    "region_code",
    "address",
    "household",
    "workplace",
    "notes",
    "status",
    "merged_into",
    "created_by",
    "created_at",
    "updated_at",
)
REGISTRATION_COLUMNS = (
    "id",
    "person",
    "region_code",
    "source",
    "origin_code",
    "departure_date",
    "arrival_date",
    "transport",
    "transport_number",
    "contact_with_cases",
    "case_status",
    "symptoms",
    "health_code",
    "risk_computed",
    "risk_category",
    "risk_override_reason",
    "risk_overridden_by",
    "verification",
    "import_key",
    "registered_by",
    "registered_at",
)
ROW_COLUMNS = ("job", "row_number", "outcome", "reasons", "person", "payload_enc")


@dataclass
class NewPerson:
    """A person to insert: the values of PERSON_COLUMNS, built once."""

    pk: str  # bulk.db_uuid form
    region_code: str
    phone_bidx: str
    name_birth_key: str
    values: tuple[Any, ...]


def _new_person(p: Parsed, region: RegionRef, user_id: int, now: Any) -> NewPerson:
    """``now`` is in the database's form (bulk.db_datetime)."""
    if not p.id_enc:
        prepare(p)
    pk, key = p.person_pk, p.name_birth_key
    values = (
        pk,
        p.full_name,
        p.pinyin,
        p.initials,
        key,
        DocType.RESIDENT_ID,
        p.id_enc,
        p.bidx,
        p.id_masked,
        p.gender,
        p.birth_date,
        p.phone_enc,
        p.phone_bidx,
        p.phone_masked,
        region.pk,
        region.code,
        p.address,
        None,
        "",
        "",
        PersonStatus.ACTIVE,
        None,
        user_id,
        now,
        now,
    )
    return NewPerson(pk, region.code, p.phone_bidx, key, values)


def process_batch(
    job: ImportJob,
    batch: list[tuple[int, list[Any]]],
    mapping: dict[str, int],
    router: Router,
    rejected: list[RowResult] | None = None,
) -> dict[str, int]:
    """Parse and write one batch (the serial path), with rows already rejected beside it."""
    return write_batch(job, [*parse_batch(batch, mapping, router), *(rejected or [])])


def recorded_rows(job: ImportJob) -> set[int]:
    """Row numbers that already have an outcome (a resumed import skips them)."""
    if not ImportRow.objects.filter(job=job).exists():
        return set()
    return set(ImportRow.objects.filter(job=job).values_list("row_number", flat=True))


def write_batch(job: ImportJob, items: list[Parsed | RowResult]) -> dict[str, int]:
    """Link, create and record one parsed batch in one transaction. The caller leaves out rows
    already recorded (a resumed import); recording one twice fails the batch as a whole."""
    counts = dict.fromkeys(RowOutcome.values, 0)
    parsed: list[Parsed] = [i for i in items if isinstance(i, Parsed)]
    results: list[RowResult] = [i for i in items if isinstance(i, RowResult)]
    # Persons created by earlier batches of this file are already in `existing`.
    existing = {
        bidx: (pk, region_code)
        for bidx, pk, region_code in _select_in(
            "SELECT id_number_bidx, id, region_code FROM people_person"
            " WHERE status = 'active' AND doc_type = 'resident_id' AND id_number_bidx IN ",
            {p.bidx for p in parsed},
        )
    }
    keys_done = {
        key
        for (key,) in _select_in(
            "SELECT import_key FROM people_registration WHERE import_key IN ",
            [p.import_key for p in parsed],
        )
    }
    new_people: dict[str, NewPerson] = {}
    registrations: list[PendingRegistration] = []
    now = bulk.db_datetime(timezone.now())
    for p in parsed:
        person_id, region_code = existing.get(p.bidx, (None, ""))
        if person_id is None and p.bidx in new_people:
            person_id, region_code = new_people[p.bidx].pk, new_people[p.bidx].region_code
        if person_id is None and p.region is None:
            results.append(
                RowResult(
                    p.row_number,
                    RowOutcome.QUEUED,
                    ["no_community_in_address"],
                    payload=_payload(p),
                )
            )
            continue
        if person_id is None:
            assert p.region is not None
            person = _new_person(p, p.region, job.created_by_id, now)
            new_people[p.bidx] = person
            outcome, person_id, region_code = RowOutcome.CREATED, person.pk, person.region_code
        else:
            outcome = RowOutcome.LINKED
        if p.import_key in keys_done:
            results.append(
                RowResult(p.row_number, RowOutcome.LINKED, ["already_imported"], person_id)
            )
            continue
        keys_done.add(p.import_key)
        results.append(RowResult(p.row_number, outcome, [], person_id))
        registrations.append(PendingRegistration(person_id, region_code, p))
    for r in results:
        counts[r.outcome] += 1
    with transaction.atomic():
        if not job.dry_run:
            _write(new_people, registrations, job.created_by_id, now)
        bulk.insert(
            ImportRow,
            ROW_COLUMNS,
            [
                (
                    bulk.db_uuid(job.pk),
                    r.row_number,
                    r.outcome,
                    ",".join(r.reasons),
                    None if job.dry_run else bulk.db_uuid(r.person_id),
                    "" if job.dry_run else r.payload,
                )
                for r in results
            ],
            ready=True,
        )
        ImportJob.objects.filter(pk=job.pk).update(
            done=F("done") + len(results),
            created=F("created") + counts["created"],
            linked=F("linked") + counts["linked"],
            queued=F("queued") + counts["queued"],
            rejected=F("rejected") + counts["rejected"],
        )
    return counts


@dataclass
class PendingRegistration:
    person_id: Any  # a UUID, or the database's form of one (hex text on SQLite)
    region_code: str
    row: Parsed


def _select_in(sql: str, values: Collection[str]) -> list[tuple[Any, ...]]:
    """Raw ``sql + (…)`` over ``values`` in chunks the database accepts. Raw, because the ORM's
    per-parameter preparation and UUID conversion cost more than the query in bulk paths."""
    values = list(values)
    size = min(connection.features.max_query_params or 900, 900)
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            cursor.execute(sql + "(" + ", ".join(["%s"] * len(chunk)) + ")", chunk)
            out.extend(cursor.fetchall())
    return out


def _write(
    new_people: dict[str, NewPerson],
    registrations: list[PendingRegistration],
    user_id: int,
    now: Any,
) -> None:
    bulk.insert(Person, PERSON_COLUMNS, [p.values for p in new_people.values()], ready=True)
    rules = risk.key_area_rules()
    rows: list[tuple[Any, ...]] = []
    for reg in registrations:
        p = reg.row
        region_code = reg.region_code
        category = risk.compute(
            case_status="",
            contact_with_cases=False,
            symptoms=[],
            origin_code=p.origin,
            travel_date=p.arrival_date or p.departure_date,
            region_code=region_code,
            rules=rules,
        )
        rows.append(
            (
                p.registration_pk or uuid.uuid4().hex,
                bulk.db_uuid(reg.person_id),
                region_code,
                Source.IMPORT,
                p.origin,
                p.departure_date,
                p.arrival_date,
                p.transport,
                p.transport_number,
                False,
                "",
                bulk.JSON_EMPTY_LIST,
                "",
                category,
                category,
                "",
                None,
                "verified",
                p.import_key,
                user_id,
                now,
            )
        )
    bulk.insert(Registration, REGISTRATION_COLUMNS, rows, ready=True)
    _duplicate_candidates(list(new_people.values()))


def _duplicate_candidates(new_people: list[NewPerson]) -> None:
    """Same phone as someone else; same pinyin name and birth date as someone else."""
    _same_name_birth(new_people)
    phones = {p.phone_bidx: p for p in new_people if p.phone_bidx}
    if not phones:
        return
    others = _select_in(
        "SELECT id, phone_bidx FROM people_person WHERE status = 'active' AND phone_bidx IN ",
        phones.keys(),
    )
    pairs = []
    for raw_pk, bidx in others:
        # Compared and ordered as 32 hex digits: the same order as the dashed form's.
        new, pk = phones[bidx], bulk.db_uuid(raw_pk)
        if pk != new.pk:
            a, b = sorted([pk, new.pk])
            pairs.append(
                DuplicateCandidate(
                    region_code=new.region_code, person_a_id=a, person_b_id=b, reason="same_phone"
                )
            )
    DuplicateCandidate.objects.bulk_create(pairs, ignore_conflicts=True)


Batch = tuple[list[tuple[int, list[Any]]], list["RowResult"]]


def _batches(
    rows: Iterator[list[Any]], size: int, skip: set[int], formulas: set[int]
) -> Iterator[Batch]:
    """Numbered non-blank rows in batches, leaving out the row numbers in ``skip``; rows with
    formula cells come back as rejections beside their batch."""
    batch: list[tuple[int, list[Any]]] = []
    rejected: list[RowResult] = []
    for number, cells in enumerate(rows, start=2):  # row 1 is the header
        if number in skip or not any(c not in (None, "") for c in cells):
            continue
        if number in formulas:
            rejected.append(RowResult(number, RowOutcome.REJECTED, ["formula_cell"]))
        else:
            batch.append((number, list(cells)))
        if len(batch) + len(rejected) >= size:
            yield batch, rejected
            batch, rejected = [], []
    if batch or rejected:
        yield batch, rejected


def run(job_id: Any) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.status == ImportStatus.DONE:
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        file_total, rows = open_table(Path(job.file_path))
        headers = next(rows, None)
        if headers is None:
            raise InvalidInput("empty_file", "文件为空。")
        mapping = detect_mapping(list(headers), job.mapping)
        router = Router(job.region_code)
        ImportJob.objects.filter(pk=job.pk).update(total=file_total)
        workers = _workers(file_total)
        batches = _batches(rows, BATCH, recorded_rows(job), formula_rows(Path(job.file_path)))
        with BulkSession() as session:
            if workers > 1:
                _run_parallel(job, batches, mapping, router, workers, session)
            else:
                for batch, rejected in batches:
                    counts = process_batch(job, batch, mapping, router, rejected)
                    session.wrote(sum(counts.values()))
    except InvalidInput as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=exc.message[:300], finished_at=timezone.now()
        )
        return ImportJob.objects.get(pk=job.pk)
    total = ImportRow.objects.filter(job=job).count()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, total=total, finished_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job.pk)


class BulkSession:
    """Database settings for one import, and fresh planner statistics on PostgreSQL.

    SQLite: the default page cache (2 MB) turns every index insert into a large registry into a
    page read, and the WAL checkpoints every 1,000 pages; the import's connection gets a 256 MB
    cache (allocated only as used) and fewer checkpoints, both reset afterwards.

    PostgreSQL: lookups by blind index and name key are planned from table statistics; a large
    import doubles a table long before autovacuum re-analyses it, and a stale plan scans the table
    per batch. The import analyses its tables at the start and whenever it has written as many
    rows again as the tables held at the last analysis."""

    TABLES = ("people_person", "people_registration", "people_duplicatecandidate")

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.written = 0
        self.next_analyse = 0

    def __enter__(self) -> BulkSession:
        with connection.cursor() as cursor:
            if self.postgres:
                self._analyse(cursor)
            else:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA wal_autocheckpoint = 20000")
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA wal_autocheckpoint = 1000")

    def wrote(self, rows: int) -> None:
        self.written += rows
        if self.postgres and self.written >= self.next_analyse:
            with connection.cursor() as cursor:
                self._analyse(cursor)

    def _analyse(self, cursor: Any) -> None:
        cursor.execute("ANALYZE " + ", ".join(self.TABLES))
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'people_person'")
        size = max(0, int(cursor.fetchone()[0]))
        self.next_analyse = self.written + max(50_000, size)


def _same_name_birth(new_people: list[NewPerson]) -> None:
    keys = {p.name_birth_key: p for p in new_people if p.name_birth_key}
    if not keys:
        return
    others = _select_in(
        "SELECT id, name_birth_key FROM people_person"
        " WHERE status = 'active' AND name_birth_key IN ",
        keys.keys(),
    )
    pairs = []
    for raw_pk, key in others:
        new, pk = keys[key], bulk.db_uuid(raw_pk)
        if pk != new.pk:
            a, b = sorted([pk, new.pk])
            pairs.append(
                DuplicateCandidate(
                    region_code=new.region_code,
                    person_a_id=a,
                    person_b_id=b,
                    reason="same_name_birth",
                )
            )
    DuplicateCandidate.objects.bulk_create(pairs, ignore_conflicts=True)


# --- parallel parsing ---------------------------------------------------------------------------
# Large files are parsed (validation, encryption, blind index, pinyin) by worker processes while
# this process writes, in order, batch by batch. Workers never touch the database: the router is
# built here and handed over. Small files stay serial (starting workers costs about a second).

PARALLEL_MIN_ROWS = 20_000


def _workers(total: int) -> int:
    import os

    configured = int(os.environ.get("LIANFANG_IMPORT_WORKERS", "0") or 0)
    count = configured or min(4, os.cpu_count() or 1)
    return count if total >= PARALLEL_MIN_ROWS else 1


def _run_parallel(
    job: ImportJob,
    batches: Iterator[Batch],
    mapping: dict[str, int],
    router: Router,
    workers: int,
    session: BulkSession,
) -> None:
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    from django.conf import settings

    from lianfang.people import import_worker

    context = multiprocessing.get_context("spawn")
    args = (mapping, router.to_data(), settings.LIANFANG_DATA_KEYS, settings.LIANFANG_INDEX_KEY)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=import_worker.init, initargs=args
    ) as pool:
        pending: deque[tuple[Future[list[Parsed | RowResult]], list[RowResult]]] = deque()

        def write_next() -> None:
            future, rejected = pending.popleft()
            session.wrote(sum(write_batch(job, [*future.result(), *rejected]).values()))

        for batch, rejected in batches:
            pending.append((pool.submit(import_worker.parse, batch), rejected))
            while len(pending) > workers * 2:
                write_next()
        while pending:
            write_next()
