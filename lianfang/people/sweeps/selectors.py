"""Sweep reads: the open sweeps, who may be given buildings and who has them, the doors of a
building, coverage per region and the revisit list. Coverage is computed from the visits, never
typed; a door's state is its latest visit."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor
from lianfang.people.models import Household, HouseholdVisit, Sweep, SweepAssignment, VisitOutcome
from lianfang.people.permissions import REGISTER, VIEW_PEOPLE
from lianfang.regions.models import Level, Region

DONE_OUTCOMES = {
    VisitOutcome.VISITED,
    VisitOutcome.REFUSED,
    VisitOutcome.ARRIVALS_FOUND,
    VisitOutcome.REGISTERED,
}


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
