"""core.sql, the one SQL builder: what its bulk insert writes is what the ORM reads back."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import FieldDoesNotExist

from lianfang.core import sql
from lianfang.core.models import AccessLog

pytestmark = pytest.mark.django_db

NAMES = ("at", "user", "action", "object_type", "object_id", "region_code", "purpose", "row_count")


def test_bulk_insert_writes_rows_the_orm_and_one_read_back_alike(world):
    user = world.users["command_office"]
    at = datetime(2020, 2, 1, 8, 30, tzinfo=UTC)
    rows = [(at, user.pk, "reveal_phone", "person", f"p-{i}", "620105", "核查", i) for i in (1, 2)]
    assert sql.insert(AccessLog, NAMES, rows) == 2
    stored = AccessLog.objects.filter(object_id__in=["p-1", "p-2"]).order_by("object_id")
    assert [(r.at, r.row_count) for r in stored] == [(at, 1), (at, 2)]
    found = sql.one(AccessLog, "object_id = %s", ["p-2"])
    assert found is not None and found.pk == stored[1].pk and found.at == at


def test_columns_build_the_insert_from_the_fields_by_name():
    cols = sql.columns(AccessLog, ("object_id", "row_count"))
    assert cols.insert(2, suffix="RETURNING id").endswith("VALUES (%s, %s), (%s, %s) RETURNING id")
    assert cols.row({"object_id": "x", "row_count": None}) == ["x", None]
    with pytest.raises(FieldDoesNotExist):  # a renamed field fails loudly
        sql.columns(AccessLog, ("no_such_field",))
