"""Door-to-door sweeps: started over a region and dates, worked building by building by the grid
workers, one tap per door; doors with nobody home come back for a revisit. Coverage is computed
from the visits, never typed."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor
from lianfang.people.models import Household, HouseholdVisit, Sweep, SweepAssignment, VisitOutcome
from lianfang.people.permissions import MANAGE_SWEEPS, REGISTER, VIEW_PEOPLE
from lianfang.regions.models import Level, Region

DONE_OUTCOMES = {
    VisitOutcome.VISITED,
    VisitOutcome.REFUSED,
    VisitOutcome.ARRIVALS_FOUND,
    VisitOutcome.REGISTERED,
}


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
    assign_by_grid(sweep)
    return sweep


def assign_by_grid(sweep: Sweep) -> int:
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


def assignable(sweep: Sweep, community_code: str) -> list[tuple[int, str]]:
    """Who can be given buildings of ``community_code`` in the sweep: its grid workers and
    community workers (active memberships inside the community)."""
    from lianfang.accounts.models import Membership

    seen: dict[int, str] = {}
    for user_id, name in (
        Membership.objects.active()
        .filter(
            subtree_q("region_code", community_code),
            role__in=["grid_worker", "community_worker"],
        )
        .order_by("user__full_name")
        .values_list("user_id", "user__full_name")
    ):
        seen.setdefault(user_id, name)
    return list(seen.items())


@transaction.atomic
def assign(*, actor: Actor, sweep: Sweep, building_codes: list[str], assignee_id: int) -> int:
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


def my_buildings(actor: Actor, sweep: Sweep) -> list[Region]:
    """The buildings given to the actor in this sweep; without any, those of their grid."""
    assigned = list(
        Region.objects.filter(
            pk__in=SweepAssignment.objects.filter(sweep=sweep, assignee_id=actor.user_id).values(
                "building_id"
            )
        ).order_by("code")
    )
    if assigned:
        return assigned
    return list(
        Region.objects.visible_to(actor, REGISTER)
        .filter(level=Level.BUILDING, is_active=True, code__startswith=sweep.region_code)
        .order_by("code")[:200]
    )


def assignments(sweep: Sweep, community_code: str) -> list[tuple[Region, str]]:
    """The community's buildings in the sweep with the assignee's name ("" when unassigned)."""
    names = dict(
        SweepAssignment.objects.filter(
            sweep=sweep, region_code__startswith=community_code
        ).values_list("building_id", "assignee__full_name")
    )
    return [
        (b, names.get(b.pk, ""))
        for b in Region.objects.filter(
            code__startswith=community_code, level=Level.BUILDING, is_active=True
        ).order_by("code")
    ]


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


def open_sweeps(actor: Actor) -> QuerySet[Sweep]:
    """Open sweeps the actor works in or oversees: those covering any of their regions."""
    prefixes = actor.prefixes(VIEW_PEOPLE)
    ids: set[Any] = set()
    for sweep in Sweep.objects.filter(is_open=True):
        if any(
            p.startswith(sweep.region_code) or sweep.region_code.startswith(p) for p in prefixes
        ):
            ids.add(sweep.pk)
    return Sweep.objects.filter(pk__in=ids).select_related("region").order_by("-start_date")


@dataclass
class Door:
    address: str
    outcome: str = ""
    visited_at: Any = None
    registered: int = 0


def doors(sweep: Sweep, building: Region) -> list[Door]:
    """Every known door of a building for the sweep: registered households and visited doors,
    with the latest outcome."""
    found: dict[str, Door] = {}
    for h in Household.objects.filter(region=building).order_by("address"):
        found[h.address] = Door(h.address, registered=h.members.count())
    for v in HouseholdVisit.objects.filter(sweep=sweep, building=building).order_by("visited_at"):
        door = found.setdefault(v.address, Door(v.address))
        door.outcome, door.visited_at = v.outcome, v.visited_at
    return sorted(found.values(), key=lambda d: d.address)


@dataclass
class Coverage:
    region: Region
    buildings: int = 0
    buildings_started: int = 0
    doors: int = 0
    done: int = 0
    nobody_home: int = 0
    refused: int = 0
    arrivals: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.doors) if self.doors else 0


def coverage(actor: Actor, sweep: Sweep, parent: Region) -> list[Coverage]:
    """Coverage per child of ``parent`` (sub-district → communities → buildings) inside the sweep
    and the actor's scope, from the latest visit of each door."""
    children = list(
        Region.objects.visible_to(actor, VIEW_PEOPLE)
        .filter(parent=parent, is_active=True)
        .order_by("code")
    )
    if not children:
        return []
    width = len(children[0].code)
    result = {c.code: Coverage(region=c) for c in children}
    buildings = Region.objects.filter(
        subtree_q("code", parent.code), level=Level.BUILDING, is_active=True
    )
    for code in buildings.values_list("code", flat=True):
        if code[:width] in result:
            result[code[:width]].buildings += 1
    latest: dict[tuple[str, str], str] = {}
    for region_code, address, outcome in (
        HouseholdVisit.objects.filter(sweep=sweep)
        .filter(subtree_q("region_code", parent.code))
        .order_by("visited_at")
        .values_list("region_code", "address", "outcome")
    ):
        latest[(region_code, address)] = outcome
    started: dict[str, set[str]] = defaultdict(set)
    for (region_code, _address), outcome in latest.items():
        cov = result.get(region_code[:width])
        if cov is None:
            continue
        started[cov.region.code].add(region_code)
        cov.doors += 1
        cov.outcomes[outcome] += 1
        cov.done += outcome in DONE_OUTCOMES
        cov.nobody_home += outcome == VisitOutcome.NOBODY_HOME
        cov.refused += outcome == VisitOutcome.REFUSED
        cov.arrivals += outcome in (VisitOutcome.ARRIVALS_FOUND, VisitOutcome.REGISTERED)
    for code, cov in result.items():
        cov.buildings_started = len(started[code])
    return list(result.values())


def revisit_list(actor: Actor, sweep: Sweep) -> list[tuple[str, str]]:
    """Doors whose latest visit found nobody home, in the actor's territory."""
    q = actor.scope_q(REGISTER, "region_code")
    if q is None:
        return []
    latest: dict[tuple[str, str], str] = {}
    for region_code, address, outcome in (
        HouseholdVisit.objects.filter(sweep=sweep)
        .filter(q)
        .order_by("visited_at")
        .values_list("region_code", "address", "outcome")
    ):
        latest[(region_code, address)] = outcome
    return sorted(k for k, v in latest.items() if v == VisitOutcome.NOBODY_HOME)


def building_progress(sweep: Sweep, buildings: list[Region]) -> dict[str, tuple[int, int]]:
    """Per building code: (doors done, doors known) in the sweep, the same doors as ``doors``
    (registered households and visited doors, latest outcome) in two statements."""
    ids = [b.pk for b in buildings]
    known: dict[int, set[str]] = defaultdict(set)
    for building_id, address in Household.objects.filter(region_id__in=ids).values_list(
        "region_id", "address"
    ):
        known[building_id].add(address)
    latest: dict[tuple[int, str], str] = {}
    for building_id, address, outcome in (
        HouseholdVisit.objects.filter(sweep=sweep, building_id__in=ids)
        .order_by("visited_at")
        .values_list("building_id", "address", "outcome")
    ):
        latest[(building_id, address)] = outcome
        known[building_id].add(address)
    return {
        b.code: (
            sum(1 for a in known[b.pk] if latest.get((b.pk, a)) in DONE_OUTCOMES),
            len(known[b.pk]),
        )
        for b in buildings
    }
