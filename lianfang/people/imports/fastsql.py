"""The import's raw SQL: every statement and vendor branch of the import lives here (ADR 0005).

Raw because the ORM's per-parameter preparation and UUID conversion cost more than the queries in
a batch of 20,000 rows; lookups take the terms of the partial unique indexes so that SQLite uses
them (``models.by_document``, ``models.by_phone``)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any

from django.db import DatabaseError, connection

from lianfang.core import sql

CHUNK = 20_000  # rows fetched at a time when reading the registry's keys


def postgres() -> bool:
    return sql.vendor() == "postgresql"


def by_document_keys(bidxs: Collection[str]) -> dict[str, tuple[str, str]]:
    """Active persons with these resident-ID blind indexes: {bidx: (id as 32 hex digits, region
    code)}. The id is made by the server in the form records carry (SQLite stores exactly
    that), not as a UUID object per row here."""
    id_hex = "replace(id::text, '-', '')" if postgres() else "id"
    return {
        bidx: (pk, region_code)
        for bidx, pk, region_code in select_in(
            f"SELECT id_number_bidx, {id_hex}, region_code FROM people_person"  # noqa: S608
            " WHERE status = 'active' AND NOT (id_number_bidx = '') AND doc_type = 'resident_id'"
            " AND id_number_bidx IN ",
            bidxs,
        )
    }


def by_document_keys_committed(bidxs: Collection[str]) -> dict[str, tuple[str, str]] | None:
    """``by_document_keys`` asked on the calling thread's own connection (the import's receiving
    thread: autocommit, so committed persons only), without sequential scans as in a batch; None
    if the lookup fails (the writer then asks for all)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        return by_document_keys(bidxs)
    except DatabaseError:
        return None


def prefetches() -> bool:
    """Whether a receiving thread looks a batch's documents up beforehand: on PostgreSQL a second
    connection works while the writer's waits; SQLite has one writer and nothing to gain."""
    return postgres()


def close_thread_connection() -> None:
    """The receiving thread's own connection, closed when it stops."""
    connection.close()


def imported_pairs(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of the (person id as 32 hex digits, import key) pairs that have a registration. Asked
    by person only, through the (person, import_key) index that holds both columns: a person has
    a handful of registrations, and a list of persons and one of keys would make SQLite seek
    every combination of the two."""
    rows = select_in(
        "SELECT person_id, import_key FROM people_registration"
        " WHERE import_key IS NOT NULL AND person_id IN ",
        sorted({p for p, _k in pairs}),
        array="uuid[]",
    )
    return {(sql.db_uuid(pk), key) for pk, key in rows} & pairs


def same_key_sql(column: str) -> str:
    """Active persons by one of the match keys (``name_birth_key``, ``phone_bidx``), for
    ``select_in``: the partial index's term repeated (``models.by_phone``)."""
    return (
        f"SELECT id, {column} FROM people_person WHERE status = 'active'"  # noqa: S608
        f" AND NOT ({column} = '') AND {column} IN "
    )


def same_key(column: str, keys: Collection[str]) -> list[tuple[Any, str]]:
    """(id, key) of the active persons whose ``column`` is one of ``keys``."""
    return select_in(same_key_sql(column), keys)


def select_in(statement: str, values: Collection[str], array: str = "") -> list[tuple[Any, ...]]:
    """Raw ``statement + (…)`` over ``values`` in chunks the database accepts. ``array``: the
    PostgreSQL array type the values are cast to (``uuid[]`` for ids as text)."""
    values = list(values)
    out: list[tuple[Any, ...]] = []
    if not values:
        return out
    with connection.cursor() as cursor:
        if postgres():  # one statement, the values as one array
            cast = f"::{array or 'text[]'}"
            cursor.execute(statement.removesuffix(" IN ") + f" = ANY(%s{cast})", [pg_array(values)])
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows
        size = min(connection.features.max_query_params or 900, 900)
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            cursor.execute(statement + "(" + ", ".join(["%s"] * len(chunk)) + ")", chunk)
            out.extend(cursor.fetchall())
    return out


_PLAIN_ARRAY = re.compile(r"[0-9A-Za-z|:._-]+(?:,[0-9A-Za-z|:._-]+)*")
_NULL_ELEMENT = re.compile(r"(?:^|,)null(?:,|$)", re.IGNORECASE)


def pg_array(values: list[str]) -> str | list[str]:
    """The values as PostgreSQL's array text when none needs quoting (keys, hex ids: the usual
    case — joined in one call instead of psycopg quoting each); else the list, for psycopg."""
    joined = ",".join(values)
    plain = joined.count(",") == len(values) - 1 and _PLAIN_ARRAY.fullmatch(joined)
    if plain and not _NULL_ELEMENT.search(joined):
        return "{" + joined + "}"
    return values


def no_scans() -> str | None:
    """PostgreSQL: no sequential scans for a batch's statements; the setting as it was is returned
    for ``restore_scans`` (a failed batch's savepoint puts it back itself). Every query of a batch
    looks up its keys, so an index is always the way, while the planner's statistics may be those
    of a table that was small at its last analysis (ADR 0011). Put back, because an import may run
    inside a larger transaction (the demo's seeding, tests) whose other statements plan as usual."""
    if not postgres():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        prior: str = cursor.fetchone()[0]
    return prior


def restore_scans(prior: str | None) -> None:
    if prior is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [prior])


def registry_size() -> tuple[int, int]:
    """(persons, registrations) in the registry now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        persons = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM people_registration")
        registrations = int(cursor.fetchone()[0])
    return persons, registrations


def registry_keys() -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """The registry's match keys in chunks, one pass per table, streamed by a server-side cursor:
    ("person", [(document bidx, name-birth key, phone bidx)…]), then ("registration",
    [(import key,)…])."""
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(
            "SELECT id_number_bidx, name_birth_key, phone_bidx FROM people_person"
            " WHERE status = 'active'"
        )
        while rows := cursor.fetchmany(CHUNK):
            yield "person", rows
        cursor.execute("SELECT import_key FROM people_registration WHERE import_key IS NOT NULL")
        while rows := cursor.fetchmany(CHUNK):
            yield "registration", rows
    finally:
        cursor.close()


class BulkSession:
    """Database settings for one import.

    SQLite: the default page cache (2 MB) turns every index insert into a large registry into a
    page read, and the WAL checkpoints every 1,000 pages; the import's connection gets a 256 MB
    cache (allocated only as used) and fewer checkpoints, both reset afterwards.

    PostgreSQL: nothing. The batch lookups do not depend on fresh statistics (they never scan a
    table: ``no_scans``), so the import does not analyse its tables on its way (ADR 0011);
    autovacuum analyses them after the commits, as after any large change."""

    def __init__(self) -> None:
        self.postgres = postgres()
        self.data_version: int | None = None

    def contended(self) -> bool:
        """Whether somebody else may write keys while this transaction writes (call it at the
        start of each). PostgreSQL: always. SQLite allows one writer and the import's transaction
        holds the lock from its start (BEGIN IMMEDIATE): only keys committed by others between
        two of its transactions can surprise it, and ``data_version`` says whether any commit
        came in between. The first transaction reads the key filter inside it."""
        if self.postgres:
            return True
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            version = cursor.fetchone()[0]
        others_wrote = self.data_version is not None and version != self.data_version
        self.data_version = version
        return others_wrote

    def __enter__(self) -> BulkSession:
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA wal_autocheckpoint = 20000")
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA wal_autocheckpoint = 1000")
