import pytest

from lianfang.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _token(client, **payload):
    return client.post("/api/v1/auth/token", payload, content_type="application/json")


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
