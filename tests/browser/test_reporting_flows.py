"""Daily report flows through the real pages: a community worker files a report and a zero
report on a phone; a sub-district officer sees a missing community, returns one report,
approves the rest and files the consolidated report; the district downloads the bulletin as
xlsx and PDF (the PDF is rendered to PNG and its Chinese text checked)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import B111, C11, C12, C21, SD1
from lianfang.accounts.tests.factories import PASSWORD, UserFactory, grant
from lianfang.monitoring.tests.factories import default_policy, make_quarantine
from lianfang.regions.models import Region
from lianfang.regions.tests.factories import make_region
from lianfang.reporting import jobs
from lianfang.reporting.tests.factories import report, submit
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _policy(db):
    default_policy()


def _moment(day, hh_mm: str) -> str:
    return f"{day.isoformat()} {hh_mm}"


@pytest.fixture
def days(world):
    """The grid exists since a week ago; D is the day before yesterday (its deadlines passed)."""
    week_ago = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=7), time.min)
    )
    Region.objects.update(created_at=week_ago)
    today = timezone.localdate()
    return today - timedelta(days=2), today - timedelta(days=1)


def test_community_worker_files_a_report_and_a_zero_report_on_a_phone(open_page, world, days):
    _, yesterday = days
    with time_machine.travel(
        timezone.make_aware(datetime.combine(yesterday, time(10))), tick=False
    ):
        make_quarantine(B111, ("孙四",), start=yesterday, address="5号")
    page = open_page(PHONE)
    ui_login(page, "community_worker", PASSWORD)
    page.goto("/reports/mine/")
    page.wait_for_selector("#report-figures")
    assert "新增医学观察" in page.locator("#report-figures").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "report-community-phone")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    # on time or late depends on when the suite runs (the deadline is 08:00 today)
    assert page.locator("#report-status").inner_text() in ("已报送", "迟报")
    assert report(C11, yesterday).revision == 1
    assert page.errors == []

    quiet = UserFactory.create(username="cw_quiet", region_code=C21)
    grant(quiet, "community_worker", C21)
    page = open_page(PHONE)
    ui_login(page, "cw_quiet", PASSWORD)
    page.goto("/reports/mine/")
    page.wait_for_selector("#submit-form")
    page.click("#submit-form button[type=submit]")  # without confirming: refused
    page.wait_for_selector(".invalid-feedback")
    page.check("#id_submit-confirm_zero")
    shot(page, "report-zero-phone")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "零报告" in page.locator("#report-header").inner_text()
    # the refused attempt answered 422 (the page with the error); nothing else went wrong
    assert [e for e in page.errors if "422" not in e] == []


def test_subdistrict_officer_reviews_and_files_the_consolidated_report(open_page, world, days):
    d, _ = days
    c13 = make_region(f"{SD1}003", "新华社区").code
    Region.objects.filter(code=c13).update(created_at=Region.objects.get(code=C11).created_at)
    with time_machine.travel(timezone.make_aware(datetime.combine(d, time(10))), tick=False):
        make_quarantine(B111, ("周五",), start=d, address="6号")
    submit(C11, d, _moment(d + timedelta(days=1), "07:10"))
    submit(c13, d, _moment(d + timedelta(days=1), "07:20"))
    jobs.deadlines_now()  # C12 never filed: missing
    page = open_page(DESKTOP)
    ui_login(page, "subdistrict_officer", PASSWORD)
    page.goto(f"/reports/?region={SD1}&date={d.isoformat()}")
    page.wait_for_selector("#children-reports")
    table = page.locator("#children-reports").inner_text()
    assert "向阳社区" in table and "漏报" in table
    assert page.locator("#completeness").inner_text().count("1") >= 1
    page.wait_for_selector("[data-chart=report-grid] canvas")
    shot(page, "report-overview-subdistrict")
    page.click("#children-reports >> text=建宁路社区")
    page.fill("#id_review-comment", "请核对新增观察人数")
    page.click("#review-return")
    page.wait_for_selector(".alert-success")
    assert report(C11, d).shown_status == "returned"
    page.goto(f"/reports/{c13}/{d.isoformat()}/")
    page.click("#review-approve")
    page.wait_for_selector(".alert-success")
    assert report(c13, d).shown_status == "approved"
    page.goto(f"/reports/{SD1}/{d.isoformat()}/")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    consolidated = report(SD1, d)
    assert consolidated.revision == 1 and consolidated.late  # filed after 09:00 of D+1
    assert consolidated.revisions.get().completeness["missing"] == 1
    assert page.errors == []
    assert report(C12, d).shown_status == "missing"


def test_district_downloads_the_bulletin_as_xlsx_and_pdf(open_page, world, days):
    import pypdfium2
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from python_calamine import CalamineWorkbook

    d, _ = days
    with time_machine.travel(timezone.make_aware(datetime.combine(d, time(10))), tick=False):
        make_quarantine(B111, ("吴六",), start=d, address="7号")
    submit(C11, d, _moment(d + timedelta(days=1), "07:10"))
    submit(C12, d, _moment(d + timedelta(days=1), "07:15"))
    user = world.users["command_office"]
    page = open_page(DESKTOP)
    ui_login(page, "command_office", PASSWORD, TOTPDevice.objects.get(user=user))
    page.goto(f"/reports/bulletins/?date={d.isoformat()}")
    page.click("#generate-bulletin")
    page.wait_for_selector("#bulletin-archive")
    shot(page, "report-bulletins")
    with page.expect_download() as xlsx_download:
        page.click("#bulletin-archive >> text=xlsx")
    rows = CalamineWorkbook.from_path(xlsx_download.value.path()).get_sheet_by_index(0).to_python()
    assert "安宁区疫情防控日报" in str(rows[0][0])
    assert any(r[1] == "小计" for r in rows) and rows[-1][1] == "合计"
    with page.expect_download() as pdf_download:
        page.click("#bulletin-archive >> text=PDF")
    pdf = pypdfium2.PdfDocument(pdf_download.value.path())
    first = pdf[0]
    text = "".join(first.get_textpage().get_text_range().split())  # cells wrap their text
    assert "安宁区疫情防控日报" in text and "建宁路社区" in text and "合计" in text
    image = first.render(scale=1.5).to_pil()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "report-bulletin-pdf.png")
    darkest, lightest = image.convert("L").getextrema()
    assert image.width > 1000 and darkest < 80 and lightest > 200  # text drawn on paper
    assert page.errors == []
