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
