"""The import's records are declared once: the declared rows are the registry's columns, and a
builder whose columns drift from the declaration fails at once instead of shifting values."""

import pytest
from django.db.models import Model

from lianfang.people.imports.parse import _rows
from lianfang.people.imports.records import (
    PERSON_COLUMNS,
    REGISTRATION_COLUMNS,
    Prepared,
    Record,
    Rejected,
    from_plain,
    to_plain,
)
from lianfang.people.models import Person, Registration


def _columns(model: type[Model]) -> set[str]:
    return {
        f.attname.removesuffix("_id") if f.is_relation else f.attname
        for f in model._meta.concrete_fields
    }


def test_declared_person_and_registration_rows_are_columns_of_their_tables():
    assert set(PERSON_COLUMNS) <= _columns(Person)
    assert set(REGISTRATION_COLUMNS) <= _columns(Registration)


def test_a_builder_missing_a_declared_column_raises_instead_of_shifting_values():
    with pytest.raises(ValueError, match="b"):
        _rows(("a", "b", "c"), {"a": [1], "c": [3]}, {})
    assert _rows(("a", "b", "c"), {"a": [1], "c": [3]}, {"b": 2}) == [(1, 2, 3)]


def test_records_cross_the_pipe_as_plain_tuples_and_come_back_as_records():
    records: list[Record] = [Rejected(2, "blank_row"), Prepared(3, "x", "k", (), (), "", 1)]
    plain = to_plain(records)
    assert all(type(r) is tuple for r in plain)
    assert from_plain(plain) == records and type(from_plain(plain)[0]) is Rejected
