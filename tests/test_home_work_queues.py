"""The home page is each role's work queue (今日待办): counts of what is due, each a link to the
filtered list, read from the actor's scope (a sibling community's records are not counted), and
an empty state when nothing is due. The tiles come from ``core/worktiles.py``, filled by the apps
above the home page."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import B111, B112, B121, C11, C12, C21, SD1, login_client
from lianfang.checkpoints import services as checkpoint_services
from lianfang.checkpoints.models import Handover, HandoverLevel
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.models import Alert, AlertLevel
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.tests.factories import make_hospital, make_quarantine, staff
from lianfang.people.selfreg import services as selfreg_services
from lianfang.people.sweeps import services as sweep_services
from lianfang.people.tests.factories import make_person
from lianfang.regions.models import Region
from lianfang.reporting.tests.factories import submit

pytestmark = pytest.mark.django_db

TODAY = date(2020, 2, 10)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _counts(response):
    assert response.status_code == 200
    return {i.label: i.count for i in response.context["items"]}


def _fever(code, name, address="1单元101"):
    q = make_quarantine(code, (name,), address=address)
    checks.check_record(observation=q.members.get(), temperature="38.5", source="self")
    return q


def _handover(cp, code):
    checkpoint_services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(outcome="handover", destination_region_code=code)),
    )
    return Handover.objects.order_by("-created_at").first()


def _self_report(world, actor_of, community, building):
    link = selfreg_services.link_for(
        actor=actor_of(world.users["command_office"]), community=Region.objects.get(code=community)
    )
    return selfreg_services.selfreport_submit(
        link=link,
        data={
            "full_name": "钱七",
            "doc_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "region_code": building,
            "address": "3单元101",
            "origin": "420100",
            "departure_date": "2020-01-28",
            "arrival_date": "2020-01-29",
            "transport": "train",
            "transport_number": "Z55",
        },
    )


def test_community_worker_home_lists_what_is_due_in_their_community_only(client, world, actor_of):
    _fever(B111, "发热甲")
    _fever(B121, "发热乙")  # the sibling community's alert is not counted
    cp = make_checkpoint(C11)
    _handover(cp, B111)
    _handover(cp, B121)
    _self_report(world, actor_of, C11, B111)
    _self_report(world, actor_of, C12, B121)
    login_client(client, world.users["community_worker"])
    home = client.get("/")
    counts = _counts(home)
    assert counts["未关闭预警"] == 1
    assert counts["待确认接收的卡口移交"] == 1
    assert counts["待核实的自主申报"] == 1
    assert counts["待确认报送的日报告"] == 1
    assert "已超时未确认的卡口移交" not in counts  # nothing overdue: left out, not a zero
    body = home.content.decode()
    assert 'href="/monitoring/alerts/?status=open"' in body
    assert 'href="/checkpoints/handovers/?status=pending"' in body
    assert f'href="/reports/{C11}/{YESTERDAY.isoformat()}/"' in body
    assert "今日无待办" not in body
    # The region switcher's pages still know the actor's territory.
    assert home.context["region"].code == C11


def test_community_worker_home_shows_the_empty_state_when_nothing_is_due(client, world):
    submit(C11, YESTERDAY, "2020-02-10 08:00")
    login_client(client, world.users["community_worker"])
    home = client.get("/")
    assert _counts(home) == {}
    assert "今日无待办" in home.content.decode()


def test_returned_report_is_due_again(client, world, actor_of):
    from lianfang.reporting import services as reporting_services

    revision = submit(C11, YESTERDAY, "2020-02-10 08:00")
    reporting_services.report_review(
        actor=actor_of(world.users["subdistrict_officer"]),
        report=revision.report,
        approve=False,
        comment="请核对返回人数",
    )
    login_client(client, world.users["community_worker"])
    assert _counts(client.get("/")) == {"被退回的日报告": 1}


def test_grid_worker_home_shows_todays_buildings_with_the_sweeps_progress(client, world, actor_of):
    sweep = sweep_services.start_sweep(
        actor=actor_of(world.users["subdistrict_officer"]),
        region_code=SD1,
        name="二月排查",
        start_date=TODAY,
        end_date=TODAY + timedelta(days=6),
    )
    make_person(B111, address="1单元101")
    make_person(B111, address="1单元102")
    gw = actor_of(world.users["grid_worker"])  # B111
    sweep_services.record_visit(
        actor=gw, sweep=sweep, building_code=B111, address="1单元101", outcome="visited"
    )
    sweep_services.record_visit(
        actor=gw, sweep=sweep, building_code=B111, address="1单元103", outcome="nobody_home"
    )
    _fever(B111, "发热甲")
    _fever(B112, "发热丙")  # another building of the same community: not the grid worker's
    login_client(client, world.users["grid_worker"])
    home = client.get("/")
    items = {i.label: i for i in home.context["items"]}
    building = items["建宁路1号楼"]
    assert (building.count, building.total) == (1, 3)
    assert building.url == f"/people/sweeps/{sweep.pk}/b/{B111}/"
    assert "建宁路2号楼" not in items
    assert items["未关闭预警"].count == 1
    assert "已走访 1 / 3 户" in home.content.decode()


def test_grid_worker_without_a_running_sweep_or_alert_has_nothing_due(client, world):
    login_client(client, world.users["grid_worker"])
    home = client.get("/")
    assert _counts(home) == {}
    assert "今日无待办" in home.content.decode()


def _referral(code, doctor, name="转诊甲"):
    q = make_quarantine(code, (name,), address=f"{code[-6:]}室")
    return referrals.referral_create(
        actor=staff(code, doctor.pk),
        observation=q.members.get(),
        hospital_id=make_hospital(f"发热门诊{code[-6:]}").pk,
        transport="120 负压救护车",
        reason="体温 38.5 °C",
    )


def test_doctor_home_counts_referrals_awaiting_feedback_and_links_the_list(client, world):
    doctor = world.users["doctor"]  # C11
    _referral(B111, doctor)
    _referral(B121, doctor, "转诊乙")  # sibling community
    login_client(client, doctor)
    home = client.get("/")
    assert _counts(home) == {"待反馈的转诊": 1}
    assert 'href="/monitoring/referrals/?outcome=pending"' in home.content.decode()
    listed = client.get("/monitoring/referrals/?outcome=pending")
    assert listed.status_code == 200
    body = listed.content.decode()
    assert "转诊甲" in body and "转诊乙" not in body
    assert "登记结果" in body
    # The monitoring board's card of pending referrals is a link to the same list.
    board = client.get("/monitoring/").content.decode()
    assert 'href="/monitoring/referrals/?outcome=pending"' in board


def test_doctor_with_nothing_pending_sees_the_empty_state(client, world):
    login_client(client, world.users["doctor"])
    assert "今日无待办" in client.get("/").content.decode()


def test_subdistrict_officer_home_lists_reports_to_review_and_escalations(client, world):
    submit(C11, YESTERDAY, "2020-02-10 08:00")
    submit(C12, YESTERDAY, "2020-02-10 08:10")
    submit(C21, YESTERDAY, "2020-02-10 08:20")  # another sub-district's community
    cp = make_checkpoint(C11)
    escalated, _ = _handover(cp, B111), _handover(cp, B121)
    Handover.objects.filter(pk=escalated.pk).update(
        level=HandoverLevel.SUBDISTRICT, due_at=timezone.now() - timedelta(hours=1)
    )
    _fever(B111, "发热甲")
    Alert.objects.update(level=AlertLevel.COMMUNITY, escalated_at=timezone.now())
    login_client(client, world.users["subdistrict_officer"])
    counts = _counts(client.get("/"))
    assert counts["待审核的下级日报告"] == 2
    assert counts["已升级的卡口移交"] == 1
    assert counts["已升级的未关闭预警"] == 1
    assert counts["待确认报送的日报告"] == 1  # the sub-district's own consolidated report


def test_command_office_home_is_the_district_overview(client, world):
    submit(C11, YESTERDAY, "2020-02-10 08:00")
    login_client(client, world.users["command_office"])
    home = client.get("/")
    assert home.status_code == 200
    body = home.content.decode()
    assert 'id="district-overview"' in body
    assert 'id="children"' not in body  # not the region tree
    (_template, panel), *_ = home.context["panels"]
    assert panel["data"].completeness.expected == 3
    assert panel["data"].completeness.submitted == 1


def test_roles_without_a_queue_keep_the_region_page(client, world):
    login_client(client, world.users["privacy_auditor"])
    home = client.get("/")
    assert home.status_code == 200 and 'id="region-title"' in home.content.decode()
