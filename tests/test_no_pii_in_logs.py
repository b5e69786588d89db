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


@pytest.fixture
def every_handler():
    """What every handler configured in the process (settings.LOGGING and Django's defaults)
    writes, plus pytest's own capture: each stream handler writes to one buffer meanwhile."""
    stream = io.StringIO()
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    swapped = []
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and handler not in swapped:
                swapped.append(handler)
    old_streams = [h.setStream(stream) for h in swapped]
    yield stream
    for handler, old in zip(swapped, old_streams, strict=True):
        handler.setStream(old)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_a_404_for_a_path_with_personal_data_logs_no_clear_value(
    client, world, every_handler, caplog, settings, debug
):
    settings.DEBUG = debug
    token = "AbCdEfGhIjKlMnOp"
    for path in (f"/people/{PHONE}/", f"/people/{ID}/", f"/c/{token}/", f"/api/v1/checkin/{token}"):
        client.get(path)
    text = every_handler.getvalue() + caplog.text
    assert "Not Found" in text  # the lines were captured, so this test can see them
    assert PHONE not in text and ID not in text and token not in text


@pytest.mark.django_db
def test_a_newline_in_a_path_writes_one_log_line(client, every_handler, settings):
    settings.DEBUG = True
    client.get("/nothing%0a2020-02-10 12:00:00 INFO forged line/")
    lines = [line for line in every_handler.getvalue().splitlines() if "forged" in line]
    assert lines  # the line was captured
    assert all("Not Found: /nothing" in line for line in lines)  # none begins a forged line


def test_the_access_log_redacts_and_keeps_a_forged_line_on_its_own_line():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from lianfang.core.gunicorn_logger import RedactingLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" %(U)s %(s)s')
    logger = RedactingLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/people/{PHONE}/%0aforged",
        "PATH_INFO": f"/people/{PHONE}/\nforged",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
    }
    resp = SimpleNamespace(status="404 Not Found", sent=0, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    line = cfg.access_log_format % atoms
    assert "\n" not in line and PHONE not in line
    assert line.startswith("203.0.113.7 ")
