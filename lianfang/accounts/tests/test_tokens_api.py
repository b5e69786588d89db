from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from lianfang.accounts.models import ApiToken
from lianfang.accounts.tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def _token(client, **payload):
    return client.post("/api/v1/auth/token", payload, content_type="application/json")


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


def test_a_write_through_a_bearer_token_names_its_user_in_the_change_log(client, world):
    from auditlog.models import LogEntry

    from conftest import B111
    from lianfang.people.models import Person
    from lianfang.people.tests.factories import mobile, resident_id

    token = _token(client, username="community_worker", password=PASSWORD).json()["token"]
    response = client.post(
        "/api/v1/persons",
        {
            "full_name": "令牌",
            "id_number": resident_id(),
            "phone": mobile(),
            "region_code": B111,
            "address": "1单元101",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(full_name="令牌")
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.actor == world.users["community_worker"]
