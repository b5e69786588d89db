"""Logged in as each role through the real pages, a user sees exactly their territory."""

import pytest

from conftest import B111, B112, C11, C12, DISTRICT, ROLE_REGIONS, TREE
from lianfang.accounts.roles import TWO_FACTOR_ROLES
from lianfang.accounts.tests.factories import PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, shot, ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAMES = dict(TREE)
FIELD_ROLES = {"grid_worker", "community_worker", "volunteer", "doctor", "checkpoint_officer"}


@pytest.mark.parametrize("role", sorted(ROLE_REGIONS))
def test_each_role_logs_in_and_sees_their_own_territory(open_page, world, role):
    viewport = PHONE if role in FIELD_ROLES else DESKTOP
    page = open_page(viewport)
    user = world.users[role]
    device = user.totpdevice_set.first() if role in TWO_FACTOR_ROLES else None
    ui_login(page, role, PASSWORD, device)
    code = ROLE_REGIONS[role]
    assert NAMES[code] in page.locator("body").inner_text()  # the work queue names the territory
    shot(page, f"home-{role}-{'phone' if viewport is PHONE else 'desktop'}")
    page.goto(f"/regions/{code}/")
    assert NAMES[code] in page.locator("#region-title").inner_text()
    assert page.errors == []
    if role == "command_office":
        assert page.locator("[data-count=subdistricts]").inner_text() == "2"
        assert page.locator(".lf-chart canvas").count() == 1  # ECharts drew from local static
    shot(page, f"region-{role}-{'phone' if viewport is PHONE else 'desktop'}")
    # The sibling of their region (or of its parent) is out of reach.
    sibling = {C11: C12, B111: B112}.get(code)
    if sibling:
        response = page.goto(f"/regions/{sibling}/")
        assert response.status == 404


def test_grid_worker_on_a_phone_sees_only_their_building(open_page, world):
    page = open_page(PHONE)
    ui_login(page, "grid_worker", PASSWORD)
    assert page.viewport_size["width"] == 375
    body_width = page.evaluate("document.documentElement.scrollWidth")
    assert body_width <= 375  # no sideways scrolling on a phone
    assert page.goto(f"/regions/{C11}/").status == 404
    assert page.goto(f"/regions/{DISTRICT}/").status == 404
    assert page.goto(f"/api/v1/regions?parent={C11}").status == 404


def test_wrong_password_and_lockout_show_chinese_messages(open_page, world, settings):
    page = open_page(PHONE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/")
        page.fill("#id_username", "community_worker")
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
    page.goto("/accounts/login/")
    page.fill("#id_username", "community_worker")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    assert "账号已临时锁定" in page.locator("#login-error").inner_text()
    shot(page, "login-locked-phone")


def test_english_switch(open_page, world):
    page = open_page(DESKTOP)
    page.goto("/accounts/login/")
    page.click("button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Anning District joint prevention and control"


def test_api_docs_render_from_local_files_under_the_strict_csp(open_page, world):
    page = open_page(DESKTOP)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert page.errors == []
    assert all(
        url.startswith(page.url.split("/api/")[0]) or url.startswith("data:") for url in requests
    )
