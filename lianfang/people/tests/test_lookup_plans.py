"""Lookups by document must use the partial unique index (the registry has no other index on
the blind index): a table scan would not show in tests, only at a million persons."""

import uuid

import pytest
from django.db import connection

from lianfang.people import selectors, services
from lianfang.people.imports import fastsql
from lianfang.people.models import DocType, Person, by_document, by_name_birth, by_phone
from lianfang.people.tests.factories import resident_id

pytestmark = pytest.mark.django_db


def _plan(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")  # an empty table: make the choice visible
    return queryset.explain()


def test_a_document_lookup_uses_the_unique_index():
    queryset = Person.objects.active().filter(by_document(DocType.RESIDENT_ID, "0" * 32))
    assert "uniq_active_person_document" in _plan(queryset)


def test_find_existing_and_the_id_search_ask_through_by_document(monkeypatch):
    asked = []
    original = by_document

    def spy(doc_type, bidx):
        asked.append(doc_type)
        return original(doc_type, bidx)

    monkeypatch.setattr(services, "by_document", spy)
    monkeypatch.setattr(selectors, "by_document", spy)
    services.find_existing(DocType.RESIDENT_ID, resident_id(seq=1))
    assert selectors._exact_index(resident_id(seq=2)) is not None
    assert asked == [DocType.RESIDENT_ID, DocType.RESIDENT_ID]


def test_a_households_members_are_found_through_the_partial_household_index():
    from lianfang.people.models import Household

    household = Household(pk=uuid.UUID(int=1))
    assert "person_household" in _plan(Person.objects.filter(household=household))


def test_a_persons_registrations_and_import_keys_share_one_index():
    from lianfang.people.models import Registration

    person = Person(pk="00000000-0000-0000-0000-000000000001")
    plan = _plan(Registration.objects.filter(person=person))
    if connection.vendor == "postgresql":
        assert "uniq_registration_person_import_key" in plan
    else:  # SQLite names the index of an inline UNIQUE constraint itself
        assert "USING INDEX sqlite_autoindex_people_registration" in plan
        assert "(person_id=?)" in plan


def test_phone_and_name_birth_lookups_use_their_partial_indexes():
    assert "person_phone_bidx" in _plan(Person.objects.filter(by_phone("0" * 32)))
    key = "zhangsan|1980-01-01"
    assert "person_name_birth_key" in _plan(Person.objects.filter(by_name_birth(key)))


@pytest.mark.parametrize(
    ("column", "index"),
    [("phone_bidx", "person_phone_bidx"), ("name_birth_key", "person_name_birth_key")],
)
def test_the_imports_match_key_lookups_use_the_partial_indexes(column, index):
    values = [f"{i:032x}" for i in range(150)]  # more than PostgreSQL expands to prove with
    sql = fastsql.same_key_sql(column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql.removesuffix(" IN ") + " = ANY(%s)", [values])
        else:
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}({marks})", values)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert index in plan
