"""Scoping matrix for checkpoints: every page and API route from the officer's own checkpoint,
another sub-district's checkpoint, and without membership; hand-overs from the receiving
community, a sibling, the parent, and the officer who made them."""

import pytest
import time_machine

from conftest import B111, B211, C11, C21, login_client
from lianfang.checkpoints import services
from lianfang.checkpoints.models import Handover, Shift
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, officer, vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def sites(world):
    """The officer (SD1) works at ``own`` (C11); ``other`` is in SD2 (C21)."""
    return {"own": make_checkpoint(C11, "本卡口"), "other": make_checkpoint(C21, "他处卡口")}


PAGES = [
    ("board", lambda cp: f"/checkpoints/{cp.pk}/"),
    ("check page", lambda cp: f"/checkpoints/{cp.pk}/check/"),
]


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize(("which", "expected"), [("own", 200), ("other", 404)])
def test_officer_sees_only_own_checkpoint(client, world, sites, name, url, which, expected):
    login_client(client, world.users["checkpoint_officer"])
    assert client.get(url(sites[which])).status_code == expected
    login_client(client, world.nobody)
    assert client.get(url(sites[which])).status_code == 404


@pytest.mark.parametrize(("which", "expected"), [("own", 201), ("other", 404)])
def test_api_check_only_at_own_checkpoint(client, world, sites, which, expected):
    login_client(client, world.users["checkpoint_officer"])
    r = client.post(
        f"/api/v1/checkpoints/{sites[which].pk}/checks", vehicle(), content_type="application/json"
    )
    assert r.status_code == expected


def test_lists_are_scoped(client, world, sites):
    login_client(client, world.users["checkpoint_officer"])
    assert [c["name"] for c in client.get("/api/v1/checkpoints").json()] == ["本卡口"]
    page = client.get("/checkpoints/").content.decode()
    assert "本卡口" in page and "他处卡口" not in page
    stats = client.get("/checkpoints/stats/").content.decode()
    assert "本卡口" in stats and "他处卡口" not in stats
    for user in (world.nobody, world.users["community_worker"], world.users["grid_worker"]):
        login_client(client, user)
        assert client.get("/checkpoints/").status_code == 404
        assert client.get("/api/v1/checkpoints").status_code == 404


def test_shift_close_out_of_scope_is_404(client, world, sites):
    shift = services.open_shift(actor=officer("620105002"), checkpoint=sites["other"])
    login_client(client, world.users["checkpoint_officer"])
    assert (
        client.post(f"/checkpoints/shifts/{shift.pk}/close/", {"close-note": "x"}).status_code
        == 404
    )
    assert Shift.objects.get(pk=shift.pk).closed_at is None


@pytest.fixture
def handovers(sites):
    """One hand-over to C11 and one to C21, both made by the SD1 officer at ``own``."""
    for building in (B111, B211):
        services.record_check(
            actor=officer(user_id=None),
            checkpoint=sites["own"],
            data=vehicle(occupant(outcome="handover", destination_region_code=building)),
        )
    return {h.region_code: h for h in Handover.objects.all()}


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("community_worker", {C11}),  # C11's worker: its own only
        ("subdistrict_officer", {C11}),  # SD1 (C11's parent)
        ("command_office", {C11, C21}),  # the district: both
    ],
)
def test_handover_lists_follow_the_receiving_territory(client, world, handovers, role, visible):
    login_client(client, world.users[role])
    listed = {h["region_code"] for h in client.get("/api/v1/handovers?status=").json()}
    assert listed == visible
    for code, h in handovers.items():
        r = client.post(
            f"/api/v1/handovers/{h.pk}/acknowledge",
            {"result": "contacted"},
            content_type="application/json",
        )
        assert r.status_code == (200 if code in visible else 404)


def test_officer_cannot_acknowledge_and_nobody_sees_the_inbox(client, world, handovers):
    h = handovers[C11]
    for user in (world.users["checkpoint_officer"], world.nobody, world.users["grid_worker"]):
        login_client(client, user)
        assert client.get("/checkpoints/handovers/").status_code == 404
        assert (
            client.post(
                f"/checkpoints/handovers/{h.pk}/acknowledge/", {"ack-result": "at_home"}
            ).status_code
            == 404
        )
    login_client(client, world.users["subdistrict_officer"])
    assert client.get("/checkpoints/liaison.xlsx").status_code == 404  # the district's export
    assert client.get("/checkpoints/sites/").status_code == 404


def test_officer_sees_the_handovers_they_made_and_no_others(client, world, sites):
    mine = world.users["checkpoint_officer"]
    services.record_check(
        actor=officer(user_id=mine.pk),
        checkpoint=sites["own"],
        data=vehicle(
            occupant(full_name="我移交的", outcome="handover", destination_region_code=B111)
        ),
    )
    services.record_check(
        actor=officer(user_id=None),
        checkpoint=sites["own"],
        data=vehicle(
            occupant(full_name="别人移交的", outcome="handover", destination_region_code=B111)
        ),
    )
    login_client(client, mine)
    page = client.get(f"/checkpoints/{sites['own'].pk}/").content.decode()
    assert "我移交的" in page and "别人移交的" not in page
