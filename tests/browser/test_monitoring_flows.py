"""Monitoring flows through the real pages: a household quarantine started from a registration,
a resident's self check-in on a phone, a fever alert the grid worker acknowledges and closes,
a referral and its outcome, automatic release with its PDF."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import B111
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.monitoring import jobs
from lianfang.monitoring.checks import rules, tokens
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.models import Alert, HealthCheck, Observation, Referral
from lianfang.monitoring.tests.factories import (
    default_policy,
    make_hospital,
    make_quarantine,
    staff,
)
from lianfang.people.tests.factories import make_person
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _policy(db):
    default_policy()


def test_community_worker_starts_a_household_quarantine_from_a_registration(open_page, world):
    a = make_person(B111, "赵一", address="3单元301")
    make_person(B111, "赵二", address="3单元301")
    page = open_page(DESKTOP)
    ui_login(page, "community_worker", PASSWORD)
    page.goto(f"/people/{a.pk}/")
    page.click("#person-actions a")
    page.check("input[name=person_ids] >> nth=1")  # the other member of the household
    shot(page, "quarantine-start-desktop")
    page.click("#start-submit")
    page.wait_for_selector("#members")
    assert page.locator("[data-member]").count() == 2
    end = page.locator("#end-date").inner_text()
    assert end == str(timezone.localdate() + timedelta(days=14))
    shot(page, "quarantine-detail-desktop")
    assert page.errors == []


def test_resident_checks_in_on_a_phone_with_the_personal_link(open_page, world):
    q = make_quarantine(B111, ("钱三",))
    token = tokens.token_of(q.members.get())
    page = open_page(PHONE)
    page.goto(f"/c/{token}/")
    body = page.locator("main").inner_text()
    assert "钱*" in body and "钱三" not in body
    page.fill("#id_temperature", "36.6")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "checkin-phone")
    page.click("#checkin-submit")
    page.wait_for_selector("#checkin-ok")
    assert HealthCheck.objects.get().temperature == rules.temperature("36.6")
    assert page.errors == []


def test_a_fever_raises_an_alert_that_the_grid_worker_acknowledges_and_closes(open_page, world):
    q = make_quarantine(B111, ("孙四",))
    token = tokens.token_of(q.members.get())
    resident = open_page(PHONE)
    resident.goto(f"/c/{token}/")
    resident.fill("#id_temperature", "38.4")
    resident.click("#checkin-submit")
    resident.wait_for_selector("#checkin-alarm")
    shot(resident, "checkin-fever-phone")

    grid = open_page(PHONE)
    ui_login(grid, "grid_worker", PASSWORD)
    grid.goto("/monitoring/alerts/")
    assert "孙四" in grid.locator("#alert-list").inner_text()
    grid.click(".lf-ack")
    grid.wait_for_selector(".alert-success")
    grid.fill("input[name=close-action]", "已电话联系，医生上门复测 38.3 °C，安排转诊")
    shot(grid, "alert-close-phone")
    grid.click(".lf-close")
    grid.wait_for_selector(".alert-success")
    alert = Alert.objects.get()
    assert alert.status == "closed" and alert.acknowledged_by == world.users["grid_worker"]
    assert grid.errors == []


def test_doctor_refers_to_a_fever_clinic_and_records_the_outcome(open_page, world):
    make_hospital()
    q = make_quarantine(B111, ("李五",))
    checks.check_record(observation=q.members.get(), temperature="38.0", source="self")
    page = open_page(DESKTOP)
    ui_login(page, "doctor", PASSWORD)
    page.goto(f"/monitoring/quarantines/{q.pk}/")
    page.click("text=转诊发热门诊")
    page.fill("#id_refer-reason", "体温 38.0 °C，伴咳嗽")
    page.click(".lf-refer button")
    page.wait_for_selector("#referrals")
    page.select_option(".lf-outcome select", "excluded")
    page.fill(".lf-outcome input[name=outcome-note]", "核酸阴性，排除")
    shot(page, "referral-outcome-desktop")
    page.click(".lf-outcome button")
    page.wait_for_selector(".alert-success")
    referral = Referral.objects.get()
    assert referral.outcome == "excluded"
    assert Observation.objects.get().status == "active"  # back to observation
    assert page.errors == []


def test_automatic_release_and_its_notice_pdf(open_page, world):
    start = timezone.localdate() - timedelta(days=15)
    q = make_quarantine(B111, ("周六",), start=start, basis=start)
    member = q.members.get()
    checks.check_record(
        observation=member,
        temperature="36.5",
        source="staff",
        actor=staff(B111, world.users["community_worker"].pk),
        taken_at=timezone.now() - timedelta(days=1),
    )
    assert jobs.auto_release_now()["released"] == 1
    page = open_page(DESKTOP)
    ui_login(page, "community_worker", PASSWORD)
    page.goto(f"/monitoring/quarantines/{q.pk}/")
    assert "已解除" in page.locator("#members").inner_text()
    with page.expect_download() as download:
        page.click(".lf-release-pdf")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    shot(page, "released-desktop")
    assert page.errors == []
