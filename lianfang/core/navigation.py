"""Navigation entries, registered by each app in its AppConfig.ready and shown by permission, so
the menu needs no app to know the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lianfang.core.permissions import check_known
from lianfang.core.scoping import Actor

if TYPE_CHECKING:  # django-stubs' helper is a development dependency
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: StrOrPromise  # a lazy translation
    perm: str
    order: int


_ITEMS: dict[str, NavItem] = {}


def register(url_name: str, label: StrOrPromise, perm: str, order: int) -> None:
    check_known(perm)
    _ITEMS[url_name] = NavItem(url_name, label, perm, order)


def items_for(actor: Actor) -> list[tuple[str, object]]:
    return [
        (i.url_name, i.label)
        for i in sorted(_ITEMS.values(), key=lambda i: i.order)
        if actor.can(i.perm)
    ]


@dataclass(frozen=True)
class ObjectAction:
    url_name: str  # reversed with the object's primary key
    label: StrOrPromise
    perm: str
    order: int


_ACTIONS: dict[str, dict[str, ObjectAction]] = {}


def register_action(
    slot: str, url_name: str, label: StrOrPromise, perm: str, order: int = 50
) -> None:
    """An action a later app offers on another app's page (e.g. monitoring's "start observation"
    on the registry's person page), so the earlier app needs no import of the later one."""
    check_known(perm)
    _ACTIONS.setdefault(slot, {})[url_name] = ObjectAction(url_name, label, perm, order)


def actions_for(actor: Actor, slot: str, region_code: str) -> list[tuple[str, object]]:
    return [
        (a.url_name, a.label)
        for a in sorted(_ACTIONS.get(slot, {}).values(), key=lambda a: a.order)
        if actor.can(a.perm, region_code)
    ]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Actor, Any], dict[str, Any] | None]  # None: nothing to show
    perm: str
    order: int


_PANELS: dict[str, dict[str, Panel]] = {}


def register_panel(
    slot: str,
    template: str,
    context: Callable[[Actor, Any], dict[str, Any] | None],
    perm: str,
    order: int = 50,
) -> None:
    """A section a later app shows on another app's page (e.g. monitoring's observations and
    referrals on the registry's person page); ``context`` reads from the actor's scope."""
    check_known(perm)
    _PANELS.setdefault(slot, {})[template] = Panel(template, context, perm, order)


def panels_for(actor: Actor, slot: str, obj: Any) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for panel in sorted(_PANELS.get(slot, {}).values(), key=lambda p: p.order):
        if actor.can(panel.perm, obj.region_code):
            context = panel.context(actor, obj)
            if context:
                out.append((panel.template, context))
    return out


# Regions sit below accounts (ADR 0001), yet the region pages show who works in a region:
# accounts answers these two questions through hooks it registers at start.
StaffOf = Callable[[Actor, Any], list[Any]]
GridWorkersBelow = Callable[[Actor, str, "int | None"], dict[str, int]]
_region_people: dict[str, Any] = {}


def register_region_people(*, staff: StaffOf, grid_workers: GridWorkersBelow) -> None:
    """``staff(actor, region)``: who is posted to the region itself, visible to the actor.
    ``grid_workers(actor, code, width)``: distinct grid workers below ``code``, keyed by the
    first ``width`` digits of their region code (``width=None``: one total under the key "")."""
    _region_people.update(staff=staff, grid_workers=grid_workers)


def region_staff(actor: Actor, region: Any) -> list[Any]:
    staff = _region_people.get("staff")
    return staff(actor, region) if staff else []


def grid_workers_below(actor: Actor, code: str, width: int | None) -> dict[str, int]:
    count = _region_people.get("grid_workers")
    return count(actor, code, width) if count else {}
