from datetime import date

import pytest

from conftest import B111, B112, B211, C11, SD1, login_client
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.people.sweeps import selectors as sweep_selectors
from lianfang.people.sweeps import services as sweep_services
from lianfang.people.tests.factories import make_person
from lianfang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep(world, actor_of):
    return sweep_services.start_sweep(
        actor=actor_of(world.users["subdistrict_officer"]),
        region_code=SD1,
        name="二月排查",
        start_date=date(2020, 2, 1),
        end_date=date(2020, 2, 7),
    )


def test_visits_give_coverage_and_the_revisit_list(world, actor_of, sweep):
    gw = actor_of(world.users["grid_worker"])  # B111
    make_person(B111, address="1单元101")
    sweep_services.record_visit(
        actor=gw, sweep=sweep, building_code=B111, address="1单元101", outcome="visited"
    )
    sweep_services.record_visit(
        actor=gw, sweep=sweep, building_code=B111, address="1单元102", outcome="nobody_home"
    )
    sweep_services.record_visit(
        actor=gw, sweep=sweep, building_code=B111, address="1单元103", outcome="nobody_home"
    )
    sweep_services.record_visit(
        actor=gw, sweep=sweep, building_code=B111, address="1单元103", outcome="arrivals_found"
    )  # revisit
    officer = actor_of(world.users["subdistrict_officer"])
    rows = {
        c.region.code: c
        for c in sweep_selectors.coverage(officer, sweep, Region.objects.get(code=SD1))
    }
    c11 = rows[C11]
    assert (
        c11.buildings,
        c11.buildings_started,
        c11.doors,
        c11.done,
        c11.nobody_home,
        c11.arrivals,
    ) == (2, 1, 3, 2, 1, 1)
    assert c11.percent == 67
    assert sweep_selectors.revisit_list(officer, sweep) == [(B111, "1单元102")]
    doors = {d.address: d for d in sweep_selectors.doors(sweep, Region.objects.get(code=B111))}
    assert doors["1单元101"].registered == 1 and doors["1单元103"].outcome == "arrivals_found"


def test_grid_worker_cannot_record_in_another_building(world, actor_of, sweep):
    with pytest.raises(PermissionDeniedError):
        sweep_services.record_visit(
            actor=actor_of(world.users["grid_worker"]),
            sweep=sweep,
            building_code=B112,
            address="1",
            outcome="visited",
        )


def test_a_building_outside_the_sweep_is_refused(world, actor_of, sweep):
    with pytest.raises(PermissionDeniedError):
        sweep_services.record_visit(
            actor=actor_of(world.users["command_office"]),
            sweep=sweep,
            building_code=B211,
            address="1",
            outcome="visited",
        )


def test_closed_sweep_takes_no_visits(world, actor_of, sweep):
    sweep_services.close_sweep(actor=actor_of(world.users["subdistrict_officer"]), sweep=sweep)
    with pytest.raises(InvalidInput):
        sweep_services.record_visit(
            actor=actor_of(world.users["grid_worker"]),
            sweep=sweep,
            building_code=B111,
            address="1",
            outcome="visited",
        )


def test_sweep_needs_valid_dates_and_region(world, actor_of):
    with pytest.raises(InvalidInput) as exc:
        sweep_services.start_sweep(
            actor=actor_of(world.users["community_worker"]),
            region_code=SD1,
            name="",
            start_date=date(2020, 2, 7),
            end_date=date(2020, 2, 1),
        )
    assert set(exc.value.fields) == {"region_code", "name", "end_date"}


def test_grid_worker_phone_page_one_tap_and_arrivals_lead_to_the_form(client, world, sweep):
    login_client(client, world.users["grid_worker"])
    assert B111 in client.get(f"/people/sweeps/{sweep.pk}/").content.decode()
    page = f"/people/sweeps/{sweep.pk}/b/{B111}/"
    assert client.post(page, {"address": "2单元201", "outcome": "nobody_home"}).status_code == 302
    response = client.post(page, {"address": "2单元202", "outcome": "arrivals_found"})
    assert response["Location"].startswith("/people/new/?region_code=" + B111)
    assert client.get(f"/people/sweeps/{sweep.pk}/b/{B112}/").status_code == 404


