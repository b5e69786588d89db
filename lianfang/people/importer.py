"""Bulk import of arrival lists. Never blocks on a decision:

- an exact document match links the row to the existing person;
- a new person sharing a phone, or a pinyin name and birth date, with another becomes a
  duplicate candidate;
- a bad row is rejected with reason codes (an ID cell stored as a number is rejected, never
  "repaired": Excel has already lost its last digits);
- a row whose address names no community of the importer's territory waits in the "to route"
  queue (encrypted) until a sub-district or district user assigns it.

Two processes for a large file (ADR 0008): a reading process streams the sheet and turns rows
into records ready to write (``importparse``: validation, encryption, blind indexes, pinyin,
routing); this process looks them up and writes them, batch by batch. Each batch commits persons,
registrations and row outcomes together; a resumed import skips rows that already have an
outcome, so a killed import resumes and a re-run ends in the same state. The same row imported
again adds nothing (registration ``import_key``)."""

from __future__ import annotations

import gc
import marshal
import queue
import re
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import crypto, sql
from lianfang.core.errors import InvalidInput
from lianfang.people import importheader, keyfilter, rowranges, tabular
from lianfang.people.importparse import (
    AMBIGUOUS,
    BIDX,
    IMPORT_KEY,
    PAYLOAD,
    PAYLOAD_LABEL,
    PERSON,
    PROBES,
    R_ARRIVAL,
    R_DEPARTURE,
    R_ORIGIN,
    R_PERSON,
    R_REGION_CODE,
    R_RISK,
    REASONS,
    REGISTRATION,
    REJECTED_LEN,
    ROW,
    SKIP_REASONS,
    Record,
    RiskMemo,
    RowParser,
    payload,
)
from lianfang.people.models import (
    DuplicateCandidate,
    ImportBatch,
    ImportJob,
    ImportRow,
    ImportStatus,
    Person,
    Registration,
    RowOutcome,
)
from lianfang.people.services import ID_LABEL, PHONE_LABEL
from lianfang.regions.selectors import Router

__all__ = ["BATCH", "PAYLOAD_LABEL", "run", "write_batch"]

BATCH = 20_000  # rows per batch handed from the reading process (and per savepoint)
TRANSACTION_ROWS = 250_000  # rows per commit
PARALLEL_MIN_ROWS = 20_000  # below this, reading in this process costs less than starting one
# An xlsx this large (~15,000 rows of an arrival list) is scanned by the reading process, while
# this one builds the key filter: the scan is a sixth of a second per 100,000 rows.
SCAN_IN_CHILD_BYTES = 512 * 1024


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
P_PK, P_NAME_BIRTH, P_BIDX, P_PHONE_BIDX, P_REGION_CODE = 0, 4, 7, 12, 15
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


# --- reading ------------------------------------------------------------------------------------


class Batch(NamedTuple):
    """Records to write, and on PostgreSQL the persons their documents found in the committed
    registry, looked up beforehand by the receiving thread (``_found_beforehand``)."""

    records: list[Record]
    found: dict[str, tuple[str, str]] | None = None


def read_batches(
    path: Path,
    parser: RowParser,
    now: Any,
    *,
    encoding: str = "",
    formulas: Collection[int] = (),
    skip: Collection[int] = (),
    size: int | None = None,
    first_row: int = 2,
) -> Iterator[list[Record]]:
    """Numbered rows from ``first_row`` (the one below the header) as records, in batches,
    leaving out the row numbers in ``skip``; rows with formula cells are rejected (their cached
    values may be stale); blank rows between rows are skipped with their reason (trailing ones,
    which a sheet often has by the thousand, are not rows of the list)."""
    size = size or BATCH
    rows = islice(tabular.iter_rows(path, encoding), first_row - 1, None)
    pending: list[tuple[int, list[Any]]] = []
    rejected: list[Record] = []  # rows with formula cells, blank rows
    blanks: list[int] = []
    for number, cells in enumerate(rows, start=first_row):
        if number in skip:
            continue
        if not any(c is not None and c != "" for c in cells):
            blanks.append(number)
            continue
        if blanks:
            rejected.extend((blank, "blank_row") for blank in blanks)
            blanks = []
        if number in formulas:
            rejected.append((number, "formula_cell"))
        else:
            pending.append((number, cells))
        if len(pending) + len(rejected) >= size:
            yield _in_row_order(parser.parse_batch(pending, now), rejected)
            pending, rejected = [], []
            parser.new_batch()
    if pending or rejected:
        yield _in_row_order(parser.parse_batch(pending, now), rejected)


