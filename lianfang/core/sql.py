"""The one SQL builder of the apps' fast paths (ADR 0005): quoted tables and column lists from the
models' fields by name (a renamed field fails loudly here), each column's value adapter, the bulk
insert (``executemany`` on SQLite, ``COPY`` on PostgreSQL) and model instances from one plain
SELECT. Each app's ``fastsql`` module builds its statements from these; nothing else writes SQL
text by hand. What is derived from the schema is memoised per process with ``functools.cache``
(it never changes while the process runs); data caches use ``core.cache.per_process``."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.fields.related import RelatedField

Adapter = Callable[[Any], Any]
_M = TypeVar("_M", bound=models.Model)

JSON_EMPTY_LIST = "[]"  # a JSON column's empty list, ready for either backend


def quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted."""
    return quote(model._meta.db_table)


@dataclass(frozen=True)
class Columns:
    """Some of a model's fields, by name, in a fixed order: what a statement lists and how each
    value becomes a parameter."""

    table: str
    names: tuple[str, ...]
    attnames: tuple[str, ...]
    quoted: tuple[str, ...]
    adapters: tuple[Adapter | None, ...]
    db_types: tuple[str, ...]  # each column's type on this database (a foreign key's target's)

    @property
    def column_list(self) -> str:
        """``"a", "b", …`` for an INSERT's column list or a SELECT list."""
        return ", ".join(self.quoted)

    def marks(self) -> str:
        """``(%s, %s, …)``: one row of parameters."""
        return "(" + ", ".join(["%s"] * len(self.names)) + ")"

    def typed_marks(self) -> str:
        """``%s::uuid, %s::varchar(30), …`` (PostgreSQL): parameters that carry their column's
        type, for a ``SELECT`` or ``VALUES`` list the server cannot infer types for."""
        return ", ".join(f"%s::{kind}" for kind in self.db_types)

    def insert(self, rows: int = 1, *, suffix: str = "") -> str:
        """``INSERT INTO t (cols) VALUES (…)[, (…)…] <suffix>``."""
        values = ", ".join([self.marks()] * rows)
        return f"INSERT INTO {self.table} ({self.column_list}) VALUES {values} {suffix}".rstrip()  # noqa: S608

    def row(self, values: Mapping[str, Any]) -> list[Any]:
        """The parameters for one row, from ``values`` keyed by field name."""
        out = []
        for name, adapt in zip(self.names, self.adapters, strict=True):
            value = values[name]
            out.append(adapt(value) if adapt is not None and value is not None else value)
        return out


def columns(model: type[models.Model], names: Sequence[str] | None = None) -> Columns:
    """``names`` of ``model`` (all concrete fields when None) as a ``Columns``."""
    return _columns(model, tuple(names) if names is not None else None, connection.vendor)


@functools.cache
def _columns(model: type[models.Model], names: tuple[str, ...] | None, vendor: str) -> Columns:
    fields: list[Any] = (
        list(model._meta.concrete_fields)
        if names is None
        else [model._meta.get_field(n) for n in names]
    )
    return Columns(
        table=table(model),
        names=tuple(f.name for f in fields),
        attnames=tuple(f.attname for f in fields),
        quoted=tuple(quote(f.column) for f in fields),
        adapters=tuple(adapter(f) for f in fields),
        db_types=tuple(_db_type(f) for f in fields),
    )


def _db_type(field: Any) -> str:
    kind = field.target_field.rel_db_type(connection) if field.is_relation else None
    return str(kind or field.db_type(connection))


def _memo(adapt: Adapter) -> Adapter:
    """Bulk rows repeat the same timestamps and dates: adapt each distinct value once."""
    seen: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = adapt(value)
            return result

    return adapted


def adapter(field: models.Field[Any, Any]) -> Adapter | None:
    """How a column's Python value becomes a database parameter; None when it passes as is."""
    target = field.target_field if isinstance(field, RelatedField) else field
    kind = target.get_internal_type()
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    if kind == "UUIDField":
        # UUIDs, or values already in the database's form (read back by raw SQL)
        return None if postgres else (lambda v: v if v is None or isinstance(v, str) else v.hex)
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        if postgres:
            from psycopg.types.json import Jsonb

            return Jsonb
        return json.dumps
    return None


def insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ready: bool = False,
) -> int:
    """Insert ``rows`` (values in the order of ``names``) into ``model``'s table, in bulk: no
    model instances, no signals, no audit entries — only for rows validated beforehand. With
    ``ready=True`` the values are already in the database's form (``db_uuid``, ``db_datetime``)
    and pass as they are."""
    cols = columns(model, names)
    # Memoised per call: a bulk load repeats its timestamps, while the cached Columns of a
    # long-running server must not keep every value it ever adapted.
    adapters = [_memo(a) if a is not None else None for a in cols.adapters]
    prepared = list(rows) if ready else _prepare(adapters, rows)
    if not prepared:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's own cursor: wrapped so its errors are Django's (IntegrityError …).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {cols.table} ({cols.column_list}) FROM STDIN") as copy,
            ):
                for row in prepared:
                    copy.write_row(row)
        else:
            cursor.executemany(cols.insert(), prepared)
    return len(prepared)


