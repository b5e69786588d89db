"""Shared fixtures: one small region tree and one actor per role.

620105 安宁区
├── 620105001 培黎街道
│   ├── 620105001001 建宁路社区
│   │   ├── 620105001001001 1号楼
│   │   └── 620105001001002 2号楼
│   └── 620105001002 向阳社区
│       └── 620105001002001 1号楼
└── 620105002 西路街道
    └── 620105002001 水挂庄社区
        └── 620105002001001 1号楼
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from lianfang.accounts.models import User
    from lianfang.regions.models import Region

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DISTRICT = "620105"
SD1, SD2 = "620105001", "620105002"
C11, C12, C21 = "620105001001", "620105001002", "620105002001"
B111, B112, B121, B211 = "620105001001001", "620105001001002", "620105001002001", "620105002001001"

TREE = [
    (DISTRICT, "安宁区"),
    (SD1, "培黎街道"),
    (SD2, "西路街道"),
    (C11, "建宁路社区"),
    (C12, "向阳社区"),
    (C21, "水挂庄社区"),
    (B111, "建宁路1号楼"),
    (B112, "建宁路2号楼"),
    (B121, "向阳1号楼"),
    (B211, "水挂庄1号楼"),
]

# role -> region code of the one actor per role (functional roles sit where they work).
ROLE_REGIONS = {
    "command_office": DISTRICT,
    "subdistrict_officer": SD1,
    "community_worker": C11,
    "grid_worker": B111,
    "doctor": C11,
    "checkpoint_officer": SD1,
    "hotline_operator": DISTRICT,
    "discipline_officer": DISTRICT,
    "discipline_leader": DISTRICT,
    "sector_inspector": SD1,
    "supplies_keeper": DISTRICT,
    "publicity_officer": DISTRICT,
    "volunteer": C11,
    "system_admin": DISTRICT,
    "privacy_auditor": DISTRICT,
}


@dataclass
class World:
    regions: dict[str, Region]
    users: dict[str, User]  # role -> user
    nobody: User  # a user without membership


@pytest.fixture
def tree(db):
    from lianfang.cases import defaults
    from lianfang.cases.models import Category
    from lianfang.regions.tests.factories import make_region

    defaults.seed(Category)  # the data migration's rows, gone after a transactional test's flush
    return {code: make_region(code, name) for code, name in TREE}


@pytest.fixture
def world(tree):
    from lianfang.accounts.roles import TWO_FACTOR_ROLES
    from lianfang.accounts.tests.factories import UserFactory, enrol_totp, grant

    users = {}
    for role, code in ROLE_REGIONS.items():
        user = UserFactory.create(username=role, full_name=f"{role}人员", region_code=code)
        grant(user, role, code)
        if role in TWO_FACTOR_ROLES:
            enrol_totp(user)
        users[role] = user
    nobody = UserFactory.create(username="nobody", full_name="无任职")
    return World(regions=tree, users=users, nobody=nobody)


@pytest.fixture
def actor_of():
    from lianfang.accounts.actors import actor_for

    return lambda user: actor_for(user)


def login_client(client, user, *, verified: bool | None = None):
    """Log ``client`` in as ``user``; users of 2FA roles are marked as having passed it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and verified is not False:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login():
    return login_client


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request, django_db_blocker):
    """A transactional test ends in a flush, which also removes the rows data migrations wrote
    (the first observation policy); put them back so the next test on the worker has them."""
    yield
    if _is_transactional(request):
        import importlib

        from django.apps import apps

        first_policy = importlib.import_module("lianfang.monitoring.migrations.0002_first_policy")
        with django_db_blocker.unblock():
            first_policy.create(apps, None)


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware activates and
    never deactivates); the next test, or a module fixture seeding data, must not inherit it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with empty per-process caches (lianfang/core/cache.py), as a fresh
    worker would."""
    from lianfang.core import cache

    cache.clear_all()
    yield
    cache.clear_all()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
