"""Registry flows through the real pages: door-to-door registration on a phone, self-registration
through the QR page and its verification."""

import pytest

from conftest import B111, C11
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.people.models import Person, Registration, SelfReport
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_registers_an_arrival_door_to_door_on_a_phone(open_page, world):
    page = open_page(PHONE)
    ui_login(page, "grid_worker", PASSWORD)
    page.goto("/people/new/")
    page.fill("#id_p-full_name", "孙八")
    page.fill("#id_p-id_number", "11010519491231002X")
    page.fill("#id_p-phone", "13812345678")
    page.select_option("#id_p-region_code", B111)
    page.fill("#id_p-address", "1单元101")
    page.select_option("#id_r-origin", "420100")
    page.fill("#id_r-arrival_date", "2020-01-25")
    page.check("input[name=r-symptoms][value=cough]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "door-to-door-form-phone")
    page.click("#save-person")
    page.wait_for_load_state("networkidle")
    assert "孙八" in page.locator("#person-name").inner_text()
    assert page.locator("#id-number").inner_text() == "110105********002X"
    assert Registration.objects.get(person__full_name="孙八").symptoms == ["cough"]
    shot(page, "person-detail-phone")
    assert page.errors == []


def test_self_registration_through_the_qr_page_and_verification(open_page, world):
    from lianfang.accounts.actors import actor_for
    from lianfang.people.selfreg import services as selfreg_services
    from lianfang.regions.models import Region

    link = selfreg_services.link_for(
        actor=actor_for(world.users["community_worker"]), community=Region.objects.get(code=C11)
    )
    resident = open_page(PHONE)
    resident.goto(f"/r/{link.token}/")
    resident.fill("#id_full_name", "周九")
    resident.fill("#id_id_number", "11010519491231002X")
    resident.fill("#id_phone", "13812345678")
    resident.select_option("#id_region_code", B111)
    resident.fill("#id_address", "2单元202")
    resident.select_option("#id_origin", "420100")
    resident.fill("#id_departure_date", "2020-01-20")
    resident.fill("#id_arrival_date", "2020-01-21")
    resident.select_option("#id_transport", "train")
    shot(resident, "selfreg-form-phone")
    resident.click("#selfreg-submit")
    resident.wait_for_selector("#selfreg-done")
    assert "周" not in resident.content().split("<main")[1]
    assert resident.errors == []
    assert SelfReport.objects.get().status == "pending"

    worker = open_page(DESKTOP)
    ui_login(worker, "community_worker", PASSWORD)
    worker.goto("/people/self-reports/")
    worker.click("#selfreg-queue a")
    worker.click("#accept-report")
    worker.wait_for_load_state("networkidle")
    assert "周九" in worker.locator("#person-name").inner_text()
    assert Person.objects.get().registrations.get().source == "self"
    shot(worker, "selfreg-accepted-desktop")


def test_import_with_a_bad_row_and_its_outcome_file(open_page, world, tmp_path):
    import io

    from python_calamine import CalamineWorkbook

    from lianfang.people.tests.factories import resident_id
    from lianfang.people.tests.test_import import xlsx

    path = tmp_path / "arrivals.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["甲", resident_id(seq=5), "", "420100", "2020-01-25", "建宁路社区"],
                ["乙", "123", "", "", "", "建宁路社区"],
            ]
        )
    )
    page = open_page(DESKTOP)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#start-import")
    page.click("#confirm-import")  # the mapping step: header and columns as recognised
    page.wait_for_selector("#download-outcomes")
    assert page.locator("#count-created").inner_text() == "1"
    assert page.locator("#count-rejected").inner_text() == "1"
    shot(page, "import-done-desktop")
    with page.expect_download() as download:
        page.click("#download-outcomes")
    content = download.value.path().read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert (rows[2][0], rows[2][3], rows[2][4]) == (3, "拒绝", "身份证号格式错误")
    assert page.errors == []


def test_community_worker_merges_two_records(open_page, world):
    from lianfang.people.tests.factories import make_person

    kept = make_person(B111, "郑十", phone="13812345678")
    dropped = make_person(B111, "郑拾", phone="13812345678")
    page = open_page(DESKTOP)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/people/duplicates/")
    page.click("#duplicate-queue a")
    page.check(f"input[name=keep][value='{kept.pk}']")
    shot(page, "duplicate-compare-desktop")
    page.on("dialog", lambda d: d.accept())
    page.click("#merge")
    page.wait_for_load_state("networkidle")
    dropped.refresh_from_db()
    assert dropped.status == "merged" and dropped.merged_into_id == kept.pk
    assert "郑十" in page.locator("#person-name").inner_text()
    assert page.errors == []