def test_sweep_figures_for_the_daily_report(world, actor_of, sweep):
    import time_machine

    from lianfang.core import indicators

    gw = actor_of(world.users["grid_worker"])  # B111, one of C11's two buildings
    with time_machine.travel("2020-02-03 10:00 +0800", tick=False):
        sweep_services.record_visit(
            actor=gw, sweep=sweep, building_code=B111, address="1单元101", outcome="visited"
        )
        sweep_services.record_visit(
            actor=gw, sweep=sweep, building_code=B111, address="1单元102", outcome="nobody_home"
        )
    day = indicators.Window.of_day(date(2020, 2, 3))
    figures = indicators.compute(C11, day)
    assert figures["households_swept"] == 2
    assert figures["sweep_coverage"] == 50  # one building of two
    assert (
        indicators.compute(C11, indicators.Window.of_day(date(2020, 2, 2)))["sweep_coverage"] == 0
    )  # nothing visited yet by the end of 2 Feb
    assert (
        indicators.compute(C11, indicators.Window.of_day(date(2020, 2, 8)))["sweep_coverage"] == 0
    )  # the sweep had ended


def test_a_new_sweep_gives_each_building_to_its_grid_worker(world, sweep):
    from lianfang.people.models import SweepAssignment

    assigned = dict(
        SweepAssignment.objects.filter(sweep=sweep).values_list("region_code", "assignee_id")
    )
    assert assigned == {B111: world.users["grid_worker"].pk}  # the only grid worker in SD1


def test_community_reassigns_buildings_and_the_worker_sees_them(world, actor_of, sweep, client):
    from lianfang.accounts.tests.factories import UserFactory, grant

    helper = UserFactory.create(username="gw_helper", full_name="帮手", region_code=B112)
    grant(helper, "grid_worker", B112)
    cw = actor_of(world.users["community_worker"])  # C11
    assert (
        sweep_services.sweep_assign(
            actor=cw, sweep=sweep, building_codes=[B111, B112], assignee_id=helper.pk
        )
        == 2
    )
    assert [b.code for b in sweep_selectors.my_buildings(actor_of(helper), sweep)] == [B111, B112]
    with pytest.raises(InvalidInput):  # not a worker of that community
        sweep_services.sweep_assign(
            actor=cw, sweep=sweep, building_codes=[B111], assignee_id=world.users["doctor"].pk
        )
    with pytest.raises(PermissionDeniedError):  # another community's building
        sweep_services.sweep_assign(
            actor=cw, sweep=sweep, building_codes=[B211], assignee_id=helper.pk
        )
    login_client(client, world.users["community_worker"])
    page = client.get(f"/people/sweeps/{sweep.pk}/?region={C11}").content.decode()
    assert "楼栋分派" in page and "帮手" in page
    r = client.post(
        f"/people/sweeps/{sweep.pk}/assign/",
        {"building_codes": [B111], "assignee_id": world.users["grid_worker"].pk},
    )
    assert r.status_code == 302
    assert [b.code for b in sweep_selectors.my_buildings(actor_of(helper), sweep)] == [B112]


def test_assigning_out_of_scope_changes_nothing(world, sweep, client):
    from lianfang.accounts.tests.factories import UserFactory, grant
    from lianfang.people.models import SweepAssignment

    sibling = UserFactory.create(username="cw_c12", region_code="620105001002")
    grant(sibling, "community_worker", "620105001002")
    before = list(SweepAssignment.objects.values_list("region_code", "assignee_id"))
    login_client(client, sibling)
    client.post(
        f"/people/sweeps/{sweep.pk}/assign/", {"building_codes": [B111], "assignee_id": sibling.pk}
    )
    login_client(client, world.nobody)
    assert (
        client.post(f"/people/sweeps/{sweep.pk}/assign/", {"building_codes": [B111]}).status_code
        == 404
    )
    assert list(SweepAssignment.objects.values_list("region_code", "assignee_id")) == before
