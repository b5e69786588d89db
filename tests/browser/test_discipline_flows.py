"""The discipline office through the real pages: an officer registers a transfer (the missing
reason shown on its field) and proposes a verification at 375 px; the leader approves it at the
desktop and the clue is under verification."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lianfang.accounts.tests.factories import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, world, role, username):
    device = TOTPDevice.objects.get(user=world.users[role])
    ui_login(page, username, PASSWORD, otp_device=device)


def test_an_officer_registers_and_proposes_and_a_leader_approves(open_page, world):
    from lianfang.discipline import defaults
    from lianfang.discipline.models import Kind

    defaults.seed(Kind)
    phone = open_page(PHONE)
    _login(phone, world, "discipline_officer", "discipline_officer")
    phone.goto("/discipline/")
    expect(phone.locator("#clues-empty")).to_be_visible()
    phone.click("#clue-new")
    phone.select_option("#id_kind", "desertion")
    phone.fill("#id_subject_name", "赵某某")
    phone.fill("#id_subject_unit", "培黎街道")
    phone.fill("#id_facts", "2月8日夜间某卡口值班负责人擅自离岗约三小时。")
    phone.click("#clue-submit")
    expect(phone.locator("#id_transfer_reason_error")).to_be_visible()
    phone.fill("#id_transfer_reason", "督查中发现，移送纪委监委。")
    phone.click("#clue-submit")
    expect(phone.locator("#clue-facts")).to_contain_text("擅自离岗")
    phone.select_option("#id_propose-disposition", "verify")
    phone.click("#propose-submit")
    expect(phone.locator("#id_propose-reason_error")).to_be_visible()
    phone.fill("#id_propose-reason", "事实具体，需初步核实")
    phone.click("#propose-submit")
    expect(phone.locator("#clue-state")).to_have_text("处置待审批")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "discipline-clue-phone")

    desk = open_page(DESKTOP)
    _login(desk, world, "discipline_leader", "discipline_leader")
    desk.goto("/")
    desk.click("text=待审批的处置意见")
    desk.locator("#clues a").first.click()
    desk.click("#approve-submit")
    expect(desk.locator("#clue-state")).to_have_text("初步核实")
    expect(desk.locator("#clue-timeline")).to_contain_text("批准处置意见")
    shot(desk, "discipline-clue-desktop")
    real = [e for e in phone.errors + desk.errors if "status of 422" not in e]  # the refused forms
    assert real == [], real
