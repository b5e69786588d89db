"""Tip-off flows through the real pages: a resident files an anonymous tip with a photo at
375 px and later reads the reply with the codes; an operator takes a call (the caller's phone
typed once) and merges a repeat call; the grid worker verifies a lead at the door and registers
the person, and the reporter reads "已核实登记"; an order left unsigned escalates."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import B111, C11
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.cases import services
from lianfang.cases.models import WorkOrder
from lianfang.cases.tests.factories import tip
from lianfang.people.tests.factories import resident_id
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path):
    from PIL import Image

    path = tmp_path / "photo.jpg"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_a_resident_files_an_anonymous_tip_with_a_photo_and_reads_the_reply(
    open_page, world, tmp_path
):
    page = open_page(PHONE)
    page.goto("/tips/")
    page.select_option("#id_category", "epidemic_lead")
    page.click("#tip-submit")  # nothing filled: the errors show on the fields
    expect(page.locator("#id_text_error")).to_be_visible()
    page.fill("#id_text", "3号楼2单元有人从武汉回来没有登记")
    page.select_option("#id_place_code", C11)
    page.fill("#id_place_text", "建宁路1号楼 2单元")
    page.check("#id_anonymous")
    page.set_input_files("#id_photos", _photo(tmp_path))
    shot(page, "tip-form-phone")
    page.click("#tip-submit")
    expect(page.locator("#tip-receipt")).to_be_visible()
    receipt = page.locator("#tip-receipt").inner_text()
    code = page.locator("#tip-check-code").inner_text()
    shot(page, "tip-done-phone")
    order = WorkOrder.objects.get(receipt=receipt)
    assert order.anonymous and order.photos.count() == 1
    worker = services.order_accept(actor=_actor(world, "community_worker"), order=order)
    services.order_reply(
        actor=_actor(world, "community_worker"),
        order=worker,
        result="not_true",
        reply="经核实，该户已于 2 月 1 日登记，正在居家观察。",
    )
    page.goto("/tips/status/")
    page.fill("#id_receipt", receipt)
    page.fill("#id_check_code", code)
    page.click("#tip-lookup-submit")
    expect(page.locator("#tip-state")).to_have_text("已办结")
    expect(page.locator("#tip-replies")).to_contain_text("正在居家观察")
    shot(page, "tip-status-phone")
    assert page.errors == []


def _actor(world, role):
    from lianfang.accounts.actors import actor_for

    return actor_for(world.users[role])


def test_an_operator_takes_a_call_and_merges_a_repeat_call(open_page, world):
    first = tip("sanitation", text="小区门口垃圾堆了三天", place_code=B111, phone="13912345678")
    page = open_page(DESKTOP)
    ui_login(page, "hotline_operator", PASSWORD)
    page.goto("/cases/desk/")
    page.fill("#id_phone", "13912345678")  # typed once
    page.click("#desk-search")
    expect(page.locator("#desk-earlier")).to_contain_text(first.receipt)
    assert page.locator("#id_phone").input_value() == "13912345678"
    page.select_option("#id_category", "sanitation")
    page.fill("#id_text", "又打来电话：门口垃圾还没清运")
    page.select_option("#id_place_code", C11)
    page.click("#desk-submit")
    expect(page.locator("#desk-receipt")).to_be_visible()
    shot(page, "desk-done-desktop")
    page.click("text=打开工单")
    page.fill("#merge-into", first.receipt)
    page.once("dialog", lambda d: d.accept())
    page.click("#order-merge button")
    expect(page.locator("#order-state")).to_have_text("重复件")
    again = WorkOrder.objects.exclude(pk=first.order.pk).get()
    assert again.merged_into_id == first.order.pk and again.channel == "hotline"
    assert page.errors == []


def test_the_grid_worker_registers_a_lead_at_the_door_and_the_reporter_sees_it(open_page, world):
    receipt = tip(place_code=B111, text="2单元有人从武汉回来没有登记")
    page = open_page(PHONE)
    ui_login(page, "grid_worker", PASSWORD)
    page.goto("/")
    page.click("text=待签收的工单")
    page.click(f'[data-order="{receipt.receipt}"]')
    shot(page, "lead-order-phone")
    page.click("#order-lead-register")
    page.fill("#id_full_name", "王五")
    page.fill("#id_id_number", resident_id(seq=88))
    page.select_option("#id_region_code", B111)
    page.fill("#id_address", "2单元301")
    page.click("#lead-submit")
    expect(page.locator("#order-state")).to_have_text("已办结")
    shot(page, "lead-done-phone")
    public = open_page(PHONE)
    public.goto("/tips/status/")
    public.fill("#id_receipt", receipt.receipt)
    public.fill("#id_check_code", receipt.check_code)
    public.click("#tip-lookup-submit")
    expect(public.locator("#tip-result")).to_have_text("已核实登记")
    assert "王五" not in public.content()
    assert page.errors == [] and public.errors == []


def test_an_order_left_unsigned_escalates_to_the_board_above(open_page, world):
    import time_machine

    order = tip(place_code=B111).order
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=False):
        assert services.overdue_mark()["sign"] == 1
    page = open_page(DESKTOP)
    ui_login(page, "subdistrict_officer", PASSWORD)
    page.goto("/cases/?tab=overdue")
    expect(page.locator(f'[data-order="{order.receipt}"]')).to_contain_text("超期")
    shot(page, "cases-overdue-desktop")


def test_the_command_office_reads_the_statistics_and_adjusts_a_category(open_page, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for _i in range(3):
        tip(place_code=B111)
    tip("sanitation", text="小区门口垃圾堆了三天", place_code=B111)
    page = open_page(DESKTOP)
    device = TOTPDevice.objects.get(user=world.users["command_office"])
    ui_login(page, "command_office", PASSWORD, otp_device=device)
    page.goto("/cases/stats/")
    chart = page.locator('[data-chart="cases-trend"] canvas')
    expect(chart).to_be_visible()
    expect(page.locator("#stats-categories")).to_contain_text("疫情线索")
    page.click("#stats-days summary")
    expect(page.locator("#stats-days tbody tr").last).to_contain_text("4")
    shot(page, "cases-stats-desktop")
    page.goto("/cases/")
    page.select_option("#case-category", "sanitation")
    expect(page.locator("#orders .list-group-item")).to_have_count(1)
    page.goto("/cases/categories/?code=sanitation")
    page.fill("#id_limit", "")
    page.click("#category-form button")
    expect(page.locator("#id_limit_error")).to_be_visible()
    shot(page, "cases-categories-desktop")
    page.fill("#id_limit", "2")  # the date to take effect is tomorrow already
    page.click("#category-form button")
    expect(page.locator(".alert-success")).to_contain_text("新版本已保存")
    assert page.errors == []
