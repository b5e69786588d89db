"""No ID number or phone appears in clear in the logs, whatever the flow (a test greps them)."""

import io
import logging

import pytest

from conftest import B111, login_client
from lianfang.core.logging import RedactPersonalDataFilter

ID = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def all_logs():
    """Every record of every logger at DEBUG, formatted by a handler that carries the project's
    redaction filter, as in settings.LOGGING."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    db_logger = logging.getLogger("django.db.backends")
    old_db = db_logger.level
    db_logger.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
    db_logger.setLevel(old_db)


@pytest.mark.django_db
def test_registration_search_reveal_and_errors_log_no_id_or_phone(
    client, world, all_logs, settings
):
    settings.DEBUG = True  # SQL statements are logged too
    login_client(client, world.users["community_worker"])
    client.post(
        "/api/v1/persons",
        {"full_name": "甲", "id_number": ID, "phone": PHONE, "region_code": B111, "address": "1-1"},
        content_type="application/json",
    )
    client.post(
        "/api/v1/persons",
        {"full_name": "乙", "id_number": ID[:-1] + "1", "phone": "12345", "region_code": B111},
        content_type="application/json",
    )
    client.get("/api/v1/persons", {"q": PHONE})
    client.post("/people/", {"search": "1", "q": ID}, follow=True)
    from lianfang.people.models import Person

    person = Person.objects.get()
    client.post(f"/people/{person.pk}/reveal/id_number/", {"purpose": "核对"})
    client.get(f"/people/{person.pk}/nonexistent")
    logging.getLogger("lianfang.test").warning("caller said %s and %s", ID, PHONE)
    text = all_logs.getvalue()
    assert "SELECT" in text  # the SQL log was captured, so this test can see parameters
    assert ID not in text and ID.lower() not in text
    assert PHONE not in text
