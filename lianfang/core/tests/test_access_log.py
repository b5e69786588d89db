import pytest

from lianfang.core.access import log_access
from lianfang.core.errors import InvalidInput
from lianfang.core.models import AccessLog


def test_access_is_logged_with_purpose(world, actor_of):
    actor = actor_of(world.users["community_worker"])
    row = log_access(
        actor=actor,
        action="reveal",
        object_type="person",
        object_id="abc",
        region_code="620105001001001",
        purpose="电话联系核实",
    )
    assert AccessLog.objects.get(pk=row.pk).purpose == "电话联系核实"


def test_access_without_purpose_is_refused_and_not_logged(world, actor_of):
    actor = actor_of(world.users["community_worker"])
    with pytest.raises(InvalidInput) as exc:
        log_access(
            actor=actor,
            action="reveal",
            object_type="person",
            object_id="abc",
            region_code="620105001001",
            purpose=" ",
        )
    assert exc.value.code == "purpose_required"
    assert AccessLog.objects.count() == 0
