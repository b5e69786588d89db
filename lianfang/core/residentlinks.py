"""Who a resident's personal link belongs to, for apps that cannot read monitoring: the
monitoring app registers its resolver (a check-in token → the running observation) and the
tip-off app asks it when a quarantined resident requests help from their link. A registry in
core, as DESIGN §3 asks for signals between apps of one layer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LinkHolder:
    observation_id: Any
    region_code: str  # where they live (building or community)
    label: str  # masked name and home, for the unit that helps: "张* · 建宁路1号楼 2单元301"


_resolvers: list[Callable[[str], LinkHolder | None]] = []


def register(resolver: Callable[[str], LinkHolder | None]) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def resolve(token: str) -> LinkHolder | None:
    for resolver in _resolvers:
        found = resolver(token)
        if found is not None:
            return found
    return None
