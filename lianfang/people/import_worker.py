"""The import's reading process (spawned): streams the file, turns rows into records ready to
write (``importparse``) and hands them over in batches through a queue. It never touches the
database. This module imports nothing from Django models at import time: the child unpickles
``produce`` before Django is set up."""

from __future__ import annotations

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
    user_id: int | None
    today: date
    now: Any  # the database's form of the import's timestamp
    skip: set[int]
    size: int
    data_keys: str
    index_key: str


@dataclass(frozen=True)
class Failure:
    """The file could not be read to its end: the import fails with this message."""

    code: str
    message: str


def produce(channel: Any, args: Args, setup: Any) -> None:
    """``setup`` brings the key filter (``keyfilter.KeyFilter``), built by the writing process
    while this one starts."""
    import django
    from django.conf import settings

    django.setup()
    settings.LIANFANG_DATA_KEYS, settings.LIANFANG_INDEX_KEY = args.data_keys, args.index_key
    from pathlib import Path

    from lianfang.core import crypto
    from lianfang.core.errors import InvalidInput
    from lianfang.people.importer import read_batches
    from lianfang.people.importparse import Router, RowParser

    crypto._current.clear()
    import gc

    gc.freeze()  # what setup loaded: never collected
    gc.disable()  # records are tuples of strings: no cycles to collect while reading
    keys = setup.get()
    parser = RowParser(args.mapping, Router.from_data(args.router), args.user_id, args.today, keys)
    try:
        for batch in read_batches(
            Path(args.path),
            parser,
            args.now,
            encoding=args.encoding,
            formulas=args.formulas,
            skip=args.skip,
            size=args.size,
        ):
            channel.put(batch)
    except InvalidInput as exc:
        channel.put(Failure(exc.code, exc.message))
    except Exception as exc:  # a damaged file found late: fail the import, say what kind
        channel.put(Failure("file_unreadable", f"无法读取表格文件：{type(exc).__name__}"))
    channel.put(None)
    channel.close()
    channel.join_thread()
