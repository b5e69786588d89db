from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from lianfang.accounts.models import ApiToken
from lianfang.accounts.tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def _token(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="", **payload):
    return client.post(
        "/api/v1/auth/token",
        payload,
        content_type="application/json",
        REMOTE_ADDR=REMOTE_ADDR,
        HTTP_X_FORWARDED_FOR=HTTP_X_FORWARDED_FOR,
    )


def test_token_from_username_and_password_reaches_me(client, world):
    response = _token(client, username="community_worker", password=PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "community_worker"
    assert body["roles"] == [
        {"role": "community_worker", "region_code": "620105001001", "region_name": "建宁路社区"}
    ]


def test_token_is_stored_hashed(client, world):
    token = _token(client, username="community_worker", password=PASSWORD).json()["token"]
    row = ApiToken.objects.get()
    assert token not in (row.key_hash, row.prefix) and row.key_hash != token


def test_wrong_password_gets_401_with_code(client, world):
    response = _token(client, username="community_worker", password="nope")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_missing_fields_get_422_naming_them(client, world):
    response = _token(client, username="community_worker")
    assert response.status_code == 422
    assert "password" in response.json()["fields"]


def test_two_factor_role_needs_otp_for_a_token(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise delays the next try
    assert (
        _token(client, username="command_office", password=PASSWORD).json()["code"]
        == "otp_required"
    )
    assert (
        _token(client, username="command_office", password=PASSWORD, otp="123456").json()["code"]
        == "invalid_otp"
    )
    device = world.users["command_office"].totpdevice_set.get()
    ok = _token(client, username="command_office", password=PASSWORD, otp=totp_code(device))
    assert ok.status_code == 200


def test_locked_account_gets_429_from_the_api(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, username="community_worker", password="nope")
    response = _token(client, username="community_worker", password=PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_revoked_token_is_refused(client, world, login):
    from lianfang.accounts.tokens import create_token, revoke_token

    user = world.users["community_worker"]
    token, plaintext = create_token(user=user, name="integration")
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code
        == 200
    )
    revoke_token(user=user, public_id=str(token.public_id))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_expired_token_is_refused(client, world, settings):
    from lianfang.accounts.tokens import create_token

    _, plaintext = create_token(user=world.users["community_worker"], name="x")
    later = timezone.now() + settings.API_TOKEN_LIFETIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code
            == 401
        )


def test_token_of_deactivated_user_is_refused(client, world):
    from lianfang.accounts.tokens import create_token

    user = world.users["community_worker"]
    _, plaintext = create_token(user=user, name="x")
    user.is_active = False
    user.save()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code
        == 401
    )


def test_user_creates_and_revokes_a_token_in_the_ui(client, world, login):
    login(client, world.users["grid_worker"])
    page = client.post("/accounts/tokens/", {"name": "手机对接"})
    plaintext = page.context["created"]["plaintext"]
    assert plaintext in page.content.decode()
    assert plaintext not in client.get("/accounts/tokens/").content.decode()  # shown once
    token = ApiToken.objects.get(user=world.users["grid_worker"])
    client.post(f"/accounts/tokens/{token.public_id}/revoke/")
    token.refresh_from_db()
    assert token.state == "revoked"


def test_nobody_can_revoke_someone_elses_token(client, world, login):
    from lianfang.accounts.tokens import create_token

    token, _ = create_token(user=world.users["community_worker"], name="x")
    login(client, world.users["grid_worker"])
    client.post(f"/accounts/tokens/{token.public_id}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_of_unverified_two_factor_user_is_refused_by_the_api(client, world, login):
    login(client, world.users["command_office"], verified=False)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"],
)
def test_token_endpoint_refuses_bodies_that_are_not_json_whatever_the_password(
    client, world, content_type
):
    import json

    answers = set()
    for password in (PASSWORD, "nope"):
        body = json.dumps({"username": "community_worker", "password": password})
        response = client.post("/api/v1/auth/token", body, content_type=content_type)
        assert response.status_code == 415
        assert set(response.json()) == {"code", "message", "fields"}
        answers.add(response.content)
    assert len(answers) == 1  # the same answer for the right and the wrong password: no oracle
    assert ApiToken.objects.count() == 0


def test_malformed_json_gets_400_in_the_error_body(client, world):
    response = client.post("/api/v1/auth/token", "{", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


def test_wrong_second_factor_counts_toward_the_lockout(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = _token(client, username="command_office", password=PASSWORD, otp="000000")
        assert wrong.json()["code"] == "invalid_otp"
    last = _token(client, username="command_office", password=PASSWORD, otp="000000")
    assert last.status_code == 429
    device = world.users["command_office"].totpdevice_set.get()
    response = _token(client, username="command_office", password=PASSWORD, otp=totp_code(device))
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_token_requests_are_limited_per_username(client, world):
    from lianfang.accounts.api import TOKEN_ATTEMPTS_PER_USERNAME

    for n in range(TOKEN_ATTEMPTS_PER_USERNAME):
        _token(client, username="grid_worker", password=PASSWORD, REMOTE_ADDR=f"192.0.2.{n}")
    response = _token(client, username="grid_worker", password=PASSWORD, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "message": response.json()["message"],
        "fields": {},
    }
    assert _token(client, username="doctor", password=PASSWORD).status_code == 200


def test_token_requests_are_limited_per_client_address_behind_the_proxy(client, world, settings):
    from lianfang.accounts.api import TOKEN_ATTEMPTS_PER_ADDRESS
    from lianfang.core.clientaddr import parse_networks

    settings.LIANFANG_TRUSTED_PROXIES = parse_networks("10.0.0.1")
    via_proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for n in range(TOKEN_ATTEMPTS_PER_ADDRESS):
        _token(client, username=f"guess{n}", password="nope", **via_proxy)
    blocked = _token(client, username="doctor", password=PASSWORD, **via_proxy)
    assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited"
    neighbour = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert _token(client, username="doctor", password=PASSWORD, **neighbour).status_code == 200


def test_token_operation_documents_415_and_429():
    from config.api import api

    responses = api.get_openapi_schema()["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"400", "415", "429"} <= {str(k) for k in responses}


def test_the_token_service_refuses_a_two_factor_role_without_its_verified_device(world):
    from lianfang.accounts.tests.factories import enrol_totp
    from lianfang.accounts.tokens import create_token
    from lianfang.core.errors import DomainError

    office = world.users["command_office"]
    with pytest.raises(DomainError) as refused:
        create_token(user=office, name="x")
    assert refused.value.code == "second_factor_required"
    someone_elses = enrol_totp(world.users["grid_worker"])
    with pytest.raises(DomainError):
        create_token(user=office, name="x", second_factor=someone_elses)
    create_token(user=office, name="x", second_factor=office.totpdevice_set.get())
    assert ApiToken.objects.filter(user=office).count() == 1
