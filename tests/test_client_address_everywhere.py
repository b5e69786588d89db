"""The lockout's records, the change log and the access log key on the same client address as
the rate limits: behind the trusted proxy the forwarded one, from anybody else its own (a
client's X-Forwarded-For is not believed)."""

import pytest

from conftest import B111
from lianfang.accounts.tests.factories import PASSWORD
from lianfang.core.clientaddr import parse_networks

pytestmark = pytest.mark.django_db

PROXY = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
SPOOFER = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}


@pytest.fixture(autouse=True)
def _proxy(settings):
    settings.LIANFANG_TRUSTED_PROXIES = parse_networks("10.0.0.0/24")


@pytest.mark.parametrize(("meta", "expected"), [(PROXY, "203.0.113.7"), (SPOOFER, "192.0.2.50")])
def test_the_lockout_records_the_client_address(client, world, meta, expected):
    from axes.models import AccessAttempt

    client.post("/accounts/login/", {"username": "grid_worker", "password": "nope"}, **meta)
    assert AccessAttempt.objects.get().ip_address == expected


@pytest.mark.parametrize(("meta", "expected"), [(PROXY, "203.0.113.7"), (SPOOFER, "192.0.2.50")])
def test_the_change_log_and_the_access_log_record_the_client_address(
    client, world, login, meta, expected
):
    from auditlog.models import LogEntry

    from lianfang.core.models import AccessLog
    from lianfang.people.models import Person
    from lianfang.people.tests.factories import mobile, resident_id

    login(client, world.users["community_worker"])
    created = client.post(
        "/api/v1/persons",
        {
            "full_name": "地址",
            "id_number": resident_id(),
            "phone": mobile(),
            "region_code": B111,
            "address": "1单元101",
        },
        content_type="application/json",
        **meta,
    )
    assert created.status_code == 201, created.content
    person = Person.objects.get(full_name="地址")
    assert LogEntry.objects.get_for_object(person).get().remote_addr == expected
    client.post(f"/people/{person.pk}/reveal/id_number/", {"purpose": "核对"}, **meta)
    assert AccessLog.objects.get().ip == expected


def test_a_token_login_through_the_proxy_is_locked_per_username_not_per_proxy(client, world):
    # Many residents and offices share the proxy's address: the lockout is by username.
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "grid_worker", "password": "nope"},
            content_type="application/json",
            **PROXY,
        )
    other = client.post(
        "/api/v1/auth/token",
        {"username": "doctor", "password": PASSWORD},
        content_type="application/json",
        **PROXY,
    )
    assert other.status_code == 200
