"""Fast bulk inserts for large imports: rows as tuples, adapted per column once, written with
``executemany`` on SQLite and ``COPY`` on PostgreSQL. No model instances, no signals, no audit
entries: only for bulk paths whose rows are validated beforehand (the importer)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Bulk rows repeat the same timestamps and dates: adapt each distinct value once."""
    seen: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = adapt(value)
            return result

    return adapted


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes a database parameter; None when it passes as is."""
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    if kind == "UUIDField":
        # UUIDs, or values already in the database's form (read back by raw SQL)
        return None if postgres else (lambda v: v if v is None or isinstance(v, str) else v.hex)
    if kind == "DateTimeField":
        return _memo(ops.adapt_datetimefield_value)
    if kind == "DateField":
        return _memo(ops.adapt_datefield_value)
    if kind == "JSONField":
        if postgres:
            from psycopg.types.json import Jsonb

            return Jsonb
        return json.dumps
    return None


adapter = _adapter  # public: other lean paths prepare their values the same way


def insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ready: bool = False,
) -> int:
    """Insert ``rows`` (values in the order of ``names``) into ``model``'s table. With
    ``ready=True`` the values are already in the database's form (see ``db_values``) and pass
    as they are."""
    fields = [model._meta.get_field(n) for n in names]
    adapters = [_adapter(f) for f in fields]  # type: ignore[arg-type]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    table = connection.ops.quote_name(model._meta.db_table)
    prepared = list(rows) if ready else _prepare(adapters, rows)
    if not prepared:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's own cursor: wrapped so its errors are Django's (IntegrityError …).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
    return len(prepared)


def _prepare(
    adapters: list[Callable[[Any], Any] | None], rows: Iterable[Sequence[Any]]
) -> list[Sequence[Any]]:
    todo = [(i, a) for i, a in enumerate(adapters) if a is not None]
    if not todo:
        return list(rows)
    prepared: list[Sequence[Any]] = []
    for row in rows:
        values = list(row)
        if len(values) != len(adapters):
            raise ValueError(f"row has {len(values)} values for {len(adapters)} columns")
        for i, adapt in todo:
            values[i] = adapt(values[i])
        prepared.append(values)
    return prepared


def db_uuid(value: Any) -> Any:
    """A UUID in the form both backends accept for a uuid column in bulk paths: 32 hex digits
    (SQLite stores exactly that; PostgreSQL's COPY parses it)."""
    return value.hex if hasattr(value, "hex") and not isinstance(value, str) else value


def db_datetime(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


JSON_EMPTY_LIST = "[]"  # a JSON column's empty list, ready for either backend
