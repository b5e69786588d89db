"""Lists and home pages on a 375 px phone: every list is a stack of cards (each cell at a usable
width, its column's name shown beside the value), the page never scrolls sideways, the alert's
close button and the menu fit, and the community and grid workers' homes are their work queues."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import B111, B121, C11, SD1
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.checkpoints import services as checkpoint_services
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.referrals import services as referrals
from lianfang.monitoring.tests.factories import (
    default_policy,
    make_hospital,
    make_quarantine,
    staff,
)
from lianfang.people.sweeps import services as sweep_services
from lianfang.people.tests.factories import make_person
from lianfang.reporting.tests.factories import submit
from tests.browser.conftest import PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A cell narrower than this shows a word one character a line.
MIN_CELL = 80

CELLS = """(sel) => Array.from(document.querySelectorAll(sel + ' tbody td'))
  .filter((td) => td.offsetParent !== null && td.textContent.trim() !== '')
  .map((td) => ({w: td.getBoundingClientRect().width,
                 label: getComputedStyle(td, '::before').content,
                 text: td.textContent.trim()}))"""


@pytest.fixture(autouse=True)
def _policy(db):
    default_policy()


def _fever(code, name, address="1单元101"):
    q = make_quarantine(code, (name,), address=address)
    checks.check_record(observation=q.members.get(), temperature="38.5", source="self")
    return q


def _assert_cards(page, table, label, value):
    """``table`` renders as cards: no sideways scrolling, no squeezed cell, and the cell holding
    ``value`` is visible with its column's name ``label`` beside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cells = page.evaluate(CELLS, table)
    assert cells, table
    narrow = [c for c in cells if c["w"] < MIN_CELL]
    assert narrow == [], (table, narrow)
    assert any(c["label"] == f'"{label}"' and value in c["text"] for c in cells), (table, cells)
    expect(page.locator(f"{table} td", has_text=value).first).to_be_visible()


def test_lists_are_cards_on_a_phone(open_page, world):
    person = make_person(B111, "孙小明", address="2单元201")
    for i in range(3):
        make_person(B111, f"李{'一二三'[i]}", address=f"2单元20{i + 2}")
    _fever(B111, "周发热")
    doctor = world.users["doctor"]
    q = make_quarantine(B111, ("吴转诊",), address="5单元501")
    referrals.referral_create(
        actor=staff(B111, doctor.pk),
        observation=q.members.get(),
        hospital_id=make_hospital().pk,
        transport="120 负压救护车",
        reason="体温 38.5 °C",
    )
    page = open_page(PHONE)
    ui_login(page, "community_worker", PASSWORD)

    page.goto("/people/")
    _assert_cards(page, "#person-list", "证件号码", person.id_number_masked)
    shot(page, "cards-person-list-phone")

    page.goto("/monitoring/quarantines/")
    _assert_cards(page, "#quarantine-list", "预计解除", "")
    shot(page, "cards-quarantine-list-phone")

    page.goto("/monitoring/referrals/?outcome=all")
    _assert_cards(page, "#referral-list", "发热门诊", "安宁区人民医院发热门诊")
    expect(page.get_by_role("link", name="登记结果")).to_be_visible()
    shot(page, "cards-referrals-phone")

    page.goto(f"/regions/{C11}/")
    _assert_cards(page, "#children", "网格员", "")
    assert page.errors == []


def test_report_and_admin_lists_are_cards_on_a_phone(open_page, world):
    submit(C11, timezone.localdate() - timedelta(days=1), _now_text())
    page = open_page(PHONE)
    ui_login(page, "subdistrict_officer", PASSWORD)
    page.goto(f"/reports/?region={SD1}")
    _assert_cards(page, "#children-reports", "应报/已报", "1/1")
    shot(page, "cards-report-children-phone")

    admin = open_page(PHONE)
    device = TOTPDevice.objects.get(user=world.users["system_admin"])
    ui_login(admin, "system_admin", PASSWORD, otp_device=device)
    admin.goto("/manage/users/")
    _assert_cards(admin, "table", "姓名", "doctor人员")
    shot(admin, "cards-users-phone")
    assert page.errors == [] and admin.errors == []


