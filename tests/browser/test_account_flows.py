"""Main account flows through the pages: tokens on a phone, user administration on a desktop,
two-factor enrolment."""

import pytest
from playwright.sync_api import expect

from lianfang.accounts.models import ApiToken, Membership, User
from lianfang.accounts.tests.factories import PASSWORD, totp_code
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_creates_and_revokes_a_token_on_a_phone(open_page, world):
    page = open_page(PHONE)
    ui_login(page, "grid_worker", PASSWORD)
    page.goto("/accounts/tokens/")
    page.fill("#id_name", "手机对接")
    page.click("form button.btn-danger")
    token = page.locator("#new-token").inner_text()
    assert token.startswith("lf_")
    shot(page, "tokens-phone")
    page.on("dialog", lambda d: d.accept())
    page.click("text=吊销")
    page.wait_for_load_state("networkidle")
    assert "已吊销" in page.content()
    assert ApiToken.objects.get().state == "revoked"
    assert page.errors == []


def test_system_admin_creates_a_user_and_grants_a_role(open_page, world):
    page = open_page(DESKTOP)
    admin = world.users["system_admin"]
    ui_login(page, "system_admin", PASSWORD, admin.totpdevice_set.first())
    page.goto("/manage/users/new/")
    page.fill("#id_username", "li_gw")
    page.fill("#id_full_name", "李四")
    page.fill("#id_region_code", "620105001001")
    page.fill("#id_password", "Lanzhou-2020x")
    page.click("form button.btn-danger")
    page.wait_for_load_state("networkidle")
    assert "用户 li_gw 已创建" in page.content()
    page.select_option("#id_m-role", "grid_worker")
    page.fill("#id_m-region_code", "620105001001002")
    page.click("form:has(input[value=add_membership]) button")
    page.wait_for_load_state("networkidle")
    assert Membership.objects.filter(user__username="li_gw", role="grid_worker").exists()
    shot(page, "user-detail-desktop")
    assert page.errors == []


def test_two_factor_enrolment_through_the_pages(open_page, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = world.users["discipline_officer"]
    TOTPDevice.objects.filter(user=admin).delete()
    page = open_page(PHONE)
    ui_login(page, "discipline_officer", PASSWORD)
    page.wait_for_url("**/accounts/otp/setup/**")
    shot(page, "otp-setup-phone")
    pending = TOTPDevice.objects.get(user=admin, confirmed=False)
    page.fill("#id_code", totp_code(pending))
    page.click("form button[type=submit]")
    assert page.locator("#backup-codes li").count() == 10
    page.click("text=我已保存，继续")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".lf-work-queue")).to_be_visible()  # home: the confidential tip-offs
    assert (
        User.objects.get(username="discipline_officer")
        .totpdevice_set.filter(confirmed=True)
        .exists()
    )
