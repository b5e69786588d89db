"""The home page's work queue (今日待办): what is due for the actor now, by role. The home page
lives in a low app (regions) and must not import the apps above it, so each app registers its
tiles here in ``AppConfig.ready`` (like ``core/indicators.py``) and the home page only reads this
registry.

- A ``Tile`` is shown to an actor holding one of its ``roles`` and its ``perm``; its ``items``
  function reads through the app's own selectors, from the actor's scope, and returns the
  ``WorkItem``s due (a count and the link to the filtered list). Items with nothing due are
  left out, so a home with no items shows the empty state.
- A ``Panel`` is a block of figures with its own template (the command office's district
  overview); ``context`` returns None when the actor has nothing to show there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lianfang.core.permissions import check_known
from lianfang.core.scoping import Actor


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    total: int | None = None  # "count of total" (a sweep's households visited) when set
    note: str = ""
    urgent: bool = False

    @property
    def due(self) -> bool:
        # Progress items (a building of the sweep) stay on the list while the sweep runs.
        return self.total is not None or self.count > 0


@dataclass(frozen=True)
class Tile:
    key: str
    roles: frozenset[str]
    perm: str
    items: Callable[[Actor], list[WorkItem]]
    order: int = 50


@dataclass(frozen=True)
class Panel:
    key: str
    roles: frozenset[str]
    perm: str
    template: str
    context: Callable[[Actor], dict[str, Any] | None]
    order: int = 50


_TILES: dict[str, Tile] = {}
_PANELS: dict[str, Panel] = {}


def register(
    key: str,
    *,
    roles: tuple[str, ...],
    perm: str,
    items: Callable[[Actor], list[WorkItem]],
    order: int = 50,
) -> None:
    check_known(perm)
    _TILES[key] = Tile(key, frozenset(roles), perm, items, order)


def register_panel(
    key: str,
    *,
    roles: tuple[str, ...],
    perm: str,
    template: str,
    context: Callable[[Actor], dict[str, Any] | None],
    order: int = 50,
) -> None:
    check_known(perm)
    _PANELS[key] = Panel(key, frozenset(roles), perm, template, context, order)


def _for(actor: Actor, roles: frozenset[str], perm: str) -> bool:
    return bool(roles & actor.roles) and actor.can(perm)


def has_queue(actor: Actor) -> bool:
    """Whether any tile or panel is meant for this actor's roles (else the home is the region
    page, as for the roles whose apps come later)."""
    entries: list[Tile | Panel] = [*_TILES.values(), *_PANELS.values()]
    return any(_for(actor, e.roles, e.perm) for e in entries)


def items_for(actor: Actor) -> list[WorkItem]:
    out: list[WorkItem] = []
    for tile in sorted(_TILES.values(), key=lambda t: t.order):
        if _for(actor, tile.roles, tile.perm):
            out.extend(i for i in tile.items(actor) if i.due)
    return out


def panels_for(actor: Actor) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        if _for(actor, panel.roles, panel.perm):
            ctx = panel.context(actor)
            if ctx is not None:
                out.append((panel.template, ctx))
    return out