def _in_row_order(records: list[Record], rejected: list[Record]) -> list[Record]:
    if rejected:
        records.extend(rejected)
        records.sort(key=itemgetter(ROW))
    return records


def _records(
    job: ImportJob,
    info: tabular.TableInfo,
    parser: RowParser,
    now: Any,
    skip: set[int],
) -> Iterator[Batch]:
    path = Path(job.file_path)
    if 0 <= info.total < PARALLEL_MIN_ROWS:
        for records in read_batches(
            path,
            parser,
            now,
            encoding=info.encoding,
            formulas=info.formula_rows,
            skip=skip,
            first_row=info.first_row,
        ):
            yield Batch(records)
        return
    yield from _read_in_process(path, info, parser, now, skip, job)


def _read_in_process(
    path: Path,
    info: tabular.TableInfo,
    parser: RowParser,
    now: Any,
    skip: set[int],
    job: ImportJob,
) -> Iterator[Batch]:
    """The same batches, read by a child process while this one writes. If the sheet was not
    scanned yet (``info.total`` -1), the child scans it and sends its row count first."""
    import multiprocessing

    from django.conf import settings

    from lianfang.people import import_worker

    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue(maxsize=2)
    args = import_worker.Args(
        path=str(path),
        encoding=info.encoding,
        formulas=info.formula_rows,
        mapping=parser.mapping,
        router=parser.router.to_data(),
        rules=parser.risk_of.rules_data(),
        user_id=parser.user_id,
        today=parser.today,
        # Records cross as marshal data (strings and numbers): PostgreSQL's COPY takes the
        # timestamp as text as well.
        now=now if isinstance(now, str) else now.isoformat(sep=" "),
        skip=skip,
        size=BATCH,
        data_keys=settings.LIANFANG_DATA_KEYS,
        index_key=settings.LIANFANG_INDEX_KEY,
        scan=info.total < 0,
        first_row=info.first_row,
        year=parser.year,
    )
    setup: Any = context.Queue(maxsize=1)
    process = context.Process(
        target=import_worker.produce, args=(channel, args, setup), daemon=True
    )
    process.start()
    # Batches are received and unmarshalled by a thread, while this one waits on the database
    # (the waits release the GIL): the next batch is ready when the last one is written.
    received: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()
    prefetch = connection.vendor == "postgresql"
    receiver = threading.Thread(
        target=_receive, args=(channel, process, received, stop, prefetch), daemon=True
    )
    try:
        setup.put(keyfilter.from_registry())  # built while the child starts
        receiver.start()
        while True:
            try:
                item = received.get(timeout=2)
            except queue.Empty:
                if not receiver.is_alive():
                    raise RuntimeError("the import's receiving thread stopped") from None
                continue
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, import_worker.Failure):
                raise InvalidInput(item.code, item.message, {"file": [item.message]})
            if isinstance(item, import_worker.Total):
                ImportJob.objects.filter(pk=job.pk).update(total=item.rows)
                continue
            if isinstance(item, import_worker.Yearless):
                parser.yearless.extend(item.texts)
                continue
            yield item
    finally:
        stop.set()
        if receiver.is_alive():
            receiver.join(5)
        if process.is_alive():
            process.terminate()
        process.join(5)
        channel.close()
        setup.close()


def _receive(
    channel: Any, process: Any, received: queue.Queue[Any], stop: threading.Event, prefetch: bool
) -> None:
    """The receiving thread of ``_read_in_process``: the child's items, batches unmarshalled
    (and with ``prefetch`` their persons looked up: ``_found_beforehand``), then None; an
    exception (the child stopped without saying why) ends the stream too."""
    try:
        _receive_items(channel, process, received, stop, prefetch)
    finally:
        if prefetch:
            connection.close()  # this thread's own connection


