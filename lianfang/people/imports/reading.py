"""Reading a list into batches of records: in this process for a small file; for a large one
by a spawned reading process (``worker``) that streams the sheet while this one writes, its
batches received by a thread (ADR 0008)."""

from __future__ import annotations

import marshal
import queue
import threading
from collections.abc import Collection, Iterator
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

from lianfang.core.errors import InvalidInput
from lianfang.people.imports import fastsql, keyfilter, tabular
from lianfang.people.imports.parse import RowParser
from lianfang.people.imports.records import Prepared, Record, Rejected, from_plain
from lianfang.people.models import ImportJob

BATCH = 20_000  # rows per batch handed from the reading process (and per savepoint)
PARALLEL_MIN_ROWS = 20_000  # below this, reading in this process costs less than starting one


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
            rejected.extend(Rejected(blank, "blank_row") for blank in blanks)
            blanks = []
        if number in formulas:
            rejected.append(Rejected(number, "formula_cell"))
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
        records.sort(key=attrgetter("row"))
    return records


def batches(
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
    scanned yet (``info.total`` -1), the child scans it and sends its row count first. One
    function because the process, the queues and the thread are started and stopped together
    (the ``finally`` stops all three)."""
    import multiprocessing

    from django.conf import settings

    from lianfang.people.imports import worker

    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue(maxsize=2)
    args = worker.Args(
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
    process = context.Process(target=worker.produce, args=(channel, args, setup), daemon=True)
    process.start()
    # Batches are received and unmarshalled by a thread, while this one waits on the database
    # (the waits release the GIL): the next batch is ready when the last one is written.
    received: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()
    prefetch = fastsql.prefetches()
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
            if isinstance(item, worker.Failure):
                raise InvalidInput(item.code, item.message, {"file": [item.message]})
            if isinstance(item, worker.Total):
                ImportJob.objects.filter(pk=job.pk).update(total=item.rows)
                continue
            if isinstance(item, worker.Yearless):
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
            fastsql.close_thread_connection()


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
    thread's own connection while the writer writes the batch before: the largest lookup of a
    batch, off the path where the writer and the server take turns. Persons this import has
    written but not committed yet are not there: the writer asks its own connection for the
    documents not found here. None if the lookup fails (the writer then asks all)."""
    wanted = {r.bidx for r in records if isinstance(r, Prepared) and r.probes & keyfilter.DOCUMENT}
    return fastsql.by_document_keys_committed(wanted)


def _unmarshal(data: bytes) -> list[Record]:
    """A batch as the reading process sent it (``worker``: plain tuples, marshalled)."""
    return from_plain(marshal.loads(data))  # noqa: S302 — from our own reading process
