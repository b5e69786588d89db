"""Reporting pages and API: the morning's report on the worker's phone, the sub-district's
review, the overview's query count, drill-down, bulletins (xlsx, PDF, public), policies."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import B111, B121, C11, C12, C21, DISTRICT, SD1, login_client
from lianfang.monitoring.tests.factories import make_quarantine
from lianfang.regions.tests.factories import make_region
from lianfang.reporting import bulletins
from lianfang.reporting.models import Bulletin, ReportPolicy, SupervisionItem
from lianfang.reporting.tests.factories import at, report, submit

pytestmark = pytest.mark.django_db
D = date(2020, 2, 10)


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600  # logins happen on D, requests days later
    with at("2020-02-10 09:00"):
        yield


@pytest.fixture
def busy_day(world):
    with at("2020-02-10 10:00"):
        make_quarantine(B111, ("甲",), start=D, address="1号")
        make_quarantine(B121, ("丙",), start=D, address="3号")


def test_mine_opens_yesterdays_report_of_the_workers_community(client, world):
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 07:00"):
        r = client.get("/reports/mine/")
    assert r.status_code == 302 and r.url == f"/reports/{C11}/2020-02-10/"


def test_worker_submits_the_report_from_the_page(client, world, busy_day):
    login_client(client, world.users["community_worker"])
    url = f"/reports/{C11}/2020-02-10/"
    with at("2020-02-11 07:00"):
        page = client.get(url)
        assert page.status_code == 200
        assert "新增医学观察" in page.content.decode()
        r = client.post(url + "submit/", {"submit-note": "正常"})
        assert r.status_code == 302
        done = client.get(url).content.decode()
    assert "已报送" in done and "第 1 版" in done


def test_zero_report_page_refuses_without_confirmation(client, world):
    from lianfang.accounts.tests.factories import UserFactory, grant

    worker = UserFactory.create(username="cw_c21", region_code=C21)
    grant(worker, "community_worker", C21)
    login_client(client, worker)
    url = f"/reports/{C21}/2020-02-10/"
    with at("2020-02-11 07:00"):
        refused = client.post(url + "submit/", {})
        assert refused.status_code == 422
        assert "无事零报告" in refused.content.decode()
        assert client.post(url + "submit/", {"submit-confirm_zero": "on"}).status_code == 302
    assert report(C21, D).shown_status == "zero"


def test_subdistrict_returns_and_approves_from_the_page(client, world, busy_day):
    submit(C11, D, "2020-02-11 07:30")
    submit(C12, D, "2020-02-11 07:35")
    login_client(client, world.users["subdistrict_officer"])
    with at("2020-02-11 08:20"):
        base = f"/reports/{C11}/2020-02-10/review/"
        assert client.post(base + "return/", {}).status_code == 422  # a comment is required
        assert client.post(base + "return/", {"review-comment": "请核对"}).status_code == 302
        assert client.post(f"/reports/{C12}/2020-02-10/review/approve/", {}).status_code == 302
    assert report(C11, D).shown_status == "returned"
    assert report(C12, D).shown_status == "approved"


def _overview_queries(client, user):
    login_client(client, user)
    with at("2020-02-11 09:30"), CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/reports/?region={SD1}&date=2020-02-10")
    assert r.status_code == 200
    return len(ctx.captured_queries), r


def test_overview_does_not_query_per_region(client, world, busy_day):
    submit(C11, D, "2020-02-11 07:30")
    before, r = _overview_queries(client, world.users["subdistrict_officer"])
    assert "建宁路社区" in r.content.decode()
    with at("2020-02-10 08:00"):
        for n in range(3, 9):
            make_region(f"{SD1}{n:03d}", f"新社区{n}")
    after, r = _overview_queries(client, world.users["subdistrict_officer"])
    assert "新社区8" in r.content.decode()
    assert after == before


def test_overview_flags_snapshot_that_differs_from_live_records(client, world, busy_day):
    submit(C11, D, "2020-02-11 07:30")
    from lianfang.monitoring.models import Observation

    # After the submission the person turns out to live in C12 (as a transfer would record).
    Observation.objects.filter(region_code=B111).update(region_code=B121)
    login_client(client, world.users["subdistrict_officer"])
    with at("2020-02-11 09:30"):
        r = client.get(f"/reports/?region={SD1}&date=2020-02-10")
    row = next(c for c in r.context["data"].children if c.code == C11)
    assert row.snapshot["under_home_observation"] == 1
    assert row.live["under_home_observation"] == 0
    assert "under_home_observation" in row.differs
    assert "有差异" in r.content.decode() or "*" in r.content.decode()


def test_drill_down_lists_the_records_behind_a_figure(client, world, busy_day):
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 07:00"):
        r = client.get(f"/reports/{C11}/2020-02-10/figures/observations_started/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "甲" in body and "丙" not in body


def test_drill_down_is_scoped_to_the_viewer(client, world, busy_day):
    """The sub-district's figure counts both communities; a C11 worker cannot open it."""
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 07:00"):
        assert (
            client.get(f"/reports/{SD1}/2020-02-10/figures/observations_started/").status_code
            == 404
        )