def _prepare(
    adapters: Sequence[Adapter | None], rows: Iterable[Sequence[Any]]
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


def one(model: type[_M], where: str, params: list[Any]) -> _M | None:
    """``SELECT <model's columns> FROM <table> WHERE <where>`` (first row) as an instance, built
    by ``Model.from_db`` exactly as a queryset would: for the per-request lookups on hot paths,
    where the ORM's query building costs more than the indexed lookup."""
    cols = columns(model)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols.column_list} FROM {cols.table} WHERE {where}", params)  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(connection.alias, list(cols.attnames), _convert(model, row))


@functools.cache
def _converters(model: type[models.Model]) -> list[Any]:
    """Each column's from-database converters (booleans, UUIDs, JSON, datetimes on SQLite …)."""
    out = []
    for field in model._meta.concrete_fields:
        convs = connection.ops.get_db_converters(field.get_col(model._meta.db_table))
        convs += field.get_db_converters(connection)  # type: ignore[attr-defined]  # untyped in django-stubs
        out.append((field, convs))
    return out


def _convert(model: type[models.Model], row: tuple[Any, ...]) -> list[Any]:
    values = []
    for (field, convs), value in zip(_converters(model), row, strict=True):
        for conv in convs:
            value = conv(value, field.get_col(model._meta.db_table), connection)
        values.append(value)
    return values


def scalars(subqueries: Sequence[tuple[str, Sequence[Any]]], *, per_statement: int) -> list[Any]:
    """The value of each scalar subquery ``(sql, params)``, in order, asked
    ``per_statement`` at a time as ``SELECT (q1), (q2), …`` (one round trip per chunk)."""
    values: list[Any] = []
    with connection.cursor() as cursor:
        for first in range(0, len(subqueries), per_statement):
            chunk = subqueries[first : first + per_statement]
            params: list[Any] = []
            for _text, p in chunk:
                params.extend(p)
            cursor.execute("SELECT " + ", ".join(text for text, _p in chunk), params)
            values.extend(cursor.fetchone() or ())
    return values


def reachable() -> bool:
    """Whether the database answers ``SELECT 1`` (the health check)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach it is the answer
        return False
    return True


def vendor() -> str:
    return str(connection.vendor)


def increment_sql(model: type[models.Model], key: Sequence[str], field: str = "count") -> str:
    """``INSERT … ON CONFLICT (key) DO UPDATE SET field = field + 1 RETURNING field``: the
    parameters are the key's values and 1 (SQLite ≥ 3.35, PostgreSQL); also a CTE's body."""
    cols = columns(model, [*key, field])
    names, target = ", ".join(cols.quoted[:-1]), cols.quoted[-1]
    on_conflict = f"ON CONFLICT ({names}) DO UPDATE SET {target} = {cols.table}.{target} + 1"
    return cols.insert(suffix=f"{on_conflict} RETURNING {target}")


def increment(model: type[models.Model], key: Mapping[str, Any], field: str = "count") -> int:
    """Add one to ``field`` of the row ``key`` names (creating it at 1) and return the new value:
    one statement, atomic under concurrency. ``key`` must be the fields of a unique
    constraint."""
    cols = columns(model, [*key, field])
    with connection.cursor() as cursor:
        cursor.execute(increment_sql(model, list(key), field), cols.row({**key, field: 1}))
        row = cursor.fetchone()
    return int(row[0])


_TURN_FILES: dict[tuple[int, str], int] = {}


@contextlib.contextmanager
def writer_turn() -> Iterator[None]:
    """Wait for this database's write turn, for a hot path whose requests all write: on a
    SQLite file, outside any transaction, an exclusive ``flock`` on a file beside the database.
    The kernel hands the lock to the next waiting worker the moment it is released, where
    SQLite's busy handler sleeps 1, 2, 5 … ms between tries and leaves the cores idle while a
    transaction a fraction of a millisecond long is long over (docs/performance.md). Inside a
    transaction (which may already hold SQLite's lock: the order of the two locks must never
    invert) and on PostgreSQL, nothing."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:  # the test suite's database
        yield
        return
    # One descriptor per process: a descriptor inherited across fork would share the lock.
    key = (os.getpid(), name)
    fd = _TURN_FILES.get(key)
    if fd is None:
        fd = _TURN_FILES[key] = os.open(f"{key[1]}-writer.lock", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
