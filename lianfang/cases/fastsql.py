"""The public intake's hot path in plain SQL (ADR 0005): a new work order, its first events and
the submitter's rate-limit count. On PostgreSQL that is one prepared statement (data-modifying
CTEs: one round trip, atomic by itself); on SQLite three statements in one short transaction,
every parameter prepared before it begins (the transaction holds the database's write lock),
taken in turn (``core.sql.writer_turn``).
Tables, columns and value adapters come from ``core.sql`` (the models' fields by name), so the
rows are what the ORM would write; services call ``intake_insert`` with a model instance and
never touch ``connection``."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction

from lianfang.cases.models import WorkOrder, WorkOrderEvent
from lianfang.core import sql
from lianfang.core.models import RateCounter
from lianfang.core.ratelimit import Limit

EVENT_FIELDS = (
    "region_code",
    "action",
    "from_state",
    "to_state",
    "actor",
    "actor_label",
    "at",
    "note",
)
COUNTER_KEY = ("key", "window")


def _order_params(order: WorkOrder) -> list[Any]:
    cols = sql.columns(WorkOrder)
    values = {
        name: getattr(order, attname)
        for name, attname in zip(cols.names, cols.attnames, strict=True)
    }
    return cols.row(values)


def _event_params(events: Sequence[Mapping[str, Any]]) -> list[Any]:
    cols = sql.columns(WorkOrderEvent, EVENT_FIELDS)
    params: list[Any] = []
    for event in events:
        params.extend(cols.row(event))
    return params


def _counter_params(limit: Limit, now: datetime) -> list[Any]:
    return sql.columns(RateCounter, [*COUNTER_KEY, "count"]).row(
        {**limit.counter_key(now), "count": 1}
    )


def intake_insert(
    order: WorkOrder, events: Sequence[Mapping[str, Any]], limit: Limit | None, now: datetime
) -> bool:
    """Insert ``order`` and its ``events`` (field values without the order), charging
    ``limit`` first: ``limit.refused()`` is raised, with nothing of the order written, when the
    submitter is over it. False (nothing written but the count) when the order's receipt is
    taken: the caller draws another and retries without the limit."""
    counter = _counter_params(limit, now) if limit is not None else []
    if connection.vendor == "postgresql":
        count, inserted = _intake_pg(order, events, limit, counter)
    else:
        count, inserted = _intake_sqlite(order, events, limit, counter)
    if limit is not None and count > limit.limit:
        raise limit.refused()
    if inserted:  # the instance is now a saved row, as after ``save()``
        order._state.adding, order._state.db = False, connection.alias
    return inserted


def _intake_sqlite(
    instance: WorkOrder,
    event_values: Sequence[Mapping[str, Any]],
    limit: Limit | None,
    counter: list[Any],
) -> tuple[int, bool]:
    order, rows, events = _order_params(instance), _event_params(event_values), len(event_values)
    with sql.writer_turn(), transaction.atomic(), connection.cursor() as cursor:
        count = 0
        if limit is not None:
            cursor.execute(_counter_sql(), counter)
            count = int(cursor.fetchone()[0])
            if count > limit.limit:
                return count, False  # committed: a refused request counts as one
        cursor.execute(_sqlite_order_sql(), order)
        if cursor.rowcount != 1:
            return count, False
        width = len(EVENT_FIELDS)
        params: list[Any] = []
        for i in range(events):
            params += [order[0], *rows[i * width : (i + 1) * width]]
        cursor.execute(_sqlite_events_sql(events), params)
    return count, True


@functools.cache
def _counter_sql() -> str:
    return sql.increment_sql(RateCounter, COUNTER_KEY)


@functools.cache
def _sqlite_events_sql(events: int) -> str:
    return sql.columns(WorkOrderEvent, ("order", *EVENT_FIELDS)).insert(events)


@functools.cache
def _sqlite_order_sql() -> str:
    return sql.columns(WorkOrder).insert(suffix=f"ON CONFLICT ({sql.quote('receipt')}) DO NOTHING")


def _event_record(values: Mapping[str, Any]) -> dict[str, Any]:
    """An event's field values keyed by column, for ``jsonb_populate_recordset``."""
    return {_event_column(name): value for name, value in values.items()}


@functools.cache
def _event_column(name: str) -> str:
    field = WorkOrderEvent._meta.get_field(name)
    assert isinstance(field, models.Field)  # EVENT_FIELDS names concrete fields
    return str(field.column)


@functools.cache
def _pg_intake_sql(limited: bool) -> str:
    """``WITH rl AS (count the submitter), o AS (INSERT the order … WHERE under the limit),
    e AS (INSERT the events FROM o) SELECT count, inserted``. The order and its events come as
    one JSON parameter each (``jsonb_populate_record``): six parameters, where one per column
    would be 60-odd and past what psycopg caches the parsed statement for (50), which cost more
    than the database's own work."""
    order_cols = sql.columns(WorkOrder)
    event_cols = sql.columns(WorkOrderEvent, EVENT_FIELDS)
    order_table, event_table = order_cols.table, event_cols.table
    count = sql.quote("count")
    parts = []
    source, where = "", "WHERE true"
    if limited:
        parts.append(f"rl AS ({sql.increment_sql(RateCounter, COUNTER_KEY)})")
        source, where = "rl, ", f"WHERE rl.{count} <= %s"
    order_values = ", ".join(f"r.{c}" for c in order_cols.quoted)
    event_values = ", ".join(f"r.{c}" for c in event_cols.quoted)
    parts.append(
        f"o AS (INSERT INTO {order_table} ({order_cols.column_list}) "  # noqa: S608
        f"SELECT {order_values} FROM {source}"
        f"jsonb_populate_record(NULL::{order_table}, %s::jsonb) AS r {where} "
        f"ON CONFLICT ({sql.quote('receipt')}) DO NOTHING RETURNING id)"
    )
    parts.append(
        f"e AS (INSERT INTO {event_table} ({sql.quote('order_id')}, {event_cols.column_list}) "  # noqa: S608
        f"SELECT o.id, {event_values} "
        f"FROM o, jsonb_populate_recordset(NULL::{event_table}, %s::jsonb) AS r)"
    )
    counted = f"(SELECT {count} FROM rl)" if limited else "0"  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {counted}, (SELECT count(*) FROM o)"  # noqa: S608


def _intake_pg(
    order: WorkOrder,
    events: Sequence[Mapping[str, Any]],
    limit: Limit | None,
    counter: list[Any],
) -> tuple[int, bool]:
    """(PostgreSQL) One prepared statement on Django's persistent connection: one round trip in
    autocommit, and part of the caller's transaction inside one."""
    import psycopg

    fields = WorkOrder._meta.concrete_fields
    record = json.dumps({f.column: getattr(order, f.attname) for f in fields}, default=str)
    params: list[Any] = [*counter, record]
    if limit is not None:  # the limit's value follows the order in the statement
        params.append(limit.limit)
    params.append(json.dumps([_event_record(e) for e in events], default=str))
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_pg_intake_sql(limit is not None), params, prepare=True)
        row = cursor.fetchone()
    assert row is not None
    return int(row[0]), bool(row[1])