def _receive_items(
    channel: Any, process: Any, received: queue.Queue[Any], stop: threading.Event, prefetch: bool
) -> None:
    item: Any = ()
    while item is not None and not stop.is_set():
        try:
            item = channel.get(timeout=2)
        except queue.Empty:
            if not process.is_alive():
                item = RuntimeError("the import's reading process stopped")
            else:
                continue
        except BaseException as exc:  # a broken pipe: handed to the writing thread
            item = exc
        if isinstance(item, bytes):
            try:
                records = _unmarshal(item)
            except BaseException as exc:
                item = exc
            else:
                item = Batch(records, _found_beforehand(records) if prefetch else None)
        while not stop.is_set():
            try:
                received.put(item, timeout=1)
                break
            except queue.Full:
                continue
        if isinstance(item, BaseException):
            return


def _found_beforehand(records: list[Record]) -> dict[str, tuple[str, str]] | None:
    """The persons a batch's documents find in the committed registry, asked on the receiving
    thread's own connection (autocommit) while the writer writes the batch before: the largest
    lookup of a batch, off the path where the writer and the server take turns. Persons this
    import has written but not committed yet are not there: the writer asks its own connection
    for the documents not found here. None if the lookup fails (the writer then asks all)."""
    wanted = {r[BIDX] for r in records if len(r) != REJECTED_LEN and r[PROBES] & keyfilter.DOCUMENT}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")  # as in _write_batch
        return by_document_keys(wanted)
    except DatabaseError:
        return None


def _unmarshal(data: bytes) -> list[Record]:
    """A batch as the reading process sent it (``import_worker``: plain tuples, marshalled)."""
    rows: list[Record] = marshal.loads(data)  # noqa: S302 — from our own reading process
    return rows


# --- writing ------------------------------------------------------------------------------------


def recorded_rows(job: ImportJob) -> set[int]:
    """Row numbers that already have an outcome (a resumed import skips them)."""
    rows = set(ImportRow.objects.filter(job=job).values_list("row_number", flat=True))
    for created, linked in ImportBatch.objects.filter(job=job).values_list(
        "created_rows", "linked_rows"
    ):
        rows.update(rowranges.unpack(created))
        rows.update(rowranges.unpack(linked))
    return rows


def recorded_count(job: ImportJob) -> int:
    batches = ImportBatch.objects.filter(job=job).values_list("created_rows", "linked_rows")
    return ImportRow.objects.filter(job=job).count() + sum(
        rowranges.count(created) + rowranges.count(linked) for created, linked in batches
    )


def write_batch(
    job: ImportJob,
    records: list[Record],
    risk_of: RiskMemo | None = None,
    *,
    contended: bool = True,
    found: dict[str, tuple[str, str]] | None = None,
    first_rows: dict[str, int] | None = None,
) -> dict[str, int]:
    """Link, create and record one batch. The caller leaves out rows already recorded (a resumed
    import skips them: ``recorded_rows``). Lookups are made for the keys the
    reading process could not rule out (a record's probes); if a key it ruled out was written
    meanwhile by somebody else, a unique index says so and the batch is written again with every
    lookup: for that, a ``contended`` batch is written in a savepoint. The caller may say the
    batch is not contended when nobody else can have written since the key filter was built
    (``BulkSession.contended``): on SQLite a savepoint copies every page the batch touches.
    ``found``: persons the batch's documents found beforehand in the committed registry
    (``_found_beforehand``); the documents not among them are asked here. ``first_rows``: the
    import key → row number of the rows this file created or linked so far (a row repeated
    later in the file is linked to its first, and its outcome names it)."""
    first_rows = {} if first_rows is None else first_rows
    if not contended:
        return _write_batch(job, records, risk_of or RiskMemo(), found, first_rows)
    try:
        with transaction.atomic():
            return _write_batch(job, records, risk_of or RiskMemo(), found, first_rows)
    except IntegrityError:
        if all(len(r) == REJECTED_LEN or r[PROBES] == keyfilter.ALL for r in records):
            raise
    for r in records:  # the rolled-back batch's rows are not "earlier in this file"
        if len(r) != REJECTED_LEN and first_rows.get(r[IMPORT_KEY]) == r[ROW]:
            del first_rows[r[IMPORT_KEY]]
    everything = [r if len(r) == REJECTED_LEN else (*r[:PROBES], keyfilter.ALL) for r in records]
    with transaction.atomic():
        return _write_batch(job, everything, risk_of or RiskMemo(), found, first_rows)


