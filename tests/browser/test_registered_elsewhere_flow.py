"""A community worker registers a document held by another community on a phone: the refusal is
visible, names no one, and the request-transfer button sends the request."""

import pytest
from playwright.sync_api import expect

from conftest import B111, B211, C21
from lianfang.accounts.tests.factories import PASSWORD, UserFactory, grant
from lianfang.people.models import Transfer
from lianfang.people.tests.factories import make_person
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID = "11010519491231002X"


def test_registered_elsewhere_is_refused_visibly_and_a_transfer_can_be_requested(open_page, world):
    make_person(B211, "外社区人", id_number=ID)
    page = open_page(PHONE)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/new/")
    page.fill("#id_p-full_name", "孙八")
    page.fill("#id_p-id_number", ID)
    page.fill("#id_p-phone", "13812345678")
    page.select_option("#id_p-region_code", B111)
    page.click("#save-person")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#transfer-request")).to_be_visible()
    expect(page.get_by_text("已在其他辖区登记").first).to_be_visible()
    assert "外社区人" not in page.content() and "水挂庄" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "registered-elsewhere-phone")
    page.fill("#transfer-request input[name=reason]", "已搬来本社区")
    page.click("#request-transfer")
    page.wait_for_load_state("networkidle")
    shot(page, "transfer-requested-phone")
    expect(page.get_by_text("已申请转入").first).to_be_visible()
    assert "外社区人" not in page.content()
    shot(page, "transfer-requested-phone")
    assert Transfer.objects.get().status == "requested"
    assert page.errors == []

    holder = UserFactory.create(username="cw_c21", region_code=C21)
    grant(holder, "community_worker", C21)
    desk = open_page(DESKTOP)
    ui_login(desk, "cw_c21", PASSWORD)
    desk.goto("/people/transfers/")
    expect(desk.get_by_text("已搬来本社区")).to_be_visible()
    shot(desk, "transfer-request-to-agree-desktop")
    desk.click("button[value=agree]")
    desk.wait_for_load_state("networkidle")
    expect(desk.get_by_text("已同意").first).to_be_visible()
    assert Transfer.objects.get().status == "pending"
    assert desk.errors == []
