from hypothesis import given
from hypothesis import strategies as st

from lianfang.core.regioncode import minimal_prefixes, next_prefix


def test_next_prefix_increments_last_digit():
    assert next_prefix("620105") == "620106"
    assert next_prefix("620105009") == "620105010"
    assert next_prefix("620199") == "620200"


def test_next_prefix_of_all_nines_has_no_upper_bound():
    assert next_prefix("999") is None


@given(
    prefix=st.from_regex(r"[0-9]{6}([0-9]{3}){0,2}", fullmatch=True),
    tail=st.from_regex(r"([0-9]{3}){0,2}", fullmatch=True),
)
def test_every_code_below_a_prefix_sorts_inside_its_range(prefix, tail):
    code = prefix + tail
    upper = next_prefix(prefix)
    assert code >= prefix
    assert upper is None or code < upper


@given(
    prefix=st.from_regex(r"[0-9]{9}", fullmatch=True),
    other=st.from_regex(r"[0-9]{12}", fullmatch=True),
)
def test_a_code_outside_the_prefix_sorts_outside_its_range(prefix, other):
    upper = next_prefix(prefix)
    inside = other >= prefix and (upper is None or other < upper)
    assert inside == other.startswith(prefix)


def test_minimal_prefixes_drops_covered_codes():
    assert minimal_prefixes(["620105001001", "620105001", "620105002001"]) == [
        "620105001",
        "620105002001",
    ]
