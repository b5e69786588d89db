"""Checkpoint flows through the real pages at phone size: an officer checks a car with three
occupants (one with fever, one bound for a community) without a page reload, the community
acknowledges the hand-over, and an overdue hand-over escalates (time-machine)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from conftest import B111, C11
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.checkpoints import jobs, services
from lianfang.checkpoints.models import Handover, VehicleCheck
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle
from lianfang.people.tests.factories import resident_id
from tests.browser.conftest import PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(page, index, **values):
    box = page.locator(".lf-occupant").nth(index)
    for field, value in values.items():
        target = box.locator(f"[data-f={field}]")
        if field in ("outcome", "destination_region_code", "health_code"):
            target.select_option(value)
        else:
            target.fill(value)


def test_a_fever_released_at_the_checkpoint_is_refused_visibly(open_page, world):
    cp = make_checkpoint(C11)
    page = open_page(PHONE)
    ui_login(page, "checkpoint_officer", PASSWORD)
    page.goto(f"/checkpoints/{cp.pk}/check/")
    page.fill("#plate", "甘A54321")
    _fill(page, 0, full_name="李丁", id_number=resident_id(), temperature="38.5", outcome="pass")
    assert (
        page.locator("[data-f=outcome]").input_value() == "pass"
    )  # the choice stays the officer's
    page.click("#check-submit")
    expect(page.locator("#check-result")).to_be_visible()
    error = page.locator(".lf-occupant [data-e=outcome]")
    expect(error).to_contain_text("不能“放行”")
    expect(error).to_be_visible()
    assert VehicleCheck.objects.count() == 0
    assert [e for e in page.errors if "422" not in e] == []  # the refusal is the only error


def test_officer_checks_a_car_and_the_community_acknowledges(open_page, world):
    cp = make_checkpoint(C11)
    page = open_page(PHONE)
    ui_login(page, "checkpoint_officer", PASSWORD)
    page.goto(f"/checkpoints/{cp.pk}/check/")
    first_load = page.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
    page.fill("#plate", "鄂A12345")
    page.select_option("#origin", "420100")
    _fill(page, 0, full_name="赵甲", id_number=resident_id(), temperature="36.5")
    page.click("#add-occupant")
    _fill(page, 1, full_name="钱乙", id_number=resident_id(), temperature="38.4")
    fever_box = page.locator(".lf-occupant").nth(1).locator("[data-e=outcome]")
    expect(fever_box).to_be_visible()  # flagged beside the choice, not changed behind it
    _fill(page, 1, outcome="fever_clinic")
    expect(fever_box).to_be_hidden()
    page.click("#add-occupant")
    _fill(
        page, 2, full_name="孙丙", id_number=resident_id(), temperature="36.6", outcome="handover"
    )
    _fill(page, 2, destination_region_code="620105001001", address="建宁路1号楼2单元")
    assert (
        page.locator(".lf-occupant").nth(1).locator("[data-f=outcome]").input_value()
        == "fever_clinic"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "checkpoint-check-phone")
    page.click("#check-submit")
    page.wait_for_selector("#recent-checks li")
    assert "发热 1" in page.locator("#check-result").inner_text()
    assert "移交 1" in page.locator("#check-result").inner_text()
    # the form is ready for the next vehicle without a page load
    assert page.locator(".lf-occupant").count() == 1 and page.input_value("#plate") == ""
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert first_load < 200_000
    check = VehicleCheck.objects.get()
    assert check.occupant_count == 3
    local = timezone.localtime(check.checked_at).strftime("%H:%M")  # Asia/Shanghai, not UTC
    assert page.locator("#recent-checks li").first.inner_text().startswith(local + " ")
    assert page.errors == []

    h = Handover.objects.get()
    worker = open_page(PHONE)
    ui_login(worker, "community_worker", PASSWORD)
    worker.goto("/checkpoints/handovers/")
    assert "孙丙" in worker.locator("#handovers").inner_text()
    worker.select_option(f"#r-{h.pk}", "at_home")
    worker.fill(f"#n-{h.pk}", "已到家，已告知居家观察要求")
    shot(worker, "checkpoint-inbox-phone")
    worker.click(f"[data-handover='{h.pk}'] button")
    worker.wait_for_selector(".alert-success")
    h.refresh_from_db()
    assert h.status == "acknowledged" and h.in_time
    assert worker.errors == []


def test_overdue_handover_escalates_to_the_district(open_page, world):
    cp = make_checkpoint(C11)
    services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(full_name="李丁", outcome="handover", destination_region_code=B111)),
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=5)):
        assert jobs.escalate_now()["subdistrict"] == 1
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=10)):
        assert jobs.escalate_now()["district"] == 1
    page = open_page(PHONE)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.users["command_office"]
    ui_login(page, "command_office", PASSWORD, TOTPDevice.objects.get(user=user))
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=15)):
        page.goto("/checkpoints/handovers/?status=overdue")
        text = page.locator("#handovers").inner_text()
    assert "李丁" in text and "已升级至区" in text
    shot(page, "checkpoint-overdue-phone")
    assert page.errors == []


def test_key_area_origin_is_highlighted_before_recording(open_page, world):
    from datetime import date

    from lianfang.people.models import KeyArea

    KeyArea.objects.create(
        code="420100", name="武汉市", region_code="620105", valid_from=date(2020, 1, 1)
    )
    cp = make_checkpoint(C11)
    page = open_page(PHONE)
    ui_login(page, "checkpoint_officer", PASSWORD)
    page.goto(f"/checkpoints/{cp.pk}/check/")
    assert not page.locator("#key-area-warning").is_visible()
    page.select_option("#origin", "420100")
    assert page.locator("#key-area-warning").is_visible()
    page.select_option("#origin", "620100")
    assert not page.locator("#key-area-warning").is_visible()
    assert page.errors == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_destination_community_sharing_its_name_shows_its_subdistrict(open_page, world, size):
    from conftest import C21
    from lianfang.regions.models import Region
    from tests.browser.conftest import DESKTOP

    Region.objects.filter(code=C21).update(name=Region.objects.get(code=C11).name)
    cp = make_checkpoint(C11)
    page = open_page(PHONE if size == "phone" else DESKTOP)
    ui_login(page, "checkpoint_officer", PASSWORD)
    page.goto(f"/checkpoints/{cp.pk}/check/")
    _fill(page, 0, outcome="handover")
    _fill(page, 0, destination_region_code=C21)
    chosen = page.locator(".lf-occupant").nth(0).locator("[data-f=destination_region_code]")
    expect(chosen).to_be_visible()
    label = chosen.evaluate("s => s.options[s.selectedIndex].text")
    second = Region.objects.get(code=C21[:9]).name
    assert label.endswith(f"（{second}）")
    shot(page, f"checkpoint-destination-{size}")
