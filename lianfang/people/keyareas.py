"""The dated key-area list (重点地区): add an area from a date, end it on a date. Rows are never
rewritten otherwise, so every past registration's category can be explained by the list of its
day."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianfang.core import divisions
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.people.models import KeyArea
from lianfang.people.permissions import MANAGE_KEY_AREAS


def visible(actor: Actor) -> QuerySet[KeyArea]:
    return KeyArea.objects.visible_to(actor, MANAGE_KEY_AREAS).order_by("-valid_from", "code")


@transaction.atomic
def add(
    *, actor: Actor, code: str, valid_from: date, valid_to: date | None, note: str = ""
) -> KeyArea:
    prefixes = actor.prefixes(MANAGE_KEY_AREAS)
    if not prefixes:
        raise PermissionDeniedError("forbidden", _("您无权维护重点地区名单。"))
    errors: dict[str, list[str]] = {}
    normal = divisions.normalise(code)
    if normal is None:
        errors["code"] = [_("区划代码未知。")]
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("截止日期不能早于起始日期。")]
    if errors:
        raise InvalidInput("invalid_key_area", _("请检查填写内容。"), errors)
    assert normal is not None
    return KeyArea.objects.create(
        code=normal,
        name=divisions.name_of(normal),
        valid_from=valid_from,
        valid_to=valid_to,
        note=(note or "")[:200],
        region_code=prefixes[0],
    )


@transaction.atomic
def end(*, actor: Actor, area: KeyArea, on: date) -> KeyArea:
    if not actor.can(MANAGE_KEY_AREAS, area.region_code):
        raise PermissionDeniedError("forbidden", _("您无权维护重点地区名单。"))
    if on < area.valid_from:
        raise InvalidInput(
            "invalid_end",
            _("截止日期不能早于起始日期。"),
            {"valid_to": [_("截止日期不能早于起始日期。")]},
        )
    area.valid_to = on
    area.save(update_fields=["valid_to"])
    return area
