"""The public tip-off pages and the staff pages, through the test client."""

import io

import pytest
import time_machine
from PIL import Image

from conftest import B111, C11, login_client
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
    "place_code": C11,
    "place_text": "建宁路1号楼",
    "phone": "13812345678",
}


def test_an_anonymous_tip_with_a_photo_gets_its_codes_and_reads_its_status(client, world):
    made = client.post("/tips/", {**FORM, "phone": "", "anonymous": "on", "photos": _photo()})
    assert made.status_code == 302  # a reload of the next page cannot file it again
    page = client.get(made["Location"])
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
    assert codes == [302, 302, 429, 429]
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


def test_an_extension_is_asked_on_the_order_page_and_approved_by_the_dispatcher(client, world):
    from datetime import timedelta

    from django.utils import timezone

    order = tip("sanitation", text="小区门口垃圾堆了三天没人清运", place_code=B111).order
    login_client(client, world.users["subdistrict_officer"])
    client.post(f"/cases/{order.pk}/accept/")
    order.refresh_from_db()
    assert order.due_at is not None
    until = timezone.localtime(order.due_at + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        f"/cases/{order.pk}/extension/", {"extend-until": until, "extend-reason": ""}, follow=True
    )
    assert "这个字段是必填项" in bad.content.decode()  # shown as the page's message
    assert not order.extensions.exists()
    client.post(
        f"/cases/{order.pk}/extension/", {"extend-until": until, "extend-reason": "车辆不足"}
    )
    assert order.extensions.filter(state="pending").count() == 1
    client.post(f"/cases/{order.pk}/extension/decide/", {"decision": "approve"})
    order.refresh_from_db()
    assert order.extensions.get().state == "approved"
    assert timezone.localtime(order.due_at).strftime("%Y-%m-%dT%H:%M") == until


def test_api_actions_answer_409_out_of_order_and_422_for_bad_values(client, world):
    order = tip(place_code=B111).order
    login_client(client, world.users["community_worker"])
    early = client.post(
        f"/api/v1/workorders/{order.pk}/reply",
        {"result": "solved", "reply": "已处理完毕"},
        content_type="application/json",
    )
    assert early.status_code == 409 and early.json()["code"] == "transition_not_allowed"
    assert client.post(f"/api/v1/workorders/{order.pk}/accept").status_code == 200
    bad = client.post(
        f"/api/v1/workorders/{order.pk}/reply",
        {"result": "nope", "reply": "短"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"result", "reply"}
    done = client.post(
        f"/api/v1/workorders/{order.pk}/reply",
        {"result": "registered", "reply": "已核实登记"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "done"


def test_a_refused_reply_is_shown_on_its_form_with_the_text_kept(client, world):
    order = tip(place_code=B111).order
    login_client(client, world.users["community_worker"])
    client.post(f"/cases/{order.pk}/accept/")
    page = client.post(f"/cases/{order.pk}/reply/", {"reply-result": "", "reply-reply": "好的"})
    body = page.content.decode()
    assert page.status_code == 422
    assert 'id="id_reply-result_error"' in body and 'id="id_reply-reply_error"' in body
    assert body.count("请选择办理结果。") + body.count("这个字段是必填项。") == 1  # said once
    assert "好的</textarea>" in body  # what was typed is kept


def test_a_community_prints_its_tip_off_poster_and_nobody_else_its(client, world):
    from conftest import C11, C21

    login_client(client, world.users["community_worker"])
    assert 'id="case-poster"' in client.get("/cases/").content.decode()
    pdf = client.get(f"/cases/posters/{C11}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/cases/posters/{C21}.pdf").status_code == 404
    assert client.get(f"/tips/?c={C11}").status_code == 200


def test_the_codes_are_shown_once_and_a_reload_files_nothing(client, world):
    done = client.post("/tips/", FORM)["Location"]
    first = client.get(done).content.decode()
    again = client.get(done).content.decode()
    assert 'id="tip-check-code"' in first and 'id="tip-check-code"' not in again
    assert 'id="tip-shown"' in again and WorkOrder.objects.count() == 1


def test_pages_name_places_and_units_instead_of_codes(client, world):
    from lianfang.cases import selectors as case_selectors
    from lianfang.cases.tests.factories import unit

    order = tip(place_code=B111).order
    login_client(client, world.users["community_worker"])
    body = client.get(f"/cases/{order.pk}/").content.decode()
    assert "建宁路1号楼" in body and "建宁路社区" in body and B111 not in body.split("<main")[-1]
    from datetime import date

    cards = case_selectors.scorecards(
        unit("command_office", "620105"), date(2020, 2, 1), date(2020, 2, 10)
    )
    assert [(c["region_name"], c["total"]) for c in cards] == [("建宁路社区", 1)]


def test_information_added_on_the_status_page_is_shown_and_an_empty_one_keeps_the_page(
    client, world
):
    receipt = tip(place_code=B111)
    codes = {"receipt": receipt.receipt, "check_code": receipt.check_code}
    empty = client.post("/tips/status/", {**codes, "text": ""})
    assert empty.status_code == 422
    body = empty.content.decode()
    assert 'id="tip-state"' in body and 'id="id_text_error"' in body  # still the status page
    added = client.post("/tips/status/", {**codes, "text": "他今天下午又出门了"}).content.decode()
    assert 'id="tip-added"' in added and "他今天下午又出门了" in added


def test_an_empty_return_reason_is_refused_on_its_form_not_by_the_browser(client, world):
    order = tip(place_code=B111).order
    login_client(client, world.users["community_worker"])
    page = client.get(f"/cases/{order.pk}/").content.decode()
    actions = page.split('id="order-actions"')[1].split("</main>")[0]
    assert (
        actions.count('<form method="post" novalidate') == actions.count('<form method="post"') > 0
    )
    refused = client.post(f"/cases/{order.pk}/return/", {"return-note": "  "})
    assert refused.status_code == 422 and 'id="id_return-note_error"' in refused.content.decode()
    order.refresh_from_db()
    assert order.state == "dispatched"


def test_a_supplement_sent_twice_by_a_reload_is_kept_once(client, world):
    receipt = tip(place_code=B111)
    codes = {"receipt": receipt.receipt, "check_code": receipt.check_code}
    for _i in range(2):
        client.post("/tips/status/", {**codes, "text": "他今天下午又出门了"})
    assert receipt.order.messages.filter(direction="in").count() == 1


def test_an_empty_tip_asks_for_the_place_in_the_first_round(client, world):
    page = client.post("/tips/", {"category": "epidemic_lead"})
    body = page.content.decode()
    assert 'id="id_text_error"' in body and "请选择或填写发生地点。" in body
