"""The checkpoint's hot path in plain SQL (ADR 0005, 0007): the one door through which services
write a vehicle check and its occupants. It owns every vendor branch and prepared statement:
services call ``vehicle_check_insert_on_open_shift`` and ``vehicle_check_insert`` with model
instances and never touch ``connection``. The same functions run inside and outside a
transaction. Values are prepared by the same
adapters as the bulk paths (``core.bulk.adapter``), so both databases get what the ORM would
send; the column lists are the models' fields by name (a renamed field fails loudly here)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction

from lianfang.checkpoints.models import Occupant, Shift, VehicleCheck
from lianfang.core.bulk import adapter

CHECK_FIELDS = (
    "id",
    "checkpoint",
    "shift",
    "region_code",
    "plate",
    "plate_reason",
    "vehicle_type",
    "direction",
    "origin_code",
    "origin_text",
    "destination",
    "key_area",
    "priority",
    "occupant_count",
    "client_key",
    "checked_by",
    "checked_at",
)
OCCUPANT_FIELDS = (
    "check_record",
    "region_code",
    "seq",
    "full_name",
    "doc_type",
    "id_number_enc",
    "id_number_bidx",
    "id_number_masked",
    "id_reason",
    "phone_enc",
    "phone_masked",
    "temperature",
    "fever",
    "health_code",
    "symptoms",
    "outcome",
    "destination_region_code",
    "address",
)


@functools.cache
def _table(model: Any, names: tuple[str, ...], vendor: str) -> tuple[str, str, list[Any]]:
    fields = [model._meta.get_field(n) for n in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return connection.ops.quote_name(model._meta.db_table), columns, [adapter(f) for f in fields]


def _row(
    values: dict[str, Any], names: Sequence[str], adapters: list[Callable[[Any], Any] | None]
) -> list[Any]:
    out = []
    for name, adapt in zip(names, adapters, strict=True):
        value = values[name]
        out.append(adapt(value) if adapt is not None and value is not None else value)
    return out


def open_shift_id(checkpoint_id: int) -> int | None:
    table = connection.ops.quote_name(Shift._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE checkpoint_id = %s AND closed_at IS NULL",  # noqa: S608
            [checkpoint_id],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _insert_check(values: dict[str, Any]) -> None:
    table, columns, adapters = _table(VehicleCheck, CHECK_FIELDS, connection.vendor)
    marks = ", ".join(["%s"] * len(CHECK_FIELDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
            _row(values, CHECK_FIELDS, adapters),
        )


def _insert_occupants(rows: list[dict[str, Any]]) -> list[int]:
    """One statement for all occupants; their ids in the order given."""
    if not rows:
        return []
    table, columns, adapters = _table(Occupant, OCCUPANT_FIELDS, connection.vendor)
    one = "(" + ", ".join(["%s"] * len(OCCUPANT_FIELDS)) + ")"
    params: list[Any] = []
    for values in rows:
        params.extend(_row(values, OCCUPANT_FIELDS, adapters))
    sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))} RETURNING id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(r[0]) for r in cursor.fetchall()]


@functools.cache
def _pg_single_sql(occupants: int) -> str:
    """PostgreSQL: the check and its occupants in one statement, attached to the open shift:
    ``WITH s AS (open shift), c AS (INSERT check … FROM s RETURNING id) INSERT occupants …
    FROM c``. Nothing is inserted when no shift is open (the caller then takes the careful
    path). Every parameter carries its column's type, so the VALUES rows need no inference."""
    check_table, _c, _a = _table(VehicleCheck, CHECK_FIELDS, connection.vendor)
    occ_table, _o, _b = _table(Occupant, OCCUPANT_FIELDS, connection.vendor)
    shift_table = connection.ops.quote_name(Shift._meta.db_table)
    check_fields: list[Any] = [
        VehicleCheck._meta.get_field(n) for n in CHECK_FIELDS if n != "shift"
    ]
    occ_fields: list[Any] = [
        Occupant._meta.get_field(n) for n in OCCUPANT_FIELDS if n != "check_record"
    ]

    def typed(field: Any) -> str:
        kind = field.target_field.rel_db_type(connection) if field.is_relation else None
        return f"%s::{kind or field.db_type(connection)}"

    check_cols = ", ".join(connection.ops.quote_name(f.column) for f in check_fields)
    check_vals = ", ".join(typed(f) for f in check_fields)
    occ_cols = ", ".join(connection.ops.quote_name(f.column) for f in occ_fields)
    one = "(" + ", ".join(typed(f) for f in occ_fields) + ")"
    names = ", ".join(f"v{i}" for i in range(len(occ_fields)))
    return (
        f"WITH s AS (SELECT id FROM {shift_table} WHERE checkpoint_id = %s AND closed_at IS NULL), "  # noqa: S608
        f"c AS (INSERT INTO {check_table} ({check_cols}, shift_id) "
        f"SELECT {check_vals}, s.id FROM s RETURNING id, shift_id) "
        f"INSERT INTO {occ_table} (check_record_id, {occ_cols}) "
        f"SELECT c.id, {names} FROM c "
        f"CROSS JOIN (VALUES {', '.join([one] * occupants)}) AS v({names}) "
        "RETURNING id, check_record_id, (SELECT shift_id FROM c)"
    )


