"""The reading process's parser: a batch is checked column by column, yet every row gets its own
record, in row order, with its reasons in the order of the checks."""

from datetime import date

from lianfang.people.imports.parse import RiskMemo, RowParser
from lianfang.people.imports.records import Prepared, Rejected
from lianfang.people.tests.factories import resident_id
from lianfang.regions.selectors import RegionRef, Router

MAPPING = {
    "full_name": 0,
    "id_number": 1,
    "phone": 2,
    "origin": 3,
    "departure_date": 4,
    "arrival_date": 5,
    "address": 6,
}


# A row every check passes, routed to the community.
GOOD_ROW = [
    "甲",
    resident_id(seq=1),
    "13812345678",
    "420100",
    "2020-01-20",
    "2020-01-25",
    "建宁路社区",
]


def _parser():
    router = Router([("建宁路社区", RegionRef(7, "620105001001"))], {})
    return RowParser(MAPPING, router, None, date(2020, 2, 10), None, RiskMemo([]))


def test_a_batch_keeps_row_order_and_each_rows_reasons_in_the_checks_order():
    rows = [
        (2, GOOD_ROW),
        (3, ["", "123", "12345", "火星", "2020-13-01", "2030-01-01", "建宁路社区"]),
        (4, ["乙", resident_id(seq=2), "", "", "2020-01-25", "2020-01-20", "建宁路社区"]),
        (5, ["丙", 11010519491231002, "", "", "", "", "某某小区"]),
        (6, ["丁", resident_id(seq=3), "", "", "", "", "某某小区"]),
    ]
    records = _parser().parse_batch(rows, "2020-02-10 00:00:00")
    assert [r[0] for r in records] == [2, 3, 4, 5, 6]
    assert records[1].reasons == (
        "name_missing,id_format,phone_invalid,origin_unknown,departure_date_invalid,date_in_future"
    )
    assert records[2].reasons == "arrival_before_departure"
    assert records[3].reasons == "id_numeric_cell"
    created, queued = records[0], records[4]
    assert created.person[1] == "甲" and created.person[15] == "620105001001"
    registration = created.registration
    assert registration[1] == created.person[0]  # the new person's, ready to write
    assert registration[13] == registration[14] == "general"
    assert queued.person == () and queued.registration[1] is None  # no community: no person


def test_one_row_alone_gives_the_record_it_gets_in_a_batch():
    cells = GOOD_ROW
    alone = _parser().parse(2, cells, "now")
    batch = _parser().parse_batch([(9, ["x"] * 7), (2, cells)], "now")
    in_batch = next(r for r in batch if r[0] == 2)
    random_positions = (0, 6, 11)  # the person's id and the two seals
    assert alone[:3] == in_batch[:3]
    assert [v for i, v in enumerate(alone.person) if i not in random_positions] == [
        v for i, v in enumerate(in_batch.person) if i not in random_positions
    ]
    assert alone.registration[2:] == in_batch.registration[2:]


def test_an_overlong_name_address_or_train_number_is_rejected_with_its_reason_not_cut():
    long_number = {**MAPPING, "transport_number": 7}
    parser = RowParser(
        long_number,
        Router([("建宁路社区", RegionRef(7, "620105001001"))], {}),
        None,
        date(2020, 2, 10),
        None,
        RiskMemo([]),
    )
    rows = [
        (2, ["甲" * 51, *GOOD_ROW[1:], ""]),
        (3, [*GOOD_ROW[:6], "建宁路社区" + "号" * 100, ""]),
        (4, [*GOOD_ROW, "G" * 31]),
        (5, ["甲" * 50, *GOOD_ROW[1:], "G" * 30]),
    ]
    records = parser.parse_batch(rows, "2020-02-10 00:00:00")
    assert [r.reasons if isinstance(r, Rejected) else "" for r in records[:3]] == [
        "name_too_long",
        "address_too_long",
        "transport_number_too_long",
    ]
    kept = records[3]
    assert isinstance(kept, Prepared) and kept.person[1] == "甲" * 50  # at the limit: kept whole


def test_the_service_refuses_an_overlong_name_and_address_as_the_import_does(world, actor_of):
    import pytest

    from lianfang.core.errors import InvalidInput
    from lianfang.people import services

    data = {"full_name": "甲" * 51, "id_number": resident_id(seq=9), "phone": "13812345678"}
    data |= {"region_code": "620105001001001", "address": "号" * 101}
    with pytest.raises(InvalidInput) as exc:
        services.clean_person(actor_of(world.users["community_worker"]), data)
    assert exc.value.fields["full_name"] == ["姓名最多 50 个字符。"]
    assert exc.value.fields["address"] == ["住址最多 100 个字符。"]


def test_a_name_with_digits_is_refused_by_the_import_and_the_service(world, actor_of):
    """ "王五123" is a count or a room typed into the name: one rule refuses it everywhere."""
    import pytest

    from lianfang.core.errors import InvalidInput
    from lianfang.people import services

    parser = RowParser(
        MAPPING,
        Router([("建宁路社区", RegionRef(7, "620105001001"))], {}),
        None,
        date(2020, 2, 10),
        None,
        RiskMemo([]),
    )
    records = parser.parse_batch(
        [(2, ["王五123", *GOOD_ROW[1:]]), (3, ["王五１", *GOOD_ROW[1:]]), (4, GOOD_ROW)],
        "2020-02-10 00:00:00",
    )
    assert [r.reasons if isinstance(r, Rejected) else "" for r in records] == [
        "name_has_digit",
        "name_has_digit",
        "",
    ]
    data = {"full_name": "王五123", "id_number": resident_id(seq=9), "phone": "13812345678"}
    data |= {"region_code": "620105001001001"}
    with pytest.raises(InvalidInput) as exc:
        services.clean_person(actor_of(world.users["community_worker"]), data)
    assert exc.value.fields["full_name"] == ["姓名不能含数字，请核对（如“王五123”）。"]
