"""The public tip-off pages and the staff pages, through the test client."""

import io

import pytest
import time_machine
from PIL import Image

from conftest import B111, login_client
from lianfang.cases import public_views
from lianfang.cases.models import WorkOrder
from lianfang.cases.tests.factories import tip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _photo() -> io.BytesIO:
    image = Image.new("RGB", (32, 32), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerX"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.seek(0)
    out.name = "p.jpg"
    return out


FORM = {
    "category": "epidemic_lead",
    "text": "3号楼有人从武汉回来没有登记",
    "place_code": B111,
    "phone": "13812345678",
}


def test_an_anonymous_tip_with_a_photo_gets_its_codes_and_reads_its_status(client, world):
    page = client.post("/tips/", {**FORM, "phone": "", "anonymous": "on", "photos": _photo()})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    order = WorkOrder.objects.get()
    assert order.anonymous and order.photos.count() == 1
    assert b"PhoneMakerX" not in bytes(order.photos.get().content)
    body = page.content.decode()
    assert order.receipt in body
    code = body.split('id="tip-check-code">')[1].split("<")[0]
    status = client.post("/tips/status/", {"receipt": order.receipt, "check_code": code})
    assert "已派单" in status.content.decode()
    wrong = client.post("/tips/status/", {"receipt": order.receipt, "check_code": "XXXXXXXX"})
    unknown = client.post("/tips/status/", {"receipt": "TNOPE", "check_code": code})
    assert "受理编号或查询码不正确" in wrong.content.decode()
    assert "受理编号或查询码不正确" in unknown.content.decode()


def test_a_filled_honeypot_stores_nothing(client, world):
    page = client.post("/tips/", {**FORM, "website": "http://spam.example"})
    assert "提交未成功" in page.content.decode()
    assert WorkOrder.objects.count() == 0


def test_a_burst_from_one_address_is_answered_429_and_writes_nothing_more(
    client, world, monkeypatch
):
    monkeypatch.setattr(public_views, "SUBMITS_PER_HOUR", 2)
    codes = [client.post("/tips/", FORM).status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    assert WorkOrder.objects.count() == 2


def test_a_bad_tip_shows_its_errors_on_the_fields(client, world):
    page = client.post("/tips/", {**FORM, "text": "短", "phone": "123"})
    body = page.content.decode()
    assert 'id="id_text_error"' in body and 'id="id_phone_error"' in body
    assert WorkOrder.objects.count() == 0


def test_script_in_a_tip_is_escaped_on_the_staff_page(client, world):
    order = tip(place_code=B111, text="<script>alert(1)</script> 有人未登记").order
    login_client(client, world.users["community_worker"])
    body = client.get(f"/cases/{order.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_the_handling_units_pages_and_api_never_show_the_reporter(client, world):
    order = tip(place_code=B111, name="李四", phone="13812345678").order
    login_client(client, world.users["community_worker"])
    seen = [
        client.get("/cases/").content.decode(),
        client.get(f"/cases/{order.pk}/").content.decode(),
        client.get("/api/v1/workorders").content.decode(),
        client.get(f"/api/v1/workorders/{order.pk}").content.decode(),
    ]
    for body in seen:
        assert order.receipt in body
        for secret in ("李四", "13812345678", "138****5678", "李*"):
            assert secret not in body


def test_the_unit_signs_and_replies_from_the_order_page(client, world):
    order = tip(place_code=B111).order
    login_client(client, world.users["community_worker"])
    client.post(f"/cases/{order.pk}/accept/")
    client.post(
        f"/cases/{order.pk}/reply/",
        {"reply-result": "registered", "reply-reply": "已核实登记，正在居家观察"},
    )
    order.refresh_from_db()
    assert (order.state, order.result) == ("done", "registered")


def test_an_action_out_of_order_shows_why(client, world):
    order = tip(place_code=B111).order
    login_client(client, world.users["community_worker"])
    page = client.post(
        f"/cases/{order.pk}/reply/",
        {"reply-result": "solved", "reply-reply": "已处理完毕"},
        follow=True,
    )
    assert "不能办结答复" in page.content.decode()


def test_the_public_api_takes_a_tip_and_answers_its_status(client, world):
    made = client.post("/api/v1/tips", {**FORM, "photos": _photo()})
    assert made.status_code == 201
    codes = made.json()
    status = client.post("/api/v1/tips/status", codes, content_type="application/json")
    assert status.status_code == 200 and status.json()["state"] == "dispatched"
    wrong = client.post(
        "/api/v1/tips/status",
        {"receipt": codes["receipt"], "check_code": "WRONG"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "not_found"
