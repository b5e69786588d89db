import json
import logging

import pytest
import time_machine

from conftest import B111, B121, login_client
from lianfang.monitoring.checks import tokens
from lianfang.monitoring.models import Alert, HealthCheck
from lianfang.monitoring.quarantines import services
from lianfang.monitoring.tests.factories import make_quarantine
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_community_worker_starts_a_household_quarantine(client, world):
    a = make_person(B111, "张三")
    b = make_person(B111, "李四")
    login_client(client, world.users["community_worker"])
    r = _post(client, "/api/v1/quarantines", {"person_ids": [str(a.pk), str(b.pk)], "kind": "home"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "active" and body["end_date"] == "2020-02-24"


def test_starting_twice_is_a_409_naming_nobody_in_clear(client, world):
    person = make_person(B111, "张三")
    login_client(client, world.users["community_worker"])
    _post(client, "/api/v1/quarantines", {"person_ids": [str(person.pk)]})
    r = _post(client, "/api/v1/quarantines", {"person_ids": [str(person.pk)]})
    assert r.status_code == 409 and r.json()["code"] == "already_under_observation"
    assert "张三" not in r.content.decode()


def test_invalid_kind_is_a_422_naming_the_field(client, world):
    person = make_person(B111)
    login_client(client, world.users["community_worker"])
    r = _post(client, "/api/v1/quarantines", {"person_ids": [str(person.pk)], "kind": "hotel"})
    assert r.status_code == 422 and "kind" in r.json()["fields"]


def test_detail_gives_staff_each_members_checkin_url(client, world):
    q = make_quarantine(B111)
    login_client(client, world.users["grid_worker"])
    body = client.get(f"/api/v1/quarantines/{q.pk}").json()
    url = body["members"][0]["checkin_url"]
    assert "/c/" in url and tokens.token_of(q.members.get()) in url


def test_public_checkin_and_idempotent_resubmission(client, world):
    q = make_quarantine(B111)
    token = tokens.token_of(q.members.get())
    payload = {"temperature": 36.6, "symptoms": [], "client_key": "abc-1"}
    first = _post(client, f"/api/v1/checkin/{token}", payload)
    again = _post(client, f"/api/v1/checkin/{token}", payload)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["created"] is False
    assert HealthCheck.objects.count() == 1


def test_public_checkin_with_an_unknown_token_is_404_without_a_hint(client, world):
    r = _post(client, "/api/v1/checkin/" + "x" * 32, {"temperature": 36.6})
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_public_checkin_out_of_range_is_a_422(client, world):
    q = make_quarantine(B111)
    token = tokens.token_of(q.members.get())
    r = _post(client, f"/api/v1/checkin/{token}", {"temperature": 45})
    assert r.status_code == 422 and "temperature" in r.json()["fields"]


def test_staff_check_through_the_api_raises_a_fever_alert(client, world):
    q = make_quarantine(B111)
    member = q.members.get()
    login_client(client, world.users["grid_worker"])
    r = _post(
        client,
        f"/api/v1/quarantines/{q.pk}/checks",
        {"observation_id": str(member.pk), "temperature": 38.1, "method": "armpit"},
    )
    assert r.status_code == 201 and r.json()["fever"] is True
    alerts = client.get("/api/v1/alerts?status=open").json()["items"]
    assert [a["kind"] for a in alerts] == ["fever"] and alerts[0]["person_id"] == str(
        member.person_id
    )
    closed = _post(client, f"/api/v1/alerts/{alerts[0]['id']}/close", {"action": "已安排转诊"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get("/api/v1/alerts?status=open").json()["count"] == 0


def test_grid_worker_of_another_community_gets_404(client, world):
    q = make_quarantine(B121)
    login_client(client, world.users["grid_worker"])
    assert client.get(f"/api/v1/quarantines/{q.pk}").status_code == 404
    r = _post(
        client,
        f"/api/v1/quarantines/{q.pk}/checks",
        {"observation_id": str(q.members.get().pk), "temperature": 36.5},
    )
    assert r.status_code == 404
    assert Alert.objects.count() == 0


def test_tokens_never_reach_the_logs(client, world, caplog):
    """The check-in path, including the logged 404 of an ended observation's link."""
    q = make_quarantine(B111)
    member = q.members.get()
    token = tokens.token_of(member)
    with caplog.at_level(logging.DEBUG):
        client.get(f"/c/{token}/")
        _post(client, f"/api/v1/checkin/{token}", {"temperature": 36.6})
        services.observation_end_early(
            actor=_staff(), quarantine=q, observation_id=member.pk, reason="误登记"
        )
        assert client.get(f"/c/{token}/").status_code == 404
    messages = [r.getMessage() for r in caplog.records]
    assert any("Not Found: /c/[TOKEN]/" in m for m in messages)
    assert not any(token in m for m in messages)


def _staff():
    from lianfang.monitoring.tests.factories import staff

    return staff(B111)


def test_public_checkin_with_a_fever_stores_the_check_and_its_alert_together(client, world):
    q = make_quarantine(B111)
    token = tokens.token_of(q.members.get())
    r = _post(client, f"/api/v1/checkin/{token}", {"temperature": 38.3, "symptoms": ["cough"]})
    assert r.status_code == 201 and r.json()["fever"] is True
    alert = Alert.objects.get()  # one check, one alert naming both
    assert alert.kind == "fever" and alert.title == "发热、出现症状"
    assert alert.health_check_id == HealthCheck.objects.get().pk


def test_public_checkin_outside_every_slot_is_a_late_report(client, world):
    q = make_quarantine(B111)
    token = tokens.token_of(q.members.get())
    with time_machine.travel("2020-02-10 22:00 +0800", tick=False):
        r = _post(client, f"/api/v1/checkin/{token}", {"temperature": 36.4})
    assert r.status_code == 201 and r.json()["late"] is True
    check = HealthCheck.objects.get()
    assert check.slot_index is None and check.source == "self"


def test_public_checkin_with_an_unknown_symptom_is_a_422(client, world):
    q = make_quarantine(B111)
    token = tokens.token_of(q.members.get())
    r = _post(client, f"/api/v1/checkin/{token}", {"temperature": 36.4, "symptoms": ["sneezing"]})
    assert r.status_code == 422 and r.json()["code"] == "symptom_unknown"
    assert HealthCheck.objects.count() == 0


def test_a_plain_self_checkin_is_one_statement(world, monkeypatch):
    from lianfang.monitoring import fastsql
    from lianfang.monitoring.checks import selfcheck

    a, b = (
        make_quarantine(B111, ("甲一",), address="1号"),
        make_quarantine(B111, ("乙二",), address="2号"),
    )
    selfcheck._current_policy_pk.cache_clear()
    selfcheck.self_check_submit(
        token=tokens.token_of(a.members.get()), temperature="36.5"
    )  # reads the policy
    token = tokens.token_of(b.members.get())
    monkeypatch.setattr(fastsql, "LOOKUP", "SELECT the careful path was taken")  # would fail
    submitted = selfcheck.self_check_submit(token=token, temperature="36.6", symptoms=["cough"])
    assert submitted is not None
    check, created = submitted
    assert created and check.observation_id == b.members.get().pk and check.region_code == B111
    assert HealthCheck.objects.count() == 2
    alert = Alert.objects.get()  # the alert, in the same transaction
    assert alert.health_check_id == check.pk and alert.title == "出现症状"


def test_a_fast_self_checkin_with_fever_and_a_symptom_raises_one_alert_naming_both(world):
    from lianfang.monitoring.checks import selfcheck

    a, b = (
        make_quarantine(B111, ("甲一",), address="1号"),
        make_quarantine(B111, ("乙二",), address="2号"),
    )
    selfcheck._current_policy_pk.cache_clear()
    selfcheck.self_check_submit(
        token=tokens.token_of(a.members.get()), temperature="36.5"
    )  # reads the policy
    token = tokens.token_of(b.members.get())
    submitted = selfcheck.self_check_submit(token=token, temperature="38.5", symptoms=["cough"])
    assert submitted is not None
    check, created = submitted
    alert = Alert.objects.get()
    assert created and alert.health_check_id == check.pk and alert.title == "发热、出现症状"


def test_a_staff_correction_through_the_api_is_a_new_row_with_its_reason(client, world):
    q = make_quarantine(B111)
    member = q.members.get()
    login_client(client, world.users["grid_worker"])
    url = f"/api/v1/quarantines/{q.pk}/checks"
    first = _post(client, url, {"observation_id": str(member.pk), "temperature": 35.1}).json()
    bad = _post(
        client,
        url,
        {"observation_id": str(member.pk), "temperature": 36.5, "corrects_id": first["id"]},
    )
    assert bad.status_code == 422 and "correction_reason" in bad.json()["fields"]
    ok = _post(
        client,
        url,
        {
            "observation_id": str(member.pk),
            "temperature": 36.5,
            "corrects_id": first["id"],
            "correction_reason": "录错",
        },
    )
    assert ok.status_code == 201
    assert (
        HealthCheck.objects.get(pk=ok.json()["id"]).corrects_id
        == HealthCheck.objects.get(pk=first["id"]).pk
    )
    assert HealthCheck.objects.count() == 2


def test_a_correction_from_the_quarantine_page_keeps_the_wrong_reading(client, world):
    q = make_quarantine(B111)
    member = q.members.get()
    login_client(client, world.users["grid_worker"])
    client.post(f"/monitoring/members/{member.pk}/check/", {"check-temperature": "35.1"})
    wrong = HealthCheck.objects.get()
    url = f"/monitoring/members/{member.pk}/correct/"
    missing = client.post(url, {"correct-corrects": wrong.pk, "correct-temperature": "36.5"})
    assert missing.status_code == 422 and HealthCheck.objects.count() == 1
    done = client.post(
        url,
        {
            "correct-corrects": wrong.pk,
            "correct-temperature": "36.5",
            "correct-correction_reason": "小数点录错",
        },
    )
    assert done.status_code == 302
    fixed = HealthCheck.objects.exclude(pk=wrong.pk).get()
    assert fixed.corrects_id == wrong.pk and str(fixed.temperature) == "36.5"
    page = client.get(f"/monitoring/quarantines/{q.pk}/").content.decode()
    assert "小数点录错" in page and "35.1" in page