def _now_text():
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def test_alert_close_button_and_menu_fit_on_a_phone(open_page, world):
    _fever(B111, "周发热")
    page = open_page(PHONE)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/monitoring/alerts/")
    button = page.locator(".lf-close").first
    expect(button).to_be_visible()
    # One line: the label is not broken into a character per line, nor cut off.
    box = button.bounding_box()
    assert box is not None and box["height"] < 40 and box["width"] >= 40
    assert button.evaluate("b => b.scrollWidth <= b.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "alerts-phone")

    command = open_page(PHONE)
    device = TOTPDevice.objects.get(user=world.users["command_office"])
    ui_login(command, "command_office", PASSWORD, otp_device=device)
    command.click(".navbar-toggler")
    menu = command.locator("#lf-nav")
    expect(menu).to_be_visible()
    links = command.locator("#lf-nav .navbar-nav.me-auto .nav-link")
    assert links.count() >= 12
    expect(links.last).to_be_in_viewport()
    for box in (links.nth(i).bounding_box() for i in range(links.count())):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The entries sit in columns: the whole menu takes well under half the screen.
    menu_box = command.locator("#lf-nav .navbar-nav.me-auto").bounding_box()
    assert menu_box is not None and menu_box["height"] < PHONE["height"] / 2
    shot(command, "menu-phone")
    assert page.errors == [] and command.errors == []


def test_community_worker_home_on_a_phone_is_the_work_queue(open_page, world):
    _fever(B111, "周发热")
    _fever(B121, "郑发热")  # the sibling community's: not counted
    cp = make_checkpoint(C11)
    checkpoint_services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(outcome="handover", destination_region_code=B111)),
    )
    page = open_page(PHONE)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/")
    queue = page.locator("#work-queue")
    expect(queue).to_be_visible()
    alerts = queue.get_by_role("link", name="未关闭预警")
    expect(alerts).to_be_visible()
    expect(alerts.locator(".badge")).to_have_text("1")
    expect(queue.get_by_role("link", name="待确认接收的卡口移交")).to_be_visible()
    expect(queue.get_by_role("link", name="待确认报送的日报告")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "home-community-worker-phone")
    alerts.click()
    page.wait_for_url("**/monitoring/alerts/?status=open")
    expect(page.locator("[data-alert]")).to_have_count(1)
    assert page.errors == []


def test_grid_worker_home_on_a_phone_shows_todays_buildings(open_page, world, actor_of):
    today = date.today()
    sweep = sweep_services.start_sweep(
        actor=actor_of(world.users["subdistrict_officer"]),
        region_code=SD1,
        name="二月排查",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=5),
    )
    make_person(B111, address="1单元101")
    make_person(B111, address="1单元102")
    sweep_services.record_visit(
        actor=actor_of(world.users["grid_worker"]),
        sweep=sweep,
        building_code=B111,
        address="1单元101",
        outcome="visited",
    )
    page = open_page(PHONE)
    ui_login(page, "grid_worker", PASSWORD)
    page.goto("/")
    building = page.locator("#work-queue a", has_text="建宁路1号楼")
    expect(building).to_be_visible()
    expect(building).to_contain_text("已走访 1 / 2 户")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "home-grid-worker-phone")
    building.click()
    page.wait_for_url(f"**/people/sweeps/{sweep.pk}/b/{B111}/")
    assert page.errors == []


def test_a_role_with_nothing_due_sees_the_empty_state(open_page, world):
    page = open_page(PHONE)
    ui_login(page, "doctor", PASSWORD)
    page.goto("/")
    expect(page.locator("#work-queue-empty")).to_be_visible()
    expect(page.locator("#work-queue-empty")).to_contain_text("今日无待办")
