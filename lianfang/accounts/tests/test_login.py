import pytest
from django.urls import reverse

from lianfang.accounts.tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def _post_login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_wrong_password_gets_a_clear_chinese_message(client, world):
    response = _post_login(client, "community_worker", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_is_locked_after_repeated_failures(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "community_worker", "wrong-password")
    response = _post_login(client, "community_worker", PASSWORD)  # even the right password
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_leaves_others_alone(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "community_worker", "wrong-password")
    response = _post_login(client, "grid_worker", PASSWORD)
    assert response.status_code == 302


def test_plain_role_logs_in_and_lands_on_home(client, world):
    response = _post_login(client, "community_worker", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_two_factor_role_is_held_until_the_code_is_given(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise delays the next try
    response = _post_login(client, "command_office", PASSWORD)
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
    held = client.get(reverse("regions:detail", args=["620105"]))
    assert held.status_code == 302 and "/accounts/otp/" in held["Location"]
    wrong = client.post(reverse("accounts:otp_verify"), {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    device = world.users["command_office"].totpdevice_set.get()
    ok = client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("regions:detail", args=["620105"])).status_code == 200


def test_two_factor_role_without_device_must_enrol_and_gets_backup_codes(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = world.users["system_admin"]
    TOTPDevice.objects.filter(user=admin).delete()
    response = _post_login(client, "system_admin", PASSWORD)
    assert "/accounts/otp/setup/" in response["Location"]
    page = client.get(reverse("accounts:otp_setup"))
    assert "data:image/svg+xml" in page.content.decode()
    pending = TOTPDevice.objects.get(user=admin, confirmed=False)
    done = client.post(reverse("accounts:otp_setup"), {"code": totp_code(pending)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert client.get(reverse("accounts:user_list")).status_code == 200
    # A backup code works once at the next login.
    client.post(reverse("accounts:logout"))
    _post_login(client, "system_admin", PASSWORD)
    code = done.context["codes"][0]
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    _post_login(client, "system_admin", PASSWORD)
    again = client.post(reverse("accounts:otp_verify"), {"code": code})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()


def test_user_without_membership_sees_nothing(client, world, login):
    login(client, world.nobody)
    home = client.get("/")
    assert home.status_code == 404
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_logout_needs_post(client, world, login):
    login(client, world.users["community_worker"])
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_user_changes_their_own_password(client, world, login):
    login(client, world.users["grid_worker"])
    wrong = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "Lanzhou-2021y",
            "new_password2": "Lanzhou-2021y",
        },
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    ok = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Lanzhou-2021y",
            "new_password2": "Lanzhou-2021y",
        },
    )
    assert ok.status_code == 302
    world.users["grid_worker"].refresh_from_db()
    assert world.users["grid_worker"].check_password("Lanzhou-2021y")
