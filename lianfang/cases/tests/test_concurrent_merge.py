"""Two operators merging the same repeat call at the same moment, each on their own database
connection (PostgreSQL: SQLite's test database is one in-memory connection): one merge wins,
the other is refused with 409 and nothing is written twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from conftest import B111
from lianfang.cases import services
from lianfang.cases.models import Channel, WorkOrder, WorkOrderEvent
from lianfang.cases.tests.factories import tip
from lianfang.core.errors import Conflict

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections"),
]


def test_two_operators_merging_one_repeat_call_at_once_get_one_merge(world, actor_of):
    first = tip(place_code=B111).order
    second = tip(place_code=B111, text="另一个说法", phone="13912345670").order
    again = tip(place_code=B111, channel=Channel.HOTLINE, phone="13912345678").order
    hotline = actor_of(world.users["hotline_operator"])
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(into: WorkOrder) -> None:
        try:
            start.wait(timeout=10)
            services.order_merge(actor=hotline, order=again, into=into)
            outcomes.append("merged")
        except Conflict as exc:
            outcomes.append(f"409 {exc.code}")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=merge, args=(into,)) for into in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    refused, merged = sorted(outcomes)
    assert (refused.split()[0], merged) == ("409", "merged"), outcomes
    merges = WorkOrderEvent.objects.filter(order=again, action="merge")
    assert merges.count() == 1
    again.refresh_from_db()
    assert again.state == "merged" and again.merged_into_id in (first.pk, second.pk)
