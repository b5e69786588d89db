"""Index kinds the models ask for beyond Django's own."""

from __future__ import annotations

from typing import Any

from django.db import models


class EqualityIndex(models.Index):
    """For a key only ever compared with ``=`` (blind indexes, match keys): a hash index on
    PostgreSQL — an entry is the key's 4-byte hash, and an insert compares no keys and keeps no
    order (a bulk import writes one per new person: ADR 0011) — and a B-tree elsewhere.

    Give it a condition that leaves out the empty key (``~Q(field="")``), and repeat that term
    in every lookup (SQLite uses a partial index only then, PostgreSQL cannot prove it from
    ``= ANY(array)``): a hash index keeps equal keys in one bucket and walks the bucket's chain
    of pages on every insert, so thousands of persons without a phone would each cost more
    to add than the last."""

    def create_sql(
        self, model: type[models.Model], schema_editor: Any, using: str = "", **kwargs: Any
    ) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            using = " USING hash"
        return super().create_sql(model, schema_editor, using=using, **kwargs)
