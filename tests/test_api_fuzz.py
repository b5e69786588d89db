"""The whole API fuzzed from its own OpenAPI (schemathesis), as a community worker and as the
command office: no answer is a 5xx, every status code is documented, every body matches its
schema. A bounded number of examples per operation keeps it within the suite's time."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

# Loaded at module level: schemathesis.pytest.from_fixture breaks on pytest 9.2 (NOTES.md).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ROLES = ("community_worker", "command_office")
EXAMPLES = 10  # per operation and generation phase: ~60 s for the whole API on SQLite

# Each example runs in its test's transaction: no shared state, so xdist may spread them.
pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes "old" connections around each request, which would end the
    test's transaction: keep the connection, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world, wsgi_in_test_transaction):
    """A token per role (the command office's user passed 2FA when it was created)."""
    from lianfang.accounts.tokens import create_token
    from lianfang.people.tests.factories import make_person

    make_person("620105001001001", "王五")  # something to list, in the worker's building

    def token(user):
        device = user.totpdevice_set.filter(confirmed=True).first()  # 2FA roles have one
        return create_token(user=user, name="fuzz", second_factor=device)[1]

    return {role: token(world.users[role]) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_documented(case, role, bearer):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer[role]}", "Host": "testserver"},
        checks=CHECKS,
    )
