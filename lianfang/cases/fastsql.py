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
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

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
    order_params, event_params = _order_params(order), _event_params(events)
    counter = _counter_params(limit, now) if limit is not None else []
    if connection.vendor == "postgresql":
        count, inserted = _intake_pg(len(events), limit, counter + order_params, event_params)
    else:
        count, inserted = _intake_sqlite(len(events), limit, counter, order_params, event_params)
    if limit is not None and count > limit.limit:
        raise limit.refused()
    if inserted:  # the instance is now a saved row, as after ``save()``
        order._state.adding, order._state.db = False, connection.alias
    return inserted


def _intake_sqlite(
    events: int, limit: Limit | None, counter: list[Any], order: list[Any], rows: list[Any]
) -> tuple[int, bool]:
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


@functools.cache
def _pg_intake_sql(events: int, limited: bool) -> str:
    """``WITH rl AS (count the submitter), o AS (INSERT the order … WHERE under the limit),
    e AS (INSERT the events FROM o) SELECT count, inserted``."""
    order_cols = sql.columns(WorkOrder)
    event_cols = sql.columns(WorkOrderEvent, EVENT_FIELDS)
    count = sql.quote("count")
    parts = []
    source = ""
    if limited:
        parts.append(f"rl AS ({sql.increment_sql(RateCounter, COUNTER_KEY)})")
        source = f"FROM rl WHERE rl.{count} <= %s"
    parts.append(
        f"o AS (INSERT INTO {order_cols.table} ({order_cols.column_list}) "
        f"SELECT {order_cols.typed_marks()} {source} "
        f"ON CONFLICT ({sql.quote('receipt')}) DO NOTHING RETURNING id)"
    )
    names = ", ".join(f"v{i}" for i in range(len(EVENT_FIELDS)))
    values = ", ".join(["(" + event_cols.typed_marks() + ")"] * events)
    parts.append(
        f"e AS (INSERT INTO {event_cols.table} ({sql.quote('order_id')}, {event_cols.column_list}) "  # noqa: S608
        f"SELECT o.id, {names} FROM o CROSS JOIN (VALUES {values}) AS v({names}))"
    )
    counted = f"(SELECT {count} FROM rl)" if limited else "0"  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {counted}, (SELECT count(*) FROM o)"  # noqa: S608


def _intake_pg(
    events: int, limit: Limit | None, params: list[Any], rows: list[Any]
) -> tuple[int, bool]:
    """(PostgreSQL) One prepared statement on Django's persistent connection: one round trip in
    autocommit, and part of the caller's transaction inside one."""
    import psycopg

    if limit is not None:  # the limit's value follows the order's in the statement
        params = [*params, limit.limit]
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_pg_intake_sql(events, limit is not None), [*params, *rows], prepare=True)
        row = cursor.fetchone()
    assert row is not None
    return int(row[0]), bool(row[1])