def by_document_keys(bidxs: Collection[str]) -> dict[str, tuple[str, str]]:
    """Active persons with these resident-ID blind indexes: {bidx: (id as 32 hex digits, region
    code)}. The id is made by the server in the form records carry (SQLite stores exactly
    that), not as a UUID object per row here."""
    id_hex = "replace(id::text, '-', '')" if connection.vendor == "postgresql" else "id"
    return {
        bidx: (pk, region_code)
        for bidx, pk, region_code in _select_in(
            f"SELECT id_number_bidx, {id_hex}, region_code FROM people_person"  # noqa: S608
            # The terms of the partial unique index, so that SQLite uses it (models.by_document).
            " WHERE status = 'active' AND NOT (id_number_bidx = '') AND doc_type = 'resident_id'"
            " AND id_number_bidx IN ",
            bidxs,
        )
    }


def _write_batch(
    job: ImportJob,
    records: list[Record],
    risk_of: RiskMemo,
    found: dict[str, tuple[str, str]] | None,
    first_rows: dict[str, int],
) -> dict[str, int]:
    prior = _no_scans()
    counts = dict.fromkeys(RowOutcome.values, 0)
    prepared = [r for r in records if len(r) != REJECTED_LEN]
    wanted = {p[BIDX] for p in prepared if p[PROBES] & keyfilter.DOCUMENT}
    # Persons created by earlier batches of this file are found here too (same connection);
    # those found beforehand in the committed registry (``found``) are not asked again.
    existing = dict(found or {})
    existing.update(by_document_keys(wanted - existing.keys()))
    # A row imported before has its registration under the person its document finds: asked
    # only for those persons (a new person has no registrations yet), as (person, key) pairs.
    keys_done = _imported(
        {
            (sql.db_uuid(existing[p[BIDX]][0]), p[IMPORT_KEY])
            for p in prepared
            if p[PROBES] & keyfilter.IMPORT_KEY and p[BIDX] in existing
        }
    )
    job_pk, dry, territory = sql.db_uuid(job.pk), job.dry_run, job.region_code
    new_people: dict[str, tuple[Any, ...]] = {}
    probed: dict[int, list[tuple[Any, ...]]] = {keyfilter.NAME_BIRTH: [], keyfilter.PHONE: []}
    registrations: list[tuple[Any, ...]] = []
    outcomes: list[tuple[Any, ...]] = []  # rows with a remark (queued, rejected, already imported)
    plain: dict[str, list[int]] = {RowOutcome.CREATED: [], RowOutcome.LINKED: []}
    for r in records:
        if len(r) == REJECTED_LEN:
            rejected = RowOutcome.SKIPPED if r[REASONS] in SKIP_REASONS else RowOutcome.REJECTED
            outcomes.append((job_pk, r[ROW], rejected, r[REASONS], None, ""))
            counts[rejected] += 1
            continue
        row_number, bidx, import_key, probes = r[ROW], r[BIDX], r[IMPORT_KEY], r[PROBES]
        registration = r[REGISTRATION]
        if not probes & keyfilter.DOCUMENT and r[PERSON]:
            # Nobody has the document (the key filter is sure of a "no"): the row's new person
            # and its registration as the reading process built them. Most rows of a list.
            person = new_people[bidx] = r[PERSON]
            for kind, checks in probed.items():
                if probes & kind:
                    checks.append(person)
            keys_done.add((person[P_PK], import_key))
            first_rows[import_key] = row_number
            plain[RowOutcome.CREATED].append(row_number)
            counts[RowOutcome.CREATED] += 1
            registrations.append(registration)
            continue
        first = first_rows.get(import_key)
        if first is not None:  # the same row earlier in this file: linked to what it did
            outcomes.append(
                (job_pk, row_number, RowOutcome.LINKED, f"duplicate_row:{first}", None, "")
            )
            counts[RowOutcome.LINKED] += 1
            continue
        person_id, region_code = existing.get(bidx, (None, ""))
        outcome = RowOutcome.LINKED
        # A person of another territory is never written to by this import: the row waits in
        # the queue of the person's territory, and its outcome does not say where that is.
        elsewhere = person_id is not None and not region_code.startswith(territory)
        if person_id is None:
            person = new_people.get(bidx)
            if person is None and not r[PERSON]:
                reason = (
                    "community_ambiguous"
                    if registration[R_REGION_CODE] == AMBIGUOUS
                    else "no_community_in_address"
                )
                outcomes.append(
                    (job_pk, row_number, RowOutcome.QUEUED, reason, None,
                     "" if dry else r[PAYLOAD])
                )  # fmt: skip
                counts[RowOutcome.QUEUED] += 1
                continue
            if person is None:
                person = new_people[bidx] = r[PERSON]
                outcome = RowOutcome.CREATED
                for kind, checks in probed.items():
                    if probes & kind:
                        checks.append(person)
            person_id, region_code = person[P_PK], person[P_REGION_CODE]
        person_id = sql.db_uuid(person_id)
        pair = (person_id, import_key)
        if pair in keys_done:
            outcomes.append(
                (job_pk, row_number, RowOutcome.LINKED, "already_imported",
                 None if dry else person_id, "")
            )  # fmt: skip
            counts[RowOutcome.LINKED] += 1
            continue
        if elsewhere:
            outcomes.append(
                (job_pk, row_number, RowOutcome.QUEUED, "registered_elsewhere",
                 None if dry else person_id, "" if dry else _answers(r))
            )  # fmt: skip
            counts[RowOutcome.QUEUED] += 1
            continue
        keys_done.add(pair)
        first_rows[import_key] = row_number
        plain[outcome].append(row_number)
        counts[outcome] += 1
        if region_code != registration[R_REGION_CODE] or person_id != registration[R_PERSON]:
            category = risk_of(
                registration[R_ORIGIN],
                registration[R_ARRIVAL] or registration[R_DEPARTURE],
                region_code,
            )
            registration = (
                registration[0],
                person_id,
                region_code,
                *registration[R_REGION_CODE + 1 : R_RISK],
                category,
                category,
                *registration[R_RISK + 2 :],
            )
        registrations.append(registration)
    if not dry:
        # In key order: the unique document index and the registrations' person index then
        # take their inserts page after page (random keys otherwise touch a page each).
        sql.insert(
            Person, PERSON_COLUMNS, sorted(new_people.values(), key=itemgetter(P_BIDX)), ready=True
        )
        registrations.sort(key=itemgetter(1))
        sql.insert(Registration, REGISTRATION_COLUMNS, registrations, ready=True)
        _candidates(probed[keyfilter.NAME_BIRTH], P_NAME_BIRTH, "name_birth_key", "same_name_birth")
        _candidates(probed[keyfilter.PHONE], P_PHONE_BIDX, "phone_bidx", "same_phone")
    sql.insert(ImportRow, ROW_COLUMNS, outcomes, ready=True)
    if plain[RowOutcome.CREATED] or plain[RowOutcome.LINKED]:
        ImportBatch.objects.create(
            job_id=job.pk,
            created_rows=rowranges.pack(plain[RowOutcome.CREATED]),
            linked_rows=rowranges.pack(plain[RowOutcome.LINKED]),
        )
    ImportJob.objects.filter(pk=job.pk).update(
        done=F("done") + len(records),
        created=F("created") + counts["created"],
        linked=F("linked") + counts["linked"],
        queued=F("queued") + counts["queued"],
        rejected=F("rejected") + counts["rejected"],
        skipped=F("skipped") + counts["skipped"],
    )
    if prior is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [prior])
    return counts


