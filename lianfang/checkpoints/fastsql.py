"""The checkpoint's hot path in plain SQL (ADR 0005, 0007): the one door through which services
write a vehicle check and its occupants. It owns every vendor branch and prepared statement:
services call ``vehicle_check_insert_on_open_shift`` and ``vehicle_check_insert`` with model
instances and never touch ``connection``. The same functions run inside and outside a
transaction. Tables, column lists and value adapters come from ``core.sql`` (the models'
fields by name), so both databases get what the ORM would send."""

from __future__ import annotations

import functools
from typing import Any

from django.db import IntegrityError, connection, transaction

from lianfang.checkpoints.models import Checkpoint, Occupant, Shift, VehicleCheck
from lianfang.core import sql

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


def active_checkpoint(pk: int) -> Checkpoint | None:
    """The active checkpoint with this id (one indexed lookup; the caller checks the scope)."""
    return sql.one(Checkpoint, "id = %s AND is_active = %s", [pk, True])


def open_shift_id(checkpoint_id: int) -> int | None:
    table = sql.table(Shift)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE checkpoint_id = %s AND closed_at IS NULL",  # noqa: S608
            [checkpoint_id],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _insert_check(values: dict[str, Any]) -> None:
    cols = sql.columns(VehicleCheck, CHECK_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(cols.insert(), cols.row(values))


def _insert_occupants(rows: list[dict[str, Any]]) -> list[int]:
    """One statement for all occupants; their ids in the order given."""
    if not rows:
        return []
    cols = sql.columns(Occupant, OCCUPANT_FIELDS)
    params: list[Any] = []
    for values in rows:
        params.extend(cols.row(values))
    with connection.cursor() as cursor:
        cursor.execute(cols.insert(len(rows), suffix="RETURNING id"), params)
        return [int(r[0]) for r in cursor.fetchall()]


@functools.cache
def _pg_single_sql(occupants: int) -> str:
    """PostgreSQL: the check and its occupants in one statement, attached to the open shift:
    ``WITH s AS (open shift), c AS (INSERT check … FROM s RETURNING id) INSERT occupants …
    FROM c``. Nothing is inserted when no shift is open (the caller then takes the careful
    path). Every parameter carries its column's type, so the VALUES rows need no inference."""
    check_table, occ_table, shift_table = (
        sql.table(VehicleCheck),
        sql.table(Occupant),
        sql.table(Shift),
    )
    check = sql.columns(VehicleCheck, [n for n in CHECK_FIELDS if n != "shift"])
    occ = sql.columns(Occupant, [n for n in OCCUPANT_FIELDS if n != "check_record"])
    check_cols, check_vals = check.column_list, check.typed_marks()
    occ_cols, one = occ.column_list, "(" + occ.typed_marks() + ")"
    names = ", ".join(f"v{i}" for i in range(len(occ.names)))
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

    occ_cols = sql.columns(Occupant, OCCUPANT_FIELDS)
    values = sql.columns(VehicleCheck, CHECK_FIELDS).row(check)
    params: list[Any] = [check["checkpoint"]]
    params += [v for n, v in zip(CHECK_FIELDS, values, strict=True) if n != "shift"]
    for occ in occupants:
        row = occ_cols.row(occ)
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
