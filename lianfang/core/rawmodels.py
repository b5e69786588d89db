"""Model instances from one plain SQL statement, for the few per-request lookups on hot paths
(bearer-token authentication, a checkpoint by id): the ORM's query building costs more than these
indexed lookups do. ``Model.from_db`` builds the instance exactly as a queryset would."""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from django.db import connection, models

_M = TypeVar("_M", bound=models.Model)


@functools.cache
def columns(model: type[models.Model], alias: str = "") -> tuple[list[str], str]:
    """The concrete fields' attnames and the SELECT list (optionally table-qualified)."""
    fields = model._meta.concrete_fields
    prefix = f"{alias}." if alias else ""
    select = ", ".join(prefix + connection.ops.quote_name(f.column) for f in fields)
    return [f.attname for f in fields], select


def one(model: type[_M], where: str, params: list[Any]) -> _M | None:
    """``SELECT <model's columns> FROM <table> WHERE <where>`` (first row) as an instance."""
    names, select = columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {table} WHERE {where}", params)  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    converted = _convert(model, names, row)
    return model.from_db(connection.alias, names, converted)


@functools.cache
def _converters(model: type[models.Model]) -> list[Any]:
    """Each column's from-database converters (booleans, UUIDs, JSON, datetimes on SQLite …)."""
    out = []
    for field in model._meta.concrete_fields:
        convs = connection.ops.get_db_converters(field.get_col(model._meta.db_table))
        convs += field.get_db_converters(connection)  # type: ignore[attr-defined]
        out.append((field, convs))
    return out


def _convert(model: type[models.Model], names: list[str], row: tuple[Any, ...]) -> list[Any]:
    values = []
    for (field, convs), value in zip(_converters(model), row, strict=True):
        for conv in convs:
            value = conv(value, field.get_col(model._meta.db_table), connection)
        values.append(value)
    return values
