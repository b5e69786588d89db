"""Query counts as the guard: a list must cost the same number of queries with few rows and with
three times as many (no N+1), and that number is written down (an extra query fails too).

    def test_x_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, ...):
        flat_queries(django_assert_num_queries, client, "/x/", add_rows, 12)

``add_rows(k)`` creates ``k`` more rows the page lists. The page is fetched once unmeasured (so
per-process caches such as content types are warm whatever ran before), then with ``n`` rows and
with ``3n`` rows, each inside ``django_assert_num_queries(expected)``. ``rows_on_page(response)``
(optional) counts the listed rows, to check the second page shows the 2n added ones. With
``expected=None`` it fails with both counts, to find the number for a new test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def flat_queries(
    assert_num_queries: Callable[..., Any],
    client: Any,
    url: str,
    add_rows: Callable[[int], object],
    expected: int | None,
    *,
    n: int = 2,
    rows_on_page: Callable[[Any], int] | None = None,
) -> None:
    add_rows(n)
    assert client.get(url).status_code == 200  # warm-up, not measured
    responses, counts = [], []
    for more in (0, 2 * n):
        if more:
            add_rows(more)
        measure = (
            CaptureQueriesContext(connection) if expected is None else assert_num_queries(expected)
        )
        with measure as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        responses.append(response)
        counts.append(len(ctx))
    if expected is None:  # a new test: run it once, write the number in
        raise AssertionError(f"{url}: {counts[0]} queries with {n} rows, {counts[1]} with {3 * n}")
    if rows_on_page is not None:  # the second page really lists the 2n rows added in between
        first, second = (rows_on_page(r) for r in responses)
        assert second - first == 2 * n, (url, first, second)