def test_bulletin_xlsx_pdf_and_public_version(client, world, busy_day):
    submit(C11, D, "2020-02-11 07:30")
    submit(C12, D, "2020-02-11 07:40")
    login_client(client, world.users["command_office"])
    with at("2020-02-11 10:30"):
        assert client.post("/reports/bulletins/?date=2020-02-10").status_code == 302
    b = Bulletin.objects.get()
    assert b.data["total"]["observations_started"] == 2
    groups = {g["name"]: g for g in b.data["groups"]}
    assert groups["培黎街道"]["subtotal"]["observations_started"] == 2
    with at("2020-02-11 10:31"):
        x = client.get(f"/reports/bulletins/{b.pk}.xlsx")
        p = client.get(f"/reports/bulletins/{b.pk}.pdf")
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(x.content)).get_sheet_by_index(0).to_python()
    assert "安宁区疫情防控日报" in str(rows[0][0])
    assert rows[6][:2] == ["培黎街道", "小计"]  # two communities, then the subtotal
    assert rows[-1][1] == "合计"
    assert p.content.startswith(b"%PDF")
    public = bulletins.public_version(b.data)
    flat = [v for g in public["groups"] for r in g["rows"] for v in r["figures"]]
    assert "1" not in flat and "<5" in flat  # no community figure between 1 and 4 is exact
    login_client(client, world.users["publicity_officer"])
    with at("2020-02-11 10:32"):
        page = client.get("/reports/public/?date=2020-02-10").content.decode()
    assert "&lt;5" in page and "建宁路社区" in page


def test_policy_new_version_validated(client, world):
    login_client(client, world.users["command_office"])
    data = {
        "policy-name": "提前截止",
        "policy-effective_from": "2020-03-01",
        "policy-community_window_hour": "0",
        "policy-community_deadline_minutes": "600",
        "policy-subdistrict_window_hour": "0",
        "policy-subdistrict_deadline_minutes": "540",
        "policy-district_window_hour": "0",
        "policy-district_deadline_minutes": "660",
        "policy-reminder_minutes": "60",
    }
    r = client.post("/reports/policies/", data)
    assert r.status_code == 422 and "逐级递后" in r.content.decode()
    data["policy-community_deadline_minutes"] = "420"
    assert client.post("/reports/policies/", data).status_code == 302
    assert ReportPolicy.objects.filter(name="提前截止", community_deadline_minutes=420).exists()


def test_supervision_item_resolved_by_the_unit_above(client, world):
    from lianfang.reporting import jobs

    with at("2020-02-11 08:05"):
        jobs.deadlines_now()
    item = SupervisionItem.objects.get(subject_code=C11, report__day=D)
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 08:30"):
        assert (
            client.post(
                f"/reports/supervision/{item.pk}/resolve/", {"resolve-note": "x"}
            ).status_code
            == 404
        )
    login_client(client, world.users["subdistrict_officer"])
    with at("2020-02-11 08:30"):
        page = client.get("/reports/supervision/").content.decode()
        assert "建宁路社区" in page
        client.post(f"/reports/supervision/{item.pk}/resolve/", {"resolve-note": "已电话督促"})
    item.refresh_from_db()
    assert item.note == "已电话督促" and item.resolved_at is not None


# --- API -----------------------------------------------------------------------------------


def test_api_daily_report_submit_and_completeness(client, world, busy_day):
    login_client(client, world.users["community_worker"])
    with at("2020-02-11 07:00"):
        r = client.get(f"/api/v1/reports/daily?region={C11}&date=2020-02-10")
        assert r.status_code == 200
        assert r.json()["status"] == "draft" and r.json()["live"] is True
        assert r.json()["figures"]["observations_started"] == 1
        s = client.post(
            f"/api/v1/reports/daily/{C11}/2020-02-10/submit",
            {"note": "", "confirm_zero": True},
            content_type="application/json",
        )
        assert s.status_code == 409 and s.json()["code"] == "not_zero"
        s = client.post(
            f"/api/v1/reports/daily/{C11}/2020-02-10/submit", {}, content_type="application/json"
        )
        assert s.status_code == 200 and s.json()["revision"] == 1
        again = client.post(
            f"/api/v1/reports/daily/{C11}/2020-02-10/submit", {}, content_type="application/json"
        )
        assert again.json()["revision"] == 1
        assert client.get(f"/api/v1/reports/daily?region={C12}&date=2020-02-10").status_code == 404
        future = client.get(f"/api/v1/reports/daily?region={C11}&date=2020-02-12")
        assert future.status_code == 422 and future.json()["code"] == "future_day"
    login_client(client, world.users["command_office"])
    with at("2020-02-11 08:05"):
        from lianfang.reporting import jobs

        jobs.deadlines_now()
        c = client.get(f"/api/v1/reports/daily/completeness?region={DISTRICT}&date=2020-02-10")
    body = c.json()
    assert (body["expected"], body["submitted"], body["on_time"], body["missing"]) == (3, 1, 1, 2)
    children = {x["region_code"]: x for x in body["children"]}
    assert children[SD1]["submitted"] == 1 and children[SD1]["missing"] == 1


def test_api_submit_before_window_closes_is_422(client, world):
    login_client(client, world.users["community_worker"])
    with at("2020-02-10 20:00"):
        r = client.post(
            f"/api/v1/reports/daily/{C11}/2020-02-10/submit", {}, content_type="application/json"
        )
    assert r.status_code == 422 and r.json()["code"] == "window_open"


def test_history_lists_the_units_reports_with_filters(client, world, busy_day):
    from lianfang.reporting import jobs

    submit(C11, D, "2020-02-11 08:30")  # late
    with at("2020-02-13 08:05"):
        jobs.deadlines_now()  # the 11th and 12th are missing
    login_client(client, world.users["community_worker"])
    with at("2020-02-13 09:00"):
        page = client.get(f"/reports/{C11}/history/").content.decode()
        late = client.get(f"/reports/{C11}/history/?status=late").content.decode()
        missing = client.get(f"/reports/{C11}/history/?status=missing").content.decode()
    assert "2020-02-10" in page and "2020-02-12" in page
    assert "2020-02-10" in late and "2020-02-11" not in late
    assert "2020-02-11" in missing and "2020-02-10" not in missing
