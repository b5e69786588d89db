"""The checkpoint API and pages: the officer's check endpoint (201, then 200 for the same client
key, 422 naming ``plate``), the receiving side's hand-over list and acknowledgement, pages."""

import pytest
import time_machine

from conftest import B111, B121, C11, login_client
from lianfang.checkpoints.models import Handover
from lianfang.checkpoints.tests.factories import make_checkpoint, occupant, vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def cp(world):
    return make_checkpoint(C11)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_check_handover_and_acknowledge(client, world, cp):
    login_client(client, world.users["checkpoint_officer"])
    assert [c["id"] for c in client.get("/api/v1/checkpoints").json()] == [cp.pk]
    body = vehicle(
        occupant(full_name="甲"),
        occupant(full_name="乙", outcome="handover", destination_region_code=B121),
        client_key="abc",
    )
    url = f"/api/v1/checkpoints/{cp.pk}/checks"
    first = _post(client, url, body)
    assert first.status_code == 201, first.json()
    out = first.json()
    assert len(out["occupants"]) == 2 and out["handovers"][0]["region_code"] == "620105001002"
    assert "*" in out["occupants"][0]["id_number"]
    again = _post(client, url, body)
    assert again.status_code == 200 and again.json()["id"] == out["id"]
    bad = _post(client, url, vehicle(plate="甘A1", client_key="x2"))
    assert bad.status_code == 422 and "plate" in bad.json()["fields"]
    # the officer does not see the registry nor the receiving inbox
    assert client.get("/api/v1/handovers").status_code == 404
    assert client.get("/people/").status_code == 404

    from lianfang.accounts.tests.factories import UserFactory, grant

    receiver = UserFactory.create(username="cw_c12", region_code="620105001002")
    grant(receiver, "community_worker", "620105001002")
    login_client(client, receiver)
    listed = client.get("/api/v1/handovers?status=pending").json()
    assert [h["name"] for h in listed] == ["乙"]
    hid = listed[0]["id"]
    ack = _post(client, f"/api/v1/handovers/{hid}/acknowledge", {"result": "at_home", "note": ""})
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    twice = _post(client, f"/api/v1/handovers/{hid}/acknowledge", {"result": "at_home"})
    assert twice.status_code == 409
    login_client(client, world.users["community_worker"])  # C11: not its hand-over
    assert (
        _post(client, f"/api/v1/handovers/{hid}/acknowledge", {"result": "at_home"}).status_code
        == 404
    )


def test_api_refuses_a_fever_with_outcome_pass_naming_the_field(client, world, cp):
    login_client(client, world.users["checkpoint_officer"])
    body = vehicle(occupant(), occupant(temperature="38.5", outcome="pass"), client_key="f1")
    r = _post(client, f"/api/v1/checkpoints/{cp.pk}/checks", body)
    assert r.status_code == 422 and r.json()["code"] == "invalid_check"
    assert list(r.json()["fields"]) == ["occupants.1.outcome"]
    assert "不能“放行”" in r.json()["fields"]["occupants.1.outcome"][0]


def test_pages_render_for_each_role(client, world, cp):
    login_client(client, world.users["checkpoint_officer"])
    for url in (
        "/checkpoints/",
        f"/checkpoints/{cp.pk}/check/",
        f"/checkpoints/{cp.pk}/",
        "/checkpoints/stats/",
    ):
        assert client.get(url).status_code == 200, url
    assert (
        client.post(
            f"/checkpoints/{cp.pk}/shift/", {"open-members": "王强 交警\n李丽 医务"}
        ).status_code
        == 302
    )
    login_client(client, world.users["command_office"])
    assert client.get("/checkpoints/handovers/route/").status_code == 200
    assert client.get("/checkpoints/liaison.xlsx?date=2020-02-10").status_code == 200
    assert client.get("/checkpoints/sites/").status_code == 200
    r = client.post(
        "/checkpoints/sites/", {"cp-name": "沙井驿", "cp-region_code": C11, "cp-directions": "出城"}
    )
    assert r.status_code == 302


def test_inbox_acknowledge_from_the_page(client, world, cp):
    from lianfang.checkpoints import services
    from lianfang.checkpoints.tests.factories import officer

    services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(outcome="handover", destination_region_code=B111)),
    )
    h = Handover.objects.get()
    login_client(client, world.users["community_worker"])
    page = client.get("/checkpoints/handovers/").content.decode()
    assert "张三" in page
    client.post(
        f"/checkpoints/handovers/{h.pk}/acknowledge/",
        {"ack-result": "contacted", "ack-note": "电话已联系"},
    )
    h.refresh_from_db()
    assert h.status == "acknowledged" and h.result == "contacted"


def test_liaison_list_groups_outside_travellers_by_destination_city(client, world, cp):
    import io

    from python_calamine import CalamineWorkbook

    from lianfang.checkpoints import services
    from lianfang.checkpoints.tests.factories import officer

    services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(full_name="去武汉"), destination="420102"),
    )
    services.record_check(
        actor=officer(),
        checkpoint=cp,
        data=vehicle(occupant(full_name="回安宁"), destination="620105"),
    )
    login_client(client, world.users["command_office"])
    r = client.get("/checkpoints/liaison.xlsx?date=2020-02-10")
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert book.sheet_names == ["湖北省武汉市"]  # one sheet per destination city
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[1][3] == "去武汉" and "*" in str(rows[1][4])
    assert all("回安宁" not in row for row in rows)


def test_communities_with_the_same_name_are_told_apart_by_their_subdistrict(client, world, cp):
    from conftest import C21
    from lianfang.regions.models import Region

    same = Region.objects.get(code=C11).name
    Region.objects.filter(code=C21).update(name=same)
    login_client(client, world.users["checkpoint_officer"])
    page = client.get(f"/checkpoints/{cp.pk}/check/").content.decode()
    first = Region.objects.get(code=C11[:9]).name
    second = Region.objects.get(code=C21[:9]).name
    assert f">{same}（{first}）</option>" in page
    assert f">{same}（{second}）</option>" in page
