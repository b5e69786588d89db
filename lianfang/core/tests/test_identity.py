from datetime import date

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from lianfang.core.errors import InvalidInput
from lianfang.core.identity import (
    check_char,
    mask_id,
    mask_name,
    mask_phone,
    parse_phone,
    parse_resident_id,
    resident_id_fields,
)


def test_the_domain_example_is_valid():
    rid = parse_resident_id("11010519491231002X")
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender == "F"
    assert rid.warnings == ()


def test_lower_case_x_and_spaces_are_normalised():
    assert parse_resident_id(" 110105 19491231 002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519490230002" + check_char("11010519490230002"), "id_birth_date_invalid"),
        ("11010519491231002", "id_format"),
        ("", "id_required"),
        ("ABCDEFGHIJKLMNOPQR", "id_format"),
    ],
)
def test_bad_ids_are_rejected_with_a_reason(raw, code):
    with pytest.raises(InvalidInput) as exc:
        parse_resident_id(raw)
    assert exc.value.code == code
    assert exc.value.fields["id_number"]


def test_future_birth_date_is_rejected():
    body = "110105" + "20991231" + "002"
    with pytest.raises(InvalidInput) as exc:
        parse_resident_id(body + check_char(body))
    assert exc.value.code == "id_birth_date_invalid"


def test_unknown_county_is_only_a_warning():
    body = "999999" + "19800101" + "123"
    rid = parse_resident_id(body + check_char(body))
    assert rid.warnings == ("id_county_unknown",)


def test_legacy_15_digit_id_becomes_18():
    rid = parse_resident_id("110105491231002")
    assert rid.number == "11010519491231002X"


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))


@given(county=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True), born=births, seq=st.integers(0, 999))
def test_check_char_agrees_with_stdnum_and_round_trips(county, born, seq):
    body = f"{county}{born:%Y%m%d}{seq:03d}"
    number = body + check_char(body)
    assert ric.calc_check_digit(number) == number[-1]
    parsed = parse_resident_id(number.lower())
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.gender == ("M" if seq % 2 else "F")


@given(county=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True), born=births, seq=st.integers(0, 999))
def test_any_single_changed_digit_is_caught(county, born, seq):
    body = f"{county}{born:%Y%m%d}{seq:03d}"
    number = body + check_char(body)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(InvalidInput):
        parse_resident_id(wrong)


def _slow(raw):
    try:
        rid = parse_resident_id(raw)
    except InvalidInput:
        return None
    return rid.number, rid.gender, rid.birth_date


@given(
    county=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
    born=st.dates(min_value=date(1880, 1, 1), max_value=date(2100, 12, 31)),
    seq=st.integers(0, 999),
    tail=st.sampled_from(["", "x", "X", "0", "?"]),
    damage=st.integers(-1, 17),
)
def test_the_bulk_fast_path_agrees_with_parse_resident_id(county, born, seq, tail, damage):
    body = f"{county}{born:%Y%m%d}{seq:03d}"
    number = body + (tail or check_char(body))
    if damage >= 0:  # one character changed, or not
        number = number[:damage] + "７a"[damage % 2] + number[damage + 1 :]
    fast = resident_id_fields(number)
    assert fast is None or fast == _slow(number)
    if len(number) == 18 and _slow(number) is not None:
        assert fast == _slow(number)
        assert resident_id_fields(number) == fast  # and again, from the cache


def test_the_fast_path_sees_a_clock_set_back():
    number = "620105202101010017"
    body = number[:17]
    number = body + check_char(body)
    assert resident_id_fields(number) is not None  # born 2021: in the past today
    with time_machine.travel(date(2020, 2, 10), tick=False):
        assert resident_id_fields(number) is None
        with pytest.raises(InvalidInput):
            parse_resident_id(number)


@pytest.mark.parametrize(
    "raw", ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "+8613812345678"]
)
def test_mobile_prefixes_are_stripped(raw):
    assert parse_phone(raw) == "+8613812345678"


def test_lanzhou_landline_is_accepted():
    assert parse_phone("0931-8123456").startswith("+86931")


@pytest.mark.parametrize("raw", ["12345678901", "1381234567", "abc", "", "+1 202 555 0143"])
def test_bad_phones_are_rejected(raw):
    with pytest.raises(InvalidInput) as exc:
        parse_phone(raw)
    assert exc.value.code == "phone_invalid"


@given(
    rest=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    prefix=st.sampled_from(["", "+86", "0086", "+86 "]),
)
def test_phone_normalisation_is_idempotent(rest, prefix):
    try:
        once = parse_phone(prefix + rest)
    except InvalidInput:
        return  # phonenumbers does not know every 1xx range
    assert parse_phone(once) == once
    assert once == "+86" + rest


def test_masks():
    assert mask_id("62010519800101123X") == "620105********123X"
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_name("张三丰") == "张**"
