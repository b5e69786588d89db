"""The statistics page: received, done, on-time and satisfaction rates by day and by category,
and confidential orders counted for those who oversee the district, never listed."""

from datetime import date, timedelta

import pytest
import time_machine

from conftest import B111, login_client
from lianfang.cases import selectors, services
from lianfang.cases.tests.factories import tip

pytestmark = pytest.mark.django_db

DAY1, DAY2 = "2020-02-10 09:00 +0800", "2020-02-11 09:00 +0800"


@pytest.fixture
def two_days(world, actor_of):
    """Day 1: two leads, both signed and answered the same day, one followed up satisfied, one
    unsatisfied. Day 2: one lead left unsigned (still open), and a discipline tip."""
    worker = actor_of(world.users["community_worker"])
    hotline = actor_of(world.users["hotline_operator"])
    with time_machine.travel(DAY1, tick=False):
        for mood in ("satisfied", "unsatisfied"):
            order = tip(place_code=B111, phone="13812345678").order
            services.order_accept(actor=worker, order=order)
            order = services.order_reply(
                actor=worker, order=order, result="registered", reply="已核实登记"
            )
            services.order_followup(actor=hotline, order=order, satisfaction=mood)
    with time_machine.travel(DAY2, tick=False):
        tip(place_code=B111)
        tip("discipline", text="卡口值班人员夜间擅自离岗", extra={"kind": "其他"})


def test_the_days_count_what_was_received_done_on_time_and_satisfied(world, actor_of, two_days):
    office = actor_of(world.users["command_office"])
    days = selectors.by_day(office, date(2020, 2, 9), date(2020, 2, 11))
    assert [d["day"] for d in days] == [date(2020, 2, 9), date(2020, 2, 10), date(2020, 2, 11)]
    empty, first, second = days
    assert (empty["received"], empty["on_time_rate"], empty["satisfaction_rate"]) == (0, None, None)
    assert (first["received"], first["done"], first["on_time"], first["on_time_rate"]) == (
        2,
        2,
        2,
        100.0,
    )
    assert (first["followed"], first["satisfaction_rate"]) == (2, 50.0)
    # the command office counts the discipline tip, though it may never open it
    assert (second["received"], second["done"], second["on_time_rate"]) == (2, 0, None)


def test_a_community_counts_only_its_own_orders_and_never_a_confidential_one(
    world, actor_of, two_days
):
    worker = actor_of(world.users["community_worker"])
    days = selectors.by_day(worker, date(2020, 2, 10), date(2020, 2, 11))
    assert [d["received"] for d in days] == [2, 1]
    codes = {
        c["category_code"]
        for c in selectors.by_category(worker, date(2020, 2, 10), date(2020, 2, 11))
    }
    assert codes == {"epidemic_lead"}


def test_the_categories_carry_their_rates(world, actor_of, two_days):
    office = actor_of(world.users["command_office"])
    rows = {
        c["category_code"]: c
        for c in selectors.by_category(office, date(2020, 2, 10), date(2020, 2, 11))
    }
    lead = rows["epidemic_lead"]
    assert (lead["total"], lead["done"], lead["on_time_rate"], lead["satisfaction_rate"]) == (
        3,
        2,
        100.0,
        50.0,
    )
    assert rows["discipline"]["total"] == 1


def test_the_stats_page_draws_the_days_and_lists_no_confidential_order(client, world, two_days):
    login_client(client, world.users["command_office"])
    with time_machine.travel(DAY2, tick=False):
        page = client.get("/cases/stats/?start=2020-02-10&end=2020-02-11")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-chart="cases-trend"' in body and 'id="cases-trend"' in body
    assert "echarts" in body
    assert "卡口值班人员" not in body  # a confidential text: never on a page but its office's


def test_a_period_longer_than_a_year_is_cut_to_a_year_and_says_so(client, world):
    login_client(client, world.users["command_office"])
    with time_machine.travel(DAY2, tick=False):
        page = client.get("/cases/stats/?start=2010-01-01&end=2020-02-11")
    body = page.content.decode()
    start = date(2020, 2, 11) - timedelta(days=365)
    assert f'value="{start:%Y-%m-%d}"' in body
    assert "统计区间最长一年" in body
