"""Fast bulk inserts for large imports: rows as tuples, adapted per column once, written with
``executemany`` on SQLite and ``COPY`` on PostgreSQL. No model instances, no signals, no audit
entries: only for bulk paths whose rows are validated beforehand (the importer)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    if kind == "UUIDField":
        return (lambda v: v) if postgres else (lambda v: None if v is None else v.hex)
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        if postgres:
            from psycopg.types.json import Jsonb

            return Jsonb
        return json.dumps
    return lambda v: v


def insert(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (values in the order of ``names``) into ``model``'s table."""
    fields = [model._meta.get_field(n) for n in names]
    adapters = [_adapter(f) for f in fields]  # type: ignore[arg-type]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    table = connection.ops.quote_name(model._meta.db_table)
    prepared = [tuple(a(v) for a, v in zip(adapters, row, strict=True)) for row in rows]
    if not prepared:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
    return len(prepared)
