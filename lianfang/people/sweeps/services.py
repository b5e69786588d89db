"""Sweep writes: start a sweep over a region and dates (its buildings go to their grid workers),
give buildings to a worker, record a door's visit, close the sweep."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor
from lianfang.people.models import HouseholdVisit, Sweep, SweepAssignment, VisitOutcome
from lianfang.people.permissions import MANAGE_SWEEPS, REGISTER
from lianfang.people.sweeps.selectors import assignable
from lianfang.regions.models import Level, Region


@transaction.atomic
def start_sweep(
    *, actor: Actor, region_code: str, name: str, start_date: date, end_date: date
) -> Sweep:
    region = Region.objects.filter(code=region_code, is_active=True).first()
    errors: dict[str, list[str]] = {}
    if (
        region is None
        or region.level == Level.BUILDING
        or not actor.can(MANAGE_SWEEPS, region.code)
    ):
        errors["region_code"] = [_("请选择本辖区内的社区、街道或区。")]
    if not (name or "").strip():
        errors["name"] = [_("请填写名称。")]
    if end_date < start_date:
        errors["end_date"] = [_("结束日期不能早于开始日期。")]
    if errors:
        raise InvalidInput("invalid_sweep", _("请检查填写内容。"), errors)
    assert region is not None
    sweep = Sweep.objects.create(
        name=name.strip()[:100],
        region=region,
        region_code=region.code,
        start_date=start_date,
        end_date=end_date,
        created_by_id=actor.staff_id,
    )
    sweep_assign_by_grid(sweep)
    return sweep


def sweep_assign_by_grid(sweep: Sweep) -> int:
    """Each building to its grid worker (the first by membership), in bulk."""
    from lianfang.accounts import selectors as accounts_selectors

    workers = accounts_selectors.first_holder_per_region("grid_worker", sweep.region_code)
    buildings = Region.objects.filter(
        subtree_q("code", sweep.region_code), level=Level.BUILDING, is_active=True
    ).values_list("pk", "code")
    rows = [
        SweepAssignment(sweep=sweep, building_id=pk, region_code=code, assignee_id=workers[code])
        for pk, code in buildings
        if code in workers
    ]
    SweepAssignment.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def sweep_assign(*, actor: Actor, sweep: Sweep, building_codes: list[str], assignee_id: int) -> int:
    """Give buildings of one community to a grid or community worker of that community."""
    if not sweep.is_open:
        raise InvalidInput("sweep_closed", _("该排查已结束。"))
    codes = sorted(set(building_codes))
    if not codes:
        raise InvalidInput(
            "no_buildings", _("请选择楼栋。"), {"building_codes": [_("请选择楼栋。")]}
        )
    community = codes[0][:12]
    buildings = list(Region.objects.filter(code__in=codes, level=Level.BUILDING, is_active=True))
    if (
        len(buildings) != len(codes)
        or any(not c.startswith(community) or not c.startswith(sweep.region_code) for c in codes)
        or not actor.can(MANAGE_SWEEPS, community)
    ):
        raise PermissionDeniedError(
            "forbidden", _("只能分派本辖区、本次排查范围内同一社区的楼栋。")
        )
    if assignee_id not in dict(assignable(sweep, community)):
        msg = _("只能分派给该社区的网格员或社区工作人员。")
        raise InvalidInput("invalid_assignee", msg, {"assignee_id": [msg]})
    for b in buildings:
        SweepAssignment.objects.update_or_create(
            sweep=sweep,
            building=b,
            defaults={
                "region_code": b.code,
                "assignee_id": assignee_id,
                "assigned_by_id": actor.user_id,
            },
        )
    return len(buildings)


@transaction.atomic
def close_sweep(*, actor: Actor, sweep: Sweep) -> Sweep:
    if not actor.can(MANAGE_SWEEPS, sweep.region_code):
        raise PermissionDeniedError("forbidden", _("您无权关闭该排查。"))
    sweep.is_open = False
    sweep.save(update_fields=["is_open"])
    return sweep


def record_visit(
    *, actor: Actor, sweep: Sweep, building_code: str, address: str, outcome: str, note: str = ""
) -> HouseholdVisit:
    address = " ".join((address or "").split())[:100]
    errors: dict[str, list[str]] = {}
    if not sweep.is_open:
        raise InvalidInput("sweep_closed", _("该排查已结束。"))
    if not building_code.startswith(sweep.region_code) or not actor.can(REGISTER, building_code):
        raise PermissionDeniedError("forbidden", _("该楼栋不在您的排查范围内。"))
    building = Region.objects.filter(
        code=building_code, level=Level.BUILDING, is_active=True
    ).first()
    if building is None:
        errors["building_code"] = [_("楼栋不存在。")]
    if not address:
        errors["address"] = [_("请填写门牌/房号。")]
    if outcome not in VisitOutcome.values:
        errors["outcome"] = [_("未知结果。")]
    if errors:
        raise InvalidInput("invalid_visit", _("请检查填写内容。"), errors)
    assert building is not None
    return HouseholdVisit.objects.create(
        sweep=sweep,
        building=building,
        region_code=building.code,
        address=address,
        outcome=outcome,
        note=(note or "")[:200],
        visited_by_id=actor.staff_id,
    )
