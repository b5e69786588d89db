"""Centralised observation sites with their rooms, and the fever clinic list (admin)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.monitoring.models import Hospital, Room, Site
from lianfang.monitoring.permissions import CONFIGURE
from lianfang.regions.models import Region


def parse_rooms(text: str) -> list[tuple[str, int]]:
    """``201, 202*2, 203`` → [("201", 1), ("202", 2), ("203", 1)]."""
    rooms: list[tuple[str, int]] = []
    seen: set[str] = set()
    for part in re.split(r"[,，;；\s]+", (text or "").strip()):
        if not part:
            continue
        number, _sep, beds = part.partition("*")
        if not re.fullmatch(r"[A-Za-z0-9-]{1,20}", number) or (beds and not beds.isdigit()):
            msg = _("房间格式不对：%(p)s（如 201 或 202*2）。") % {"p": part[:20]}
            raise InvalidInput("room_format", msg, {"rooms": [msg]})
        count = int(beds) if beds else 1
        if not 1 <= count <= 8 or number in seen:
            msg = _("房间 %(n)s 重复或床位数不在 1–8 之间。") % {"n": number}
            raise InvalidInput("room_format", msg, {"rooms": [msg]})
        seen.add(number)
        rooms.append((number, count))
    return rooms


@transaction.atomic
def site_create(*, actor: Actor, name: str, region_code: str, address: str, rooms: str) -> Site:
    if not actor.can(CONFIGURE, region_code):
        raise PermissionDeniedError("forbidden", _("您无权设置该区域的隔离点。"))
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name_required", _("请填写名称。"), {"name": [_("请填写名称。")]})
    region = Region.objects.filter(code=region_code, is_active=True).first()
    if region is None:
        msg = _("找不到该区域。")
        raise InvalidInput("region_unknown", msg, {"region_code": [msg]})
    parsed = parse_rooms(rooms)
    site = Site.objects.create(
        name=name[:100], region=region, region_code=region.code, address=(address or "")[:200]
    )
    Room.objects.bulk_create([Room(site=site, number=n, beds=b) for n, b in parsed])
    return site


@transaction.atomic
def site_rooms_add(*, actor: Actor, site: Site, rooms: str) -> int:
    if not actor.can(CONFIGURE, site.region_code):
        raise PermissionDeniedError("forbidden", _("您无权设置该隔离点。"))
    parsed = parse_rooms(rooms)
    existing = set(site.rooms.values_list("number", flat=True))
    clash = [n for n, _b in parsed if n in existing]
    if clash:
        msg = _("房间已存在：%(r)s。") % {"r": "、".join(clash[:5])}
        raise InvalidInput("room_exists", msg, {"rooms": [msg]})
    Room.objects.bulk_create([Room(site=site, number=n, beds=b) for n, b in parsed])
    return len(parsed)


@transaction.atomic
def hospital_create(*, actor: Actor, name: str, address: str = "", phone: str = "") -> Hospital:
    if not actor.can(CONFIGURE):
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以维护发热门诊名单。"))
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name_required", _("请填写名称。"), {"name": [_("请填写名称。")]})
    if Hospital.objects.filter(name=name).exists():
        msg = _("已有同名的发热门诊。")
        raise InvalidInput("hospital_exists", msg, {"name": [msg]})
    return Hospital.objects.create(
        name=name[:100], address=(address or "")[:200], phone=(phone or "")[:30]
    )


@transaction.atomic
def hospital_set_active(*, actor: Actor, hospital: Hospital, active: bool) -> Hospital:
    if not actor.can(CONFIGURE):
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以维护发热门诊名单。"))
    hospital.is_active = active
    hospital.save(update_fields=["is_active"])
    return hospital
