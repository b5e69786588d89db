"""The daily report's figures, registered by the apps that own the records (core/indicators.py)."""

from datetime import date, timedelta

import pytest
import time_machine

from conftest import B111, B121, C11, C21, SD1
from lianfang.core import indicators
from lianfang.monitoring import jobs
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.releases import services as release
from lianfang.monitoring.tests.factories import make_hospital, make_quarantine, staff

pytestmark = pytest.mark.django_db
D = date(2020, 2, 10)


def _at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture
def day(world, actor_of):
    """Day D in community C11: two people start observation, one has a fever and is referred
    (suspected), one observation started 14 days earlier is released; one slot is missed. A
    sibling community has one observation of its own."""
    with _at("2020-01-27 09:00"):
        old = make_quarantine(B111, ("旧一",), start=date(2020, 1, 27), address="9号")
    with _at("2020-02-10 08:00"):
        calm = make_quarantine(B111, ("平安",), start=D, address="1号")
        hot = make_quarantine(B111, ("发热",), start=D, address="2号")
        make_quarantine(B121, ("邻居",), start=D, address="3号")
    with _at("2020-02-10 09:00"):
        checks.check_record(observation=calm.members.get(), temperature="36.5", source="self")
        checks.check_record(observation=hot.members.get(), temperature="38.4", source="self")
        checks.check_record(observation=old.members.get(), temperature="36.4", source="self")
        referral = referrals.referral_create(
            actor=staff(B111, world.users["doctor"].pk),
            observation=hot.members.get(),
            hospital_id=make_hospital().pk,
            transport="120",
            reason="发热",
        )
    with _at("2020-02-10 16:00"):
        referrals.referral_outcome_record(
            actor=staff(B111, world.users["doctor"].pk), referral=referral, outcome="suspected"
        )
        release.quarantine_release(actor=None, quarantine=old)  # old's end date (10 Feb) has come
    with _at("2020-02-10 21:00"):
        jobs.missed_checks_now()  # calm missed the afternoon slot


def test_the_community_figures_of_a_day(day):
    figures = indicators.compute(C11, indicators.Window.of_day(D))
    assert figures["observations_started"] == 2
    assert figures["under_home_observation"] == 1  # calm (hot was referred, old released)
    assert figures["fevers_found"] == 1
    assert figures["referred"] == 1 and figures["suspected"] == 1 and figures["confirmed"] == 0
    assert figures["observations_released"] == 1  # old, whose 14 days ended that day
    assert figures["missed_checks"] >= 1
    assert not indicators.is_zero(figures)


def test_figures_cover_the_subtree_and_nothing_beside_it(day):
    window = indicators.Window.of_day(D)
    assert indicators.compute(SD1, window)["observations_started"] == 3
    assert indicators.compute(C21, window)["observations_started"] == 0


def test_a_quiet_community_is_a_zero_report_even_with_people_under_observation(day):
    quiet = indicators.Window.of_day(D + timedelta(days=3))
    with _at("2020-02-13 23:00"):
        figures = indicators.compute(C21, quiet)
    assert indicators.is_zero(figures)
    figures_c11 = indicators.compute(C11, quiet)
    assert figures_c11["under_home_observation"] >= 1  # a stock does not make it non-zero


def test_the_records_behind_a_figure_start_from_the_viewers_scope(day, actor_of, world):
    window = indicators.Window.of_day(D)
    started = indicators.get("observations_started")
    assert started is not None
    mine = started.records(actor_of(world.users["community_worker"]), SD1, window)
    assert mine.count() == 2  # the sub-district's figure is 3; the worker sees C11's two
    assert started.records(actor_of(world.nobody), SD1, window).count() == 0


def test_every_indicator_is_a_flow_or_a_stock_with_a_label():
    keys = [i.key for i in indicators.all_indicators()]
    assert {
        "arrivals_key_area",
        "households_swept",
        "under_home_observation",
        "checkin_rate",
    } <= set(keys)
    assert all(str(i.label) for i in indicators.all_indicators())