def _answers(record: Record) -> str:
    """The encrypted answers of a prepared row, for the "to route" queue: the reading process
    made them for a row without a community; a row that found a person of another territory
    (rare) has them rebuilt here from its person and registration."""
    if record[PAYLOAD]:
        return str(record[PAYLOAD])
    person, registration = record[PERSON], record[REGISTRATION]
    return payload(
        person[1],
        crypto.decrypt(person[6], ID_LABEL),
        crypto.decrypt(person[11], PHONE_LABEL),
        registration[R_ORIGIN],
        registration[R_DEPARTURE] or None,
        registration[R_ARRIVAL] or None,
        registration[7],
        registration[8],
        person[16],
    )


def _no_scans() -> str | None:
    """PostgreSQL: no sequential scans for the batch's statements (the setting as it was is
    returned, and put back when the batch is written; a failed batch's savepoint puts it back
    itself). Every query of a batch looks up its keys: an index is always the way. The planner's
    statistics are those of the last analysis, and a table that was small then (the
    registrations of a new registry) is estimated to match a large share of its rows: the
    "already imported" lookup became a scan of the whole table, per batch (ADR 0011). Put back,
    because an import may run inside a larger transaction (the demo's seeding, tests) whose
    other statements must plan as usual."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        prior: str = cursor.fetchone()[0]
    return prior


def _select_in(statement: str, values: Collection[str], array: str = "") -> list[tuple[Any, ...]]:
    """Raw ``statement + (…)`` over ``values`` in chunks the database accepts. Raw: the ORM's
    per-parameter preparation and UUID conversion cost more than the query in bulk paths.
    ``array``: the PostgreSQL array type the values are cast to (``uuid[]`` for ids as text)."""
    values = list(values)
    out: list[tuple[Any, ...]] = []
    if not values:
        return out
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement, the values as one array
            cast = f"::{array or 'text[]'}"
            cursor.execute(
                statement.removesuffix(" IN ") + f" = ANY(%s{cast})", [_pg_array(values)]
            )
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows
        size = min(connection.features.max_query_params or 900, 900)
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            cursor.execute(statement + "(" + ", ".join(["%s"] * len(chunk)) + ")", chunk)
            out.extend(cursor.fetchall())
    return out


_PLAIN_ARRAY = re.compile(r"[0-9A-Za-z|:._-]+(?:,[0-9A-Za-z|:._-]+)*")
_NULL_ELEMENT = re.compile(r"(?:^|,)null(?:,|$)", re.IGNORECASE)


def _pg_array(values: list[str]) -> str | list[str]:
    """The values as PostgreSQL's array text when none needs quoting (keys, hex ids: the usual
    case — joined in one call instead of psycopg quoting each); else the list, for psycopg."""
    joined = ",".join(values)
    plain = joined.count(",") == len(values) - 1 and _PLAIN_ARRAY.fullmatch(joined)
    if plain and not _NULL_ELEMENT.search(joined):
        return "{" + joined + "}"
    return values


def _imported(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of the (person id as 32 hex digits, import key) pairs that have a registration. Asked
    by person only, through the (person, import_key) index that holds both columns: a person has
    a handful of registrations, and a list of persons and one of keys would make SQLite seek
    every combination of the two."""
    rows = _select_in(
        "SELECT person_id, import_key FROM people_registration"
        " WHERE import_key IS NOT NULL AND person_id IN ",
        sorted({p for p, _k in pairs}),
        array="uuid[]",
    )
    return {(sql.db_uuid(pk), key) for pk, key in rows} & pairs


