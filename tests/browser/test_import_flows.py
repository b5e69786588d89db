"""The import's mapping step and its upload errors through the real pages, on a phone and on a
desktop (issue 15, "Real pushed lists")."""

import pytest
from playwright.sync_api import expect

from lianfang.accounts.tests.factories import PASSWORD
from lianfang.people.tests import messylist
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_mapping_step_shows_the_header_row_and_an_unrecognised_column(
    open_page, world, tmp_path, viewport, label
):
    path = tmp_path / "返兰人员名单.xlsx"
    path.write_bytes(messylist.xlsx())
    page = open_page(viewport)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#start-import")
    expect(page.locator("#header-taken")).to_be_visible()
    expect(page.locator("#header-taken")).to_contain_text("第 3–4 行")
    unrecognised = page.locator("#column-9")  # 户籍地: not one of the known columns
    expect(unrecognised).to_be_visible()
    expect(unrecognised).to_contain_text("户籍地")
    expect(unrecognised).to_contain_text("未识别")
    expect(unrecognised.locator(".column-sample")).to_contain_text("湖北武汉")
    expect(page.locator("#id_col_6")).to_have_value("arrival_date")  # 返兰时间, under 返程信息
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"import-mapping-{label}")
    page.click("#confirm-import")
    expect(page.locator("#download-outcomes")).to_be_visible()
    expect(page.locator("#count-created")).to_have_text("7")
    expect(page.locator("#import-notes")).to_contain_text("按 2020 年处理")
    shot(page, f"import-done-{label}")
    assert page.errors == []


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_an_upload_of_a_damaged_file_shows_its_error_visibly(
    open_page, world, tmp_path, viewport, label
):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(messylist.xlsx()[:900])
    page = open_page(viewport)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#start-import")
    error = page.locator("#id_file_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("文件已损坏")
    shot(page, f"import-damaged-{label}")
    assert page.errors == []
