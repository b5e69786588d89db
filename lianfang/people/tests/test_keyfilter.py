"""The import's key filter: "no" is certain, and a key it ruled out that somebody wrote meanwhile
costs a second pass over the batch, never a failed import or a duplicate."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import B111
from lianfang.core import sql
from lianfang.people.imports import fastsql, keyfilter, writer
from lianfang.people.imports.parse import RowParser
from lianfang.people.imports.records import Prepared
from lianfang.people.models import ImportJob, Person, Registration
from lianfang.people.tests.factories import make_person, resident_id
from lianfang.regions.selectors import Router

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_key_once_seen_is_always_a_maybe_and_kinds_do_not_mix():
    keys = keyfilter.KeyFilter(1000)
    keys.add_all(keyfilter.DOCUMENT, ["a" * 32])
    assert keys.maybe(keyfilter.DOCUMENT, "a" * 32)
    assert not keys.maybe(keyfilter.NAME_BIRTH, "zhangsan|1980-01-01")
    assert keys.maybe(keyfilter.NAME_BIRTH, "zhangsan|1980-01-01")  # the second time: maybe


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from(["", "a", "b", "c" * 32, "d|1980"])] * 4), max_size=30))
def test_a_rows_probes_are_its_four_maybes_in_order(rows):
    one, each = keyfilter.KeyFilter(64), keyfilter.KeyFilter(64)
    kinds = (keyfilter.DOCUMENT, keyfilter.IMPORT_KEY, keyfilter.NAME_BIRTH, keyfilter.PHONE)
    for row in rows:
        expected = sum(
            kind for kind, key in zip(kinds, row, strict=True) if key and each.maybe(kind, key)
        )
        assert one.probes_of(*[[key] for key in row])[0] == expected
    assert one.bits == each.bits


KEYS = st.sampled_from(["", "a", "b", "c" * 32, "d|1980"])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(KEYS, KEYS, KEYS, KEYS), max_size=30),
    st.lists(st.tuples(st.sampled_from([1, 2, 4, 8]), KEYS), max_size=5),
)
def test_a_batchs_probes_say_maybe_for_every_key_seen_before(rows, registry):
    """Asked column by column: a key in the registry or in an earlier row of the batch, as the
    same kind, is always a "maybe"; a "no" is only ever said of a key not seen before."""
    keys = keyfilter.KeyFilter(64)
    seen: dict[int, set[str]] = {kind: set() for kind in (1, 2, 4, 8)}
    for kind, key in registry:
        keys.add_all(kind, [key])
        if key:
            seen[kind].add(key)
    columns = [list(column) for column in zip(*rows, strict=True)] or [[], [], [], []]
    found = keys.probes_of(*columns)
    assert len(found) == len(rows)
    for row, probes in zip(rows, found, strict=True):
        for kind, key in zip((1, 2, 4, 8), row, strict=True):
            if key in seen[kind]:
                assert probes & kind
            elif not key:
                assert not probes & kind
            if key:
                seen[kind].add(key)


def test_mostly_no_for_keys_never_seen():
    keys = keyfilter.KeyFilter(10_000)
    keys.add_all(keyfilter.DOCUMENT, (f"{i:032x}" for i in range(0, 10_000 * 7919, 7919)))
    unseen = [f"{i:032x}" for i in range(1, 50_000 * 7919, 7919)]
    maybes = sum(keys.maybe(keyfilter.PHONE, k) for k in unseen)
    assert maybes < len(unseen) * 0.1


def test_the_registry_keys_are_in_the_filter(world):
    person = make_person(B111, "老住户", id_number=resident_id(seq=11), phone="13812345678")
    keys = keyfilter.from_registry()
    assert keys.maybe(keyfilter.DOCUMENT, person.id_number_bidx)
    assert keys.maybe(keyfilter.PHONE, person.phone_bidx)
    assert keys.maybe(keyfilter.NAME_BIRTH, person.name_birth_key)


def test_a_person_registered_after_the_filter_was_built_is_linked_not_duplicated(world):
    worker = world.users["community_worker"]
    job = ImportJob.objects.create(
        region_code=B111[:12], created_by=worker, file_name="l.xlsx", file_path="/nonexistent"
    )
    parser = RowParser(
        {"full_name": 0, "id_number": 1, "address": 2},
        Router.for_territory(B111[:12]),
        worker.pk,
        date(2020, 2, 10),
        keyfilter.KeyFilter(1000),  # empty: rules every key out
    )
    number = resident_id(seq=12)
    record = parser.parse(2, ["甲", number, "建宁路社区"], sql.db_datetime(job.created_at))
    assert isinstance(record, Prepared) and record.probes == 0
    meanwhile = make_person(B111, "甲", id_number=number)  # somebody registers the same person

    counts = writer.write_batch(job, [record])

    assert counts["linked"] == 1 and counts["created"] == 0
    assert Person.objects.filter(full_name="甲").count() == 1
    assert Registration.objects.get(import_key=record.import_key).person_id == meanwhile.pk


def test_lookup_values_go_as_array_text_only_when_nothing_needs_quoting():
    keys = ["0" * 32, "zhangsan|1980-01-01", "a1b2-c3"]
    assert fastsql.pg_array(keys) == "{" + ",".join(keys) + "}"
    for odd in (["a,b"], ["a", ""], ["NULL"], ["x", "null"], ['a"b'], ["a b"], ["{a}"], ["张三"]):
        assert fastsql.pg_array(odd) == odd  # psycopg quotes these itself
