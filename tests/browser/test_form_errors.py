"""A form that refuses a value says so where the user looks: the message is visible beside the
marked field (or in an alert at the top for a form-level error), at phone width where the form is
used on a phone. Each kind of form is covered once: a field the form validates, a domain error
the service raises after validation, a public page, a file upload, a fetch-driven phone page."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import B111, C11
from lianfang.accounts.tests.factories import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG_CHECK_DIGIT = "110105194912310021"  # 11010519491231002X with the last character changed


def expect_field_error(page, selector: str, text: str) -> None:
    """The message is visible, the field is marked invalid and points at the message."""
    expect(page.get_by_text(text)).to_be_visible()
    field = page.locator(selector)
    expect(field).to_have_class(re.compile(r"(^|\s)is-invalid(\s|$)"))
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert any(page.locator(f"#{i}").inner_text().strip() == text for i in described), described


def expect_fits_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _fill_person(page) -> None:
    page.fill("#id_p-full_name", "孙八")
    page.fill("#id_p-id_number", WRONG_CHECK_DIGIT)
    page.fill("#id_p-phone", "13812345678")
    page.select_option("#id_p-region_code", B111)


def test_person_registration_shows_a_wrong_check_digit_on_the_desktop(open_page, world):
    page = open_page(DESKTOP)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/new/")
    _fill_person(page)
    page.click("#save-person")
    expect_field_error(page, "#id_p-id_number", "身份证号校验位错误，请核对。")
    shot(page, "form-error-person-desktop")


def test_grid_worker_sees_a_wrong_check_digit_on_the_phone(open_page, world):
    page = open_page(PHONE)
    ui_login(page, "grid_worker", PASSWORD)
    page.goto("/people/new/")
    _fill_person(page)
    page.click("#save-person")
    expect_field_error(page, "#id_p-id_number", "身份证号校验位错误，请核对。")
    expect_fits_phone(page)
    shot(page, "form-error-person-phone")


def test_public_self_registration_shows_a_bad_phone_number(open_page, world):
    from lianfang.accounts.actors import actor_for
    from lianfang.people.selfreg import services as selfreg_services
    from lianfang.regions.models import Region

    link = selfreg_services.link_for(
        actor=actor_for(world.users["community_worker"]), community=Region.objects.get(code=C11)
    )
    page = open_page(PHONE)
    page.goto(f"/r/{link.token}/")
    page.fill("#id_full_name", "周九")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_phone", "12345")
    page.select_option("#id_region_code", B111)
    page.fill("#id_address", "2单元202")
    page.select_option("#id_origin", "420100")
    page.fill("#id_departure_date", "2020-01-20")
    page.fill("#id_arrival_date", "2020-01-21")
    page.select_option("#id_transport", "train")
    page.click("#selfreg-submit")
    expect_field_error(page, "#id_phone", "手机号或电话号码无效。")
    expect_fits_phone(page)
    shot(page, "form-error-selfreg-phone")


def test_resident_check_in_shows_an_impossible_temperature(open_page, world):
    from lianfang.monitoring.checks import tokens
    from lianfang.monitoring.tests.factories import default_policy, make_quarantine

    default_policy()
    q = make_quarantine(B111, ("钱三",))
    page = open_page(PHONE)
    page.goto(f"/c/{tokens.token_of(q.members.get())}/")
    page.fill("#id_temperature", "45")
    page.click("#checkin-submit")
    expect_field_error(page, "#id_temperature", "体温应为 34.0–43.0 °C 之间的数字。")
    expect_fits_phone(page)
    shot(page, "form-error-checkin-phone")


def test_returning_a_report_without_a_comment_says_why_it_was_refused(open_page, world):
    from lianfang.monitoring.tests.factories import default_policy
    from lianfang.regions.models import Region
    from lianfang.reporting.tests.factories import report, submit

    default_policy()
    week_ago = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=7), time.min)
    )
    Region.objects.update(created_at=week_ago)
    day = timezone.localdate() - timedelta(days=2)
    submit(C11, day, f"{(day + timedelta(days=1)).isoformat()} 07:10")
    page = open_page(DESKTOP)
    ui_login(page, "subdistrict_officer", PASSWORD)
    page.goto(f"/reports/{C11}/{day.isoformat()}/")
    page.click("#review-return")
    expect_field_error(page, "#id_review-comment", "请说明退回原因，便于下级更正。")
    # the review form sits under the report's figures: the answer brings the error into view
    expect(page.get_by_text("请说明退回原因，便于下级更正。")).to_be_in_viewport()
    expect(page.locator("#id_review-comment")).to_be_focused()
    assert report(C11, day).shown_status != "returned"
    shot(page, "form-error-review-desktop")


def test_import_page_shows_why_a_file_that_is_not_a_spreadsheet_was_refused(
    open_page, world, tmp_path
):
    path = tmp_path / "arrivals.xlsx"
    path.write_bytes(b"\x00\x9c\xffnot a spreadsheet at all\x13" * 40)
    page = open_page(DESKTOP)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#start-import")
    page.wait_for_load_state("networkidle")
    field = page.locator("#id_file")
    expect(field).to_have_class(re.compile(r"(^|\s)is-invalid(\s|$)"))
    # the wording belongs to the import; what matters here is that it is shown
    message = page.locator("#id_file_error")
    expect(message).to_be_visible()
    assert message.inner_text().strip()
    assert "Error" not in message.inner_text()
    shot(page, "form-error-import-desktop")


def test_login_with_a_wrong_password_shows_the_form_level_error(open_page, world):
    page = open_page(PHONE)
    page.goto("/accounts/login/")
    page.fill("#id_username", "community_worker")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    expect(page.get_by_role("alert")).to_be_visible()
    expect_fits_phone(page)
    shot(page, "form-error-login-phone")


def test_password_change_shows_a_wrong_current_password(open_page, world):
    """Django's own form (not the project's base form) gets the same marking."""
    page = open_page(PHONE)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/accounts/password/")
    page.fill("#id_old_password", "not-the-password")
    page.fill("#id_new_password1", "a-Much-longer-pass-2026")
    page.fill("#id_new_password2", "a-Much-longer-pass-2026")
    page.click("main form button.btn-danger")
    page.wait_for_load_state("networkidle")
    field = page.locator("#id_old_password")
    expect(field).to_have_class(re.compile(r"(^|\s)is-invalid(\s|$)"))
    expect(page.locator("#id_old_password_error")).to_be_visible()
    expect_fits_phone(page)


def test_checkpoint_phone_page_shows_a_bad_plate_and_temperature(open_page, world):
    from lianfang.checkpoints.tests.factories import make_checkpoint

    cp = make_checkpoint(C11)
    page = open_page(PHONE)
    ui_login(page, "checkpoint_officer", PASSWORD)
    page.goto(f"/checkpoints/{cp.pk}/check/")
    page.fill("#plate", "ABC")
    occupant = page.locator(".lf-occupant").nth(0)
    occupant.locator("[data-f=full_name]").fill("赵甲")
    occupant.locator("[data-f=temperature]").fill("45")
    page.click("#check-submit")
    bad_plate = "车牌号格式不正确（如 甘A12345、甘AD12345）；确需按原样登记请说明原因。"
    expect(page.get_by_text(bad_plate)).to_be_visible()
    expect(page.locator("#plate")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("体温应为 34.0–43.0 °C 之间的数字。")).to_be_visible()
    expect(occupant.locator("[data-f=temperature]")).to_have_attribute("aria-invalid", "true")
    expect_fits_phone(page)
    shot(page, "form-error-checkpoint-phone")


def test_checkpoint_phone_page_shows_an_error_that_has_no_field_of_its_own(open_page, world):
    from lianfang.checkpoints.tests.factories import make_checkpoint

    cp = make_checkpoint(C11)
    page = open_page(PHONE)
    ui_login(page, "checkpoint_officer", PASSWORD)
    page.goto(f"/checkpoints/{cp.pk}/check/")
    page.fill("#plate", "甘A12345")
    page.click(".lf-occupant [data-remove]")
    page.click("#check-submit")
    expect(page.get_by_text("请至少登记一名车上人员（优先通行车辆除外）。")).to_be_visible()
    expect_fits_phone(page)
