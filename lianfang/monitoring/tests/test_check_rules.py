"""One rule per value of a health check (``checks/rules.py``): the form, both services and the
API schemas refuse with the same code and the same message."""

import json
from decimal import Decimal

import pytest
import time_machine

from conftest import B111, login_client
from lianfang.core.errors import InvalidInput
from lianfang.monitoring.checks import rules, selfcheck, tokens
from lianfang.monitoring.checks import services as checks
from lianfang.monitoring.checks.forms import CheckForm, CorrectForm, SelfCheckForm
from lianfang.monitoring.models import CheckSource, HealthCheck
from lianfang.monitoring.tests.factories import make_quarantine, staff

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "体温应为 34.0–43.0 °C 之间的数字。"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _refusal(call):
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.code, caught.value.fields


def test_form_widget_limits_are_the_rules_range():
    for form in (CheckForm(), SelfCheckForm(), CorrectForm()):
        attrs = form.fields["temperature"].widget.attrs
        assert Decimal(attrs["min"]) == rules.MIN_C and Decimal(attrs["max"]) == rules.MAX_C
    assert rules.TEMPERATURE_LIMITS == {"min": "34", "max": "43"}


def test_form_rejects_temperature_out_of_range_with_the_rule_message():
    form = CheckForm({"temperature": "45"}, symptoms=[])
    assert not form.is_valid() and form.errors["temperature"] == [OUT_OF_RANGE]


def test_staff_and_self_check_refuse_out_of_range_with_one_message(world):
    q = make_quarantine(B111)
    member = q.members.get()
    token = tokens.token_of(member)
    staff_refusal = _refusal(
        lambda: checks.check_record(
            observation=member, source=CheckSource.STAFF, actor=staff(B111), temperature="45"
        )
    )
    self_refusal = _refusal(lambda: selfcheck.self_check_submit(token=token, temperature="45"))
    assert (
        staff_refusal
        == self_refusal
        == ("temperature_out_of_range", {"temperature": [OUT_OF_RANGE]})
    )


def test_staff_and_self_check_refuse_an_unknown_method_with_one_message(world):
    q = make_quarantine(B111)
    member = q.members.get()
    token = tokens.token_of(member)
    expected = ("method_invalid", {"method": ["未知测量方式。"]})
    assert (
        _refusal(
            lambda: checks.check_record(
                observation=member,
                source=CheckSource.STAFF,
                actor=staff(B111),
                temperature="36.5",
                method="rectal",
            )
        )
        == expected
    )
    submit = selfcheck.self_check_submit
    assert _refusal(lambda: submit(token=token, temperature="36.5", method="rectal")) == expected


def test_staff_and_self_check_refuse_a_symptom_outside_the_policy_with_one_message(world):
    q = make_quarantine(B111)
    member = q.members.get()
    token = tokens.token_of(member)
    expected = ("symptom_unknown", {"symptoms": ["未知症状：sneezing。"]})
    assert (
        _refusal(
            lambda: checks.check_record(
                observation=member,
                source=CheckSource.STAFF,
                actor=staff(B111),
                temperature="36.5",
                symptoms=["sneezing"],
            )
        )
        == expected
    )
    assert (
        _refusal(
            lambda: selfcheck.self_check_submit(
                token=token, temperature="36.5", symptoms=["sneezing"]
            )
        )
        == expected
    )


def test_api_rejects_temperature_out_of_range_with_the_form_message(client, world):
    q = make_quarantine(B111)
    member = q.members.get()
    form = CheckForm({"temperature": "45"}, symptoms=[])
    form.is_valid()
    login_client(client, world.users["grid_worker"])
    staff_body = _post(
        client,
        f"/api/v1/quarantines/{q.pk}/checks",
        {"observation_id": str(member.pk), "temperature": 45},
    )
    self_body = _post(client, f"/api/v1/checkin/{tokens.token_of(member)}", {"temperature": 45})
    for r in (staff_body, self_body):
        assert r.status_code == 422
        assert r.json() == {
            "code": "temperature_out_of_range",
            "message": OUT_OF_RANGE,
            "fields": {"temperature": form.errors["temperature"]},
        }
    assert HealthCheck.objects.count() == 0


def test_api_converts_fahrenheit_before_the_range_check(client, world):
    q = make_quarantine(B111)
    token = tokens.token_of(q.members.get())
    ok = _post(client, f"/api/v1/checkin/{token}", {"temperature": 98.6, "unit": "F"})
    hot = _post(client, f"/api/v1/checkin/{token}", {"temperature": 112, "unit": "F"})
    assert ok.status_code == 201 and HealthCheck.objects.get().temperature == Decimal("37.0")
    assert hot.status_code == 422 and hot.json()["code"] == "temperature_out_of_range"


def test_api_schema_refuses_unknown_method_and_symptom_with_the_rule_messages(client, world):
    q = make_quarantine(B111)
    url = f"/api/v1/checkin/{tokens.token_of(q.members.get())}"
    method = _post(client, url, {"temperature": 36.5, "method": "rectal"}).json()
    symptom = _post(client, url, {"temperature": 36.5, "symptoms": ["sneezing"]}).json()
    key = _post(client, url, {"temperature": 36.5, "client_key": "k" * 65}).json()
    assert method == {
        "code": "method_invalid",
        "message": "未知测量方式。",
        "fields": {"method": ["未知测量方式。"]},
    }
    assert symptom["code"] == "symptom_unknown" and symptom["message"] == "未知症状：sneezing。"
    assert key["code"] == "client_key_too_long"


def test_the_staff_page_shows_the_rule_message_for_an_out_of_range_reading(client, world):
    q = make_quarantine(B111)
    member = q.members.get()
    login_client(client, world.users["grid_worker"])
    r = client.post(f"/monitoring/members/{member.pk}/check/", {"check-temperature": "45"})
    assert r.status_code == 422 and OUT_OF_RANGE in r.content.decode()
    assert HealthCheck.objects.count() == 0


def test_a_temperature_too_large_to_round_is_out_of_range_not_an_error(client, world):
    q = make_quarantine(B111)
    member = q.members.get()
    login_client(client, world.users["grid_worker"])
    body = {"observation_id": str(member.pk), "temperature": 1e30}
    r = _post(client, f"/api/v1/quarantines/{q.pk}/checks", body)
    assert r.status_code == 422 and r.json()["code"] == "temperature_out_of_range"
    assert _refusal(lambda: rules.temperature("1e30"))[0] == "temperature_out_of_range"
