"""The self check-in's statements in plain SQL (ADR 0005): the one door through which
``selfcheck`` reaches the database. On PostgreSQL each runs as a prepared statement on Django's
persistent connection (a server-binding cursor keeps the plan); elsewhere through Django's
cursor. Column lists come from ``core.sql``; values are prepared by the model fields, as the ORM
would send them."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from django.db import connection

from lianfang.core import sql
from lianfang.monitoring.models import HealthCheck

LOOKUP = """
SELECT o.id, o.region_code, q.policy_id,
       (SELECT COUNT(*) FROM monitoring_healthcheck h
         WHERE h.observation_id = o.id AND h.slot_date = %s AND h.source = 'self')
  FROM monitoring_observation o
  JOIN monitoring_quarantine q ON q.id = o.quarantine_id
 WHERE o.checkin_token_bidx = %s AND o.status = 'active' AND o.checkin_expires_at > %s
"""
COLUMNS = (
    "id",
    "observation",
    "region_code",
    "taken_at",
    "slot_date",
    "slot_index",
    "temperature",
    "method",
    "symptoms",
    "note",
    "source",
    "recorded_by",
    "fever",
    "late",
    "client_key",
    "corrects",
    "correction_reason",
    "created_at",
)


@functools.cache
def _insert_sql() -> str:
    return sql.columns(HealthCheck, COLUMNS).insert(suffix="ON CONFLICT (client_key) DO NOTHING")


def _execute(statement: str, params: list[Any], *, fetch: bool = False) -> Any:
    """Run one of the two statements; on PostgreSQL as a prepared statement (a server-binding
    cursor on Django's connection: the persistent connection keeps the plan), elsewhere through
    Django's cursor. Returns the first row (``fetch``) or the row count."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(statement, params, prepare=True)
            return cursor.fetchone() if fetch else cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone() if fetch else cursor.rowcount


@functools.cache
def _fields() -> tuple[Any, ...]:
    by_name = {f.name: f for f in HealthCheck._meta.concrete_fields}
    return tuple(by_name[name] for name in COLUMNS)


def _prepared(values: dict[str, Any]) -> list[Any]:
    return [field.get_db_prep_save(values[field.name], connection) for field in _fields()]


@functools.cache
def _one_statement_sql() -> str:
    """INSERT … SELECT from the token's observation, only if it runs under the guessed policy
    and is under today's cap; a repeated client key inserts nothing."""
    cols = sql.columns(HealthCheck, COLUMNS)
    select = ", ".join(
        {"observation": "o.id", "region_code": "o.region_code"}.get(c, "%s") for c in COLUMNS
    )
    return (
        f"INSERT INTO {cols.table} ({cols.column_list}) SELECT {select} "  # noqa: S608
        "FROM monitoring_observation o JOIN monitoring_quarantine q ON q.id = o.quarantine_id "
        "WHERE o.checkin_token_bidx = %s AND o.status = 'active' AND o.checkin_expires_at > %s "
        "AND q.policy_id = %s AND (SELECT COUNT(*) FROM monitoring_healthcheck h "
        "WHERE h.observation_id = o.id AND h.slot_date = %s AND h.source = 'self') < %s "
        "ON CONFLICT (client_key) DO NOTHING RETURNING observation_id, region_code"
    )


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def self_check_lookup(
    token_bidx: str, today: Any, now: datetime
) -> tuple[uuid.UUID, str, int, int] | None:
    """The running observation a token opens: (id, region code, policy id, today's self
    check-ins), or None."""
    row = _execute(
        LOOKUP,
        [
            connection.ops.adapt_datefield_value(today),
            token_bidx,
            connection.ops.adapt_datetimefield_value(now),
        ],
        fetch=True,
    )
    if row is None:
        return None
    observation_id, region_code, policy_id, count_today = row
    return _uuid(observation_id), region_code, policy_id, count_today


def self_check_insert(values: dict[str, Any]) -> bool:
    """Insert the row; False when its client key was stored before (nothing written)."""
    return bool(_execute(_insert_sql(), _prepared(values)) == 1)


def self_check_insert_for_token(
    values: dict[str, Any], *, token_bidx: str, now: datetime, policy_id: int, cap: int
) -> tuple[uuid.UUID, str] | None:
    """Insert the row for the observation the token opens, in one statement, only if it runs
    under ``policy_id`` and has fewer than ``cap`` self check-ins today; (observation id,
    region code), or None when nothing was written."""
    prepared = _prepared(values)
    params = [
        v for c, v in zip(COLUMNS, prepared, strict=True) if c not in ("observation", "region_code")
    ]
    params += [
        token_bidx,
        connection.ops.adapt_datetimefield_value(now),
        policy_id,
        connection.ops.adapt_datefield_value(values["slot_date"]),
        cap,
    ]
    row = _execute(_one_statement_sql(), params, fetch=True)
    if row is None:
        return None
    return _uuid(row[0]), row[1]
