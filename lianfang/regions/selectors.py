"""Reads on the region tree, always from the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from lianfang.core import navigation
from lianfang.core.cache import per_process
from lianfang.core.regioncode import ancestors, subtree_q
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.regions.models import Level, Region, RegionQuerySet
from lianfang.regions.permissions import VIEW_REGION

# Address routing, public to the apps that route addresses (the registry's import, checkpoints).
from lianfang.regions.routing import RegionRef as RegionRef
from lianfang.regions.routing import Router as Router
from lianfang.regions.routing import short_names as short_names


def visible_regions(actor: Actor) -> RegionQuerySet:
    return Region.objects.visible_to(actor, VIEW_REGION)


def get_region(actor: Actor, code: str) -> Region:
    return get_visible_or_404(
        Region.objects.select_related("parent"), actor, VIEW_REGION, code=code
    )


def top_regions(actor: Actor) -> list[Region]:
    """The highest regions the actor can see (their membership regions, minimal)."""
    prefixes = actor.prefixes(VIEW_REGION)
    return list(Region.objects.filter(code__in=prefixes).order_by("code"))


def breadcrumbs(actor: Actor, region: Region) -> list[Region]:
    """The region's ancestors the actor may see, top first."""
    codes = ancestors(region.code)
    return list(visible_regions(actor).filter(code__in=codes).order_by("code"))


@dataclass
class ChildCounts:
    region: Region
    subdistricts: int = 0
    communities: int = 0
    buildings: int = 0
    grid_workers: int = 0


def children_with_counts(
    actor: Actor, region: Region, *, include_inactive: bool = False
) -> list[ChildCounts]:
    """The visible children of ``region`` with counts of everything below each of them, in three
    grouped queries whatever the number of children."""
    children_qs = visible_regions(actor).filter(parent=region)
    if not include_inactive:
        children_qs = children_qs.filter(is_active=True)
    children = list(children_qs.order_by("code"))
    if not children:
        return []
    width = len(children[0].code)
    result = {c.code: ChildCounts(region=c) for c in children}
    below = (
        visible_regions(actor)
        .filter(subtree_q("code", region.code), is_active=True)
        .exclude(code=region.code)
        .annotate(prefix=Substr("code", 1, width))
        .values("prefix", "level")
        .annotate(n=Count("id"))
    )
    field_of = {
        Level.SUBDISTRICT: "subdistricts",
        Level.COMMUNITY: "communities",
        Level.BUILDING: "buildings",
    }
    for row in below:
        counts = result.get(row["prefix"])
        name = field_of.get(row["level"])
        if counts is not None and name:
            setattr(counts, name, row["n"])
    for prefix, n in navigation.grid_workers_below(actor, region.code, width).items():
        if prefix in result:
            result[prefix].grid_workers = n
    return list(result.values())


def totals(actor: Actor, region: Region) -> dict[str, int]:
    below = visible_regions(actor).filter(subtree_q("code", region.code), is_active=True)
    counts = dict(below.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    grid_workers = navigation.grid_workers_below(actor, region.code, None).get("", 0)
    return {
        "subdistricts": counts.get(Level.SUBDISTRICT, 0),
        "communities": counts.get(Level.COMMUNITY, 0),
        "buildings": counts.get(Level.BUILDING, 0),
        "grid_workers": grid_workers,
    }


def children_for_api(actor: Actor, parent_code: str | None) -> list[Region]:
    if parent_code is None:
        return top_regions(actor)
    parent = get_region(actor, parent_code)
    return list(visible_regions(actor).filter(parent=parent, is_active=True).order_by("code"))


def search(actor: Actor, q: str, *, level: str = "", active: str = "") -> RegionQuerySet:
    qs = visible_regions(actor)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if level:
        qs = qs.filter(level=level)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.select_related("parent").order_by("code")


@per_process(seconds=60, maxsize=64)
def address_router(territory_code: str) -> Router:
    """The router of a territory, built once a minute per process rather than per address (a
    checkpoint routes every occupant). An import builds its own (``Router.for_territory``)."""
    return Router.for_territory(territory_code)