def same_key_sql(column: str) -> str:
    """Active persons by one of the match keys (``name_birth_key``, ``phone_bidx``), for
    ``_select_in``: the partial index's term repeated (``models.by_phone``)."""
    return (
        f"SELECT id, {column} FROM people_person WHERE status = 'active'"  # noqa: S608
        f" AND NOT ({column} = '') AND {column} IN "
    )


def _candidates(new_people: list[tuple[Any, ...]], index: int, column: str, reason: str) -> None:
    keyed = {p[index]: p for p in new_people if p[index]}
    if not keyed:
        return
    others = _select_in(same_key_sql(column), keyed.keys())
    pairs = []
    for raw_pk, key in others:
        # Compared and ordered as 32 hex digits: the same order as the dashed form's.
        new, pk = keyed[key], sql.db_uuid(raw_pk)
        if pk != new[P_PK]:
            a, b = sorted([pk, new[P_PK]])
            pairs.append(
                DuplicateCandidate(
                    region_code=new[P_REGION_CODE], person_a_id=a, person_b_id=b, reason=reason
                )
            )
    DuplicateCandidate.objects.bulk_create(pairs, ignore_conflicts=True)


# --- the job ------------------------------------------------------------------------------------


def run(job_id: Any) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.MAPPING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        path = Path(job.file_path)
        large = (
            path.suffix.lower() == ".xlsx"
            and path.is_file()
            and path.stat().st_size >= SCAN_IN_CHILD_BYTES
        )
        info = tabular.inspect(path, scan=not large, header_row=job.header_row)
        if not any(any(c not in (None, "") for c in row) for row in info.head):
            raise InvalidInput("empty_file", _("文件是空的：没有任何内容。"))
        found = info.found
        assert found is not None
        mapping = mapping_of(job, info)
        year = importheader.list_year(info.head, found, mapping)
        parser = RowParser(
            mapping,
            Router.for_territory(job.region_code),
            job.created_by_id,
            timezone.localdate(),
            year=year,
        )
        notes = {
            "header_rows": [found.first, found.last],
            "header_found": found.found or job.header_row is not None,
            "year": parser.year,
            "year_from": "list" if year else "today",
        }
        ImportJob.objects.filter(pk=job.pk).update(notes=notes)
        if info.total >= 0:  # else the reading process sends it (a large xlsx)
            ImportJob.objects.filter(pk=job.pk).update(total=info.total)
        now = sql.db_datetime(timezone.now())
        risk_of = parser.risk_of
        batches = _records(job, info, parser, now, recorded_rows(job))
        first_rows: dict[str, int] = {}
        with BulkSession() as session, _no_cyclic_gc():
            finished = False
            while not finished:
                # Several batches per transaction: every commit writes each index page the
                # batches touched, and random keys touch most of them (ADR 0008).
                finished, written = True, 0
                with transaction.atomic():
                    contended = session.contended()
                    for records, found_before in batches:
                        counts = write_batch(
                            job,
                            records,
                            risk_of,
                            contended=contended,
                            found=found_before,
                            first_rows=first_rows,
                        )
                        written += sum(counts.values())
                        if written >= TRANSACTION_ROWS:
                            finished = False
                            break
        if parser.yearless:
            notes["yearless"] = sorted(set(parser.yearless))[:5]
            ImportJob.objects.filter(pk=job.pk).update(notes=notes)
        total = recorded_count(job)
        people = total - ImportJob.objects.get(pk=job.pk).skipped
        if people <= 0:
            raise InvalidInput(
                "no_rows",
                _("表头（第 %(row)s 行）下面没有人员行，没有导入任何人。") % {"row": found.last},
            )
    except InvalidInput as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=exc.message[:300], finished_at=timezone.now()
        )
        return ImportJob.objects.get(pk=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, total=total, finished_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job.pk)


