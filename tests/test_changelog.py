import re

import pytest
import time_machine
from auditlog.registry import auditlog

from conftest import B111, ROLE_REGIONS, login_client
from lianfang.accounts import changelog
from lianfang.accounts.tests.factories import UserFactory
from lianfang.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_every_audited_field_has_a_chinese_label():
    english = []
    for model in auditlog.get_models():
        excluded = set(auditlog.get_model_fields(model)["exclude_fields"] or ())
        for f in model._meta.concrete_fields:
            if f.name in changelog.HIDDEN or f.name in excluded:
                continue
            label = changelog.label_of(model, f.name)
            if re.search(r"[A-Za-z]{2,}", label) and "API" not in label:
                english.append(f"{model.__name__}.{f.name}: {label}")
    assert english == []


def test_the_mask_masks_personal_data_only_and_keeps_empty_empty():
    assert changelog.mask("None") == "" and changelog.mask("") == ""
    assert changelog.mask("+8613912345678") == "139****5678"
    assert changelog.mask("620105********1234") == "620105********1234"  # stored masked already
    assert changelog.mask("张三丰") == "（已脱敏）"


def test_the_auditor_reads_changes_as_chinese_sentences(client, world):
    with time_machine.travel("2020-02-10 09:30:15 +0800", tick=False):
        user = UserFactory.create(username="wangfang", full_name="王芳", region_code=B111)
        user.phone = "+8613912345678"
        user.save()
        make_person(B111)
    login_client(client, world.users["privacy_auditor"])
    page = client.get("/audit/changes/").content.decode()
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "2020-02-10 09:30:15" in visible  # local time, to the second
    assert "手机号" in visible and "由 空 改为 139****5678" in visible
    assert "None" not in visible and "**ne" not in visible
    assert "修改了用户「王芳（wangfang）」" in visible
    assert "新建了人员" in visible
    for role in ROLE_REGIONS:  # the test world's own user names are role names
        visible = visible.replace(role, "")
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible)  # no region_code, id_number_masked
