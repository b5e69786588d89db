"""Row numbers packed as ranges (how an import records a batch's plain rows)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lianfang.people.imports import rowranges


def test_consecutive_rows_become_ranges():
    assert rowranges.pack([2, 3, 4, 5, 7, 9, 10, 11, 12]) == "2-5,7,9-12"
    assert rowranges.pack([]) == ""


def test_rows_out_of_order_are_refused():
    with pytest.raises(ValueError):
        rowranges.pack([3, 2])
    with pytest.raises(ValueError):
        rowranges.pack([2, 2])


@given(st.sets(st.integers(min_value=2, max_value=5000)))
def test_packed_rows_unpack_and_count_the_same(rows):
    packed = rowranges.pack(sorted(rows))
    assert list(rowranges.unpack(packed)) == sorted(rows)
    assert rowranges.count(packed) == len(rows)