def _insert_all_pg(
    check: dict[str, Any], occupants: list[dict[str, Any]]
) -> tuple[int, list[int]] | None:
    """(PostgreSQL) ``(shift id, occupant ids)``, or None when no shift is open. A prepared
    statement on Django's persistent connection, in autocommit: one round trip."""
    import psycopg

    _t, _c, check_adapters = _table(VehicleCheck, CHECK_FIELDS, connection.vendor)
    _t, _o, occ_adapters = _table(Occupant, OCCUPANT_FIELDS, connection.vendor)
    values = _row(check, CHECK_FIELDS, check_adapters)
    params: list[Any] = [check["checkpoint"]]
    params += [v for n, v in zip(CHECK_FIELDS, values, strict=True) if n != "shift"]
    for occ in occupants:
        row = _row(occ, OCCUPANT_FIELDS, occ_adapters)
        params += [v for n, v in zip(OCCUPANT_FIELDS, row, strict=True) if n != "check_record"]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        try:
            cursor.execute(_pg_single_sql(len(occupants)), params, prepare=True)
        except psycopg.IntegrityError as exc:  # a repeated client key: as Django would raise it
            raise IntegrityError(str(exc)) from exc
        rows = cursor.fetchall()
    if not rows:
        return None
    return int(rows[0][2]), [int(r[0]) for r in rows]


def _values(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A model instance's values by field name (foreign keys by id)."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in names}


def _saved(check: VehicleCheck, occupants: list[Occupant], ids: list[int]) -> None:
    """Mark the instances as the rows just written, as ``save()`` would."""
    check._state.adding = False
    for row, pk in zip(occupants, ids, strict=True):
        row.pk = pk
        row._state.adding = False


def vehicle_check_insert_on_open_shift(check: VehicleCheck, occupants: list[Occupant]) -> bool:
    """Write the check and its occupants on the checkpoint's open shift (``check.shift_id`` is
    set); False, writing nothing, when no shift is open. PostgreSQL: one prepared statement (in
    a savepoint when a transaction is open, so a repeated client key leaves it usable).
    Raises IntegrityError for a client key already used."""
    if connection.vendor == "postgresql" and occupants:
        values = _values(check, CHECK_FIELDS)
        rows = [_values(r, OCCUPANT_FIELDS) for r in occupants]
        if connection.in_atomic_block:
            with transaction.atomic():
                done = _insert_all_pg(values, rows)
        else:
            done = _insert_all_pg(values, rows)
        if done is None:
            return False
        check.shift_id, ids = done
        _saved(check, occupants, ids)
        return True
    with transaction.atomic():
        shift_id = open_shift_id(check.checkpoint_id)
        if shift_id is None:
            return False
        check.shift_id = shift_id
        vehicle_check_insert(check, occupants)
    return True


def vehicle_check_insert(check: VehicleCheck, occupants: list[Occupant]) -> list[int]:
    """Write the check (its ``shift_id`` set) and its occupants; the occupants' ids. Raises
    IntegrityError for a client key already used."""
    _insert_check(_values(check, CHECK_FIELDS))
    ids = _insert_occupants([_values(r, OCCUPANT_FIELDS) for r in occupants])
    _saved(check, occupants, ids)
    return ids