def mapping_of(job: ImportJob, info: tabular.TableInfo) -> dict[str, int]:
    """Field → column: as the worker confirmed it in the mapping step, else recognised from the
    header (a saved mapping's header texts first)."""
    if job.columns:
        columns = {
            f: int(i)
            for f, i in job.columns.items()
            if f in importheader.SYNONYMS and str(i).isdigit()
        }
        return importheader.require(columns)
    return tabular.detect_mapping(info.header, job.mapping)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Batches are tuples of strings: the cyclic collector would walk them again and again for
    nothing. Reference counting still frees every batch once written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BulkSession:
    """Database settings for one import.

    SQLite: the default page cache (2 MB) turns every index insert into a large registry into a
    page read, and the WAL checkpoints every 1,000 pages; the import's connection gets a 256 MB
    cache (allocated only as used) and fewer checkpoints, both reset afterwards.

    PostgreSQL: nothing. The batch lookups do not depend on fresh statistics (they never scan a
    table: ``_write_batch``), so the import no longer analyses its tables on its way (ADR 0011);
    autovacuum analyses them after the commits, as after any large change."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.data_version: int | None = None

    def contended(self) -> bool:
        """Whether somebody else may write keys while this transaction writes (call it at the
        start of each). PostgreSQL: always. SQLite allows one writer and the import's transaction
        holds the lock from its start (BEGIN IMMEDIATE): only keys committed by others between
        two of its transactions can surprise it, and ``data_version`` says whether any commit
        came in between. The first transaction reads the key filter inside it."""
        if self.postgres:
            return True
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            version = cursor.fetchone()[0]
        others_wrote = self.data_version is not None and version != self.data_version
        self.data_version = version
        return others_wrote

    def __enter__(self) -> BulkSession:
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA wal_autocheckpoint = 20000")
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA wal_autocheckpoint = 1000")
