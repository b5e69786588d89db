"""Address routing: which community (and building) of a territory an address names. Used by
the registry's import and by checkpoints' hand-overs; built from the region tree."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from lianfang.core.regioncode import subtree_q
from lianfang.regions.models import Level, Region


class RegionRef(NamedTuple):
    """A building or community a row is routed to (plain data: crosses process boundaries)."""

    pk: int
    code: str


_COMMUNITY_SUFFIX = re.compile(
    r"(社区居民委员会|居民委员会|社区居委会|居委会|村民委员会|村委会|社区)$"
)
# A community's short name is a tail of its name ("西北师大社区" → "师大"), unless the name ends
# in a street word: "建宁路" would give "宁路", which other addresses hold.
_STREET_END = re.compile(r"[路街巷道村里园区苑庄湾坪桥门口坡号楼院]$")


def short_names(name: str) -> list[str]:
    """The shorter names a community goes by: tails of its name of two characters or more."""
    core = _COMMUNITY_SUFFIX.sub("", name)
    if len(core) < 3 or _STREET_END.search(core):
        return []
    return [core[i:] for i in range(1, len(core) - 1)]


class Router:
    """Finds the community (and building) an address names, inside the importer's territory:
    by its name first, else by a short name ("师大" → 西北师大社区) that only one community goes
    by; an address whose short names point at several is ambiguous (``is_ambiguous``)."""

    def __init__(
        self,
        communities: list[tuple[str, RegionRef]],
        buildings: dict[str, list[tuple[str, RegionRef]]],
        short: list[tuple[str, RegionRef]] | None = None,
    ) -> None:
        self.communities = sorted(communities, key=lambda x: -len(x[0]))
        self.buildings = {k: sorted(v, key=lambda x: -len(x[0])) for k, v in buildings.items()}
        self.short = sorted(short or [], key=lambda x: -len(x[0]))
        self._memo: dict[str, RegionRef | None] = {}
        self._ambiguous: set[str] = set()

    @classmethod
    def for_territory(cls, region_code: str) -> Router:
        regions = Region.objects.filter(subtree_q("code", region_code), is_active=True)
        communities: list[tuple[str, RegionRef]] = []
        short: list[tuple[str, RegionRef]] = []
        buildings: dict[str, list[tuple[str, RegionRef]]] = {}
        rows = regions.filter(level__in=[Level.COMMUNITY, Level.BUILDING]).order_by("code")
        for pk, code, name, level in rows.values_list("pk", "code", "name", "level"):
            ref = RegionRef(pk, code)
            if level == Level.COMMUNITY:
                for variant in {name, _COMMUNITY_SUFFIX.sub("", name)}:
                    if len(variant) >= 2:
                        communities.append((variant, ref))
                short.extend((variant, ref) for variant in short_names(name))
            else:
                buildings.setdefault(code[:12], []).append((name, ref))
        full = {variant for variant, _ref in communities}
        return cls(communities, buildings, [(v, r) for v, r in short if v not in full])

    def to_data(self) -> tuple[Any, ...]:
        """Plain tuples, for the reading process (which unpickles them before Django is set up)."""
        return (
            [(name, tuple(ref)) for name, ref in self.communities],
            {k: [(name, tuple(ref)) for name, ref in v] for k, v in self.buildings.items()},
            [(name, tuple(ref)) for name, ref in self.short],
        )

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> Router:
        communities, buildings, *rest = data
        return cls(
            [(name, RegionRef(*ref)) for name, ref in communities],
            {k: [(name, RegionRef(*ref)) for name, ref in v] for k, v in buildings.items()},
            [(name, RegionRef(*ref)) for name, ref in (rest[0] if rest else [])],
        )

    def route(self, address: str) -> RegionRef | None:
        try:
            return self._memo[address]
        except KeyError:
            pass
        found: RegionRef | None = None
        for name, community in self.communities:
            if name in address:
                found = community
                break
        if found is None and self.short:  # rare: an address without a community's full name
            found = self._by_short_name(address)
        if found is not None:
            for bname, building in self.buildings.get(found.code, []):
                if bname in address:
                    found = building
                    break
        if len(self._memo) < 100_000:
            self._memo[address] = found
        return found

    def _by_short_name(self, address: str) -> RegionRef | None:
        matches = {community for name, community in self.short if name in address}
        if len(matches) > 1:
            self._ambiguous.add(address)
            return None
        return matches.pop() if matches else None

    def is_ambiguous(self, address: str) -> bool:
        """Whether ``route`` found no community because the address's short names point at
        several."""
        return address in self._ambiguous
