"""Navigation entries, registered by each app in its AppConfig.ready and shown by permission, so
the menu needs no app to know the others."""

from __future__ import annotations

from dataclasses import dataclass

from lianfang.core.permissions import check_known
from lianfang.core.scoping import Actor


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str  # a lazy translation
    perm: str
    order: int


_ITEMS: dict[str, NavItem] = {}


def register(url_name: str, label: object, perm: str, order: int) -> None:
    check_known(perm)
    _ITEMS[url_name] = NavItem(url_name, label, perm, order)  # type: ignore[arg-type]


def items_for(actor: Actor) -> list[tuple[str, object]]:
    return [
        (i.url_name, i.label)
        for i in sorted(_ITEMS.values(), key=lambda i: i.order)
        if actor.can(i.perm)
    ]


@dataclass(frozen=True)
class ObjectAction:
    url_name: str  # reversed with the object's primary key
    label: str
    perm: str
    order: int


_ACTIONS: dict[str, dict[str, ObjectAction]] = {}


def register_action(slot: str, url_name: str, label: object, perm: str, order: int = 50) -> None:
    """An action a later app offers on another app's page (e.g. monitoring's "start observation"
    on the registry's person page), so the earlier app needs no import of the later one."""
    check_known(perm)
    _ACTIONS.setdefault(slot, {})[url_name] = ObjectAction(url_name, label, perm, order)  # type: ignore[arg-type]


def actions_for(actor: Actor, slot: str, region_code: str) -> list[tuple[str, object]]:
    return [
        (a.url_name, a.label)
        for a in sorted(_ACTIONS.get(slot, {}).values(), key=lambda a: a.order)
        if actor.can(a.perm, region_code)
    ]
