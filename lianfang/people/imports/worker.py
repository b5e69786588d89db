"""The import's reading process (spawned): streams the file, turns rows into records ready to
write (``parse``) and hands them over in batches through a queue. It never touches the
database. This module imports nothing from Django models at import time: the child unpickles
``produce`` before Django is set up."""

from __future__ import annotations

import queue
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Args:
    path: str
    encoding: str
    formulas: set[int]
    mapping: dict[str, int]
    router: Any  # Router.to_data()
    rules: Any  # RiskMemo.rules_data()
    user_id: int | None
    today: date
    now: Any  # the database's form of the import's timestamp
    skip: set[int]
    size: int
    data_keys: str
    index_key: str
    scan: bool = False  # scan the sheet first (count, formula rows): ``Total``
    first_row: int = 2  # the row below the header
    year: int | None = None  # of dates written without one (``RowParser``)


@dataclass(frozen=True)
class Total:
    """The sheet's number of data rows, sent first when this process scans the sheet."""

    rows: int


@dataclass(frozen=True)
class Yearless:
    """Date texts written without a year, sent last (the writer notes them on the job)."""

    texts: list[str]


@dataclass(frozen=True)
class Failure:
    """The file could not be read to its end: the import fails with this message."""

    code: str
    message: str


def produce(channel: Any, args: Args, setup: Any) -> None:
    """``setup`` brings the key filter (``keyfilter.KeyFilter``), built by the writing process
    while this one starts. If the writing process dies (killed mid-import), this one notices
    within seconds and exits: the import is resumed later from the rows recorded. One function
    because the child process is this function: its imports run after ``django.setup()``, and
    its helpers close over the channel and the parent's pid."""
    import gc
    import marshal
    import os
    from pathlib import Path

    import django
    from django.conf import settings

    parent = os.getppid()
    django.setup()
    settings.LIANFANG_DATA_KEYS, settings.LIANFANG_INDEX_KEY = args.data_keys, args.index_key
    from lianfang.core import crypto
    from lianfang.core.errors import InvalidInput
    from lianfang.people.imports import tabular
    from lianfang.people.imports.parse import RiskMemo, RowParser
    from lianfang.people.imports.reading import read_batches
    from lianfang.people.imports.records import to_plain
    from lianfang.regions.selectors import Router

    crypto._current.clear()
    gc.freeze()  # what setup loaded: never collected
    gc.disable()  # records are tuples of strings: no cycles to collect while reading

    def send(item: Any) -> None:
        while True:
            try:
                channel.put(item, timeout=2)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(0)

    def wait_for_keys() -> Any:
        while True:
            try:
                return setup.get(timeout=2)
            except queue.Empty:
                if os.getppid() != parent:
                    os._exit(0)

    try:
        formulas = args.formulas
        failed: Exception | None = None
        if args.scan:  # while the writing process builds the key filter
            try:
                found = tabular.check_scan(Path(args.path))
            except Exception as exc:  # reported below, once the key filter is taken
                failed = exc
            else:
                formulas = found.formula_rows
                send(Total(max(0, found.rows - 1)))
        # Always taken, even by a failed scan: the writer's queue thread would otherwise wait
        # forever on a full pipe to hand it over.
        keys = wait_for_keys()
        if failed is not None:
            raise failed
        router = Router.from_data(args.router)
        parser = RowParser(
            args.mapping,
            router,
            args.user_id,
            args.today,
            keys,
            RiskMemo.from_data(args.rules),
            year=args.year,
        )
        for batch in read_batches(
            Path(args.path),
            parser,
            args.now,
            encoding=args.encoding,
            formulas=formulas,
            skip=args.skip,
            size=args.size,
            first_row=args.first_row,
        ):
            # marshal, not the queue's pickle: a third of the cost on each side (records are
            # plain tuples of strings and numbers; both processes run the same interpreter).
            send(marshal.dumps(to_plain(batch), 4))
        if parser.yearless:
            send(Yearless(parser.yearless[:20]))
    except InvalidInput as exc:
        send(Failure(exc.code, exc.message))
    except Exception as exc:  # a damaged file found late: fail the import, say what kind
        unreadable = tabular.unreadable(exc)
        send(Failure(unreadable.code, unreadable.message))
    send(None)
    channel.close()
    channel.join_thread()
