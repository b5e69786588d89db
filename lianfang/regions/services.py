"""Writes on the region tree: create, rename, move a building, deactivate, load an official list."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.regions.codes import child_level, code_error, level_for_code
from lianfang.regions.models import Level, Region
from lianfang.regions.permissions import MANAGE_REGIONS

# Anning District's sub-districts and communities (sources in data/README.md).
ANNING_REGION_LIST = Path(__file__).parent / "data" / "anning_620105.csv"

# Every column that stores a region code and must follow a building when it moves. Apps add
# theirs in AppConfig.ready via register_region_code_column.
_REGION_CODE_COLUMNS: list[tuple[str, str]] = [
    ("accounts.Membership", "region_code"),
    ("accounts.User", "region_code"),
]


def register_region_code_column(model_label: str, field_name: str) -> None:
    if (model_label, field_name) not in _REGION_CODE_COLUMNS:
        _REGION_CODE_COLUMNS.append((model_label, field_name))


def _require(actor: Actor, code: str) -> None:
    if not actor.can(MANAGE_REGIONS, code):
        raise PermissionDeniedError("forbidden", _("您无权管理该区域。"))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name_required", _("请填写名称。"), {"name": [_("请填写名称。")]})
    if len(name) > 100:
        raise InvalidInput(
            "name_too_long", _("名称最多 100 个字符。"), {"name": [_("名称最多 100 个字符。")]}
        )
    return name


@transaction.atomic
def create_region(*, actor: Actor, parent_code: str, code: str, name: str) -> Region:
    parent = Region.objects.filter(code=parent_code, is_active=True).first()
    if parent is None:
        msg = _("上级区域不存在或已停用。")
        raise InvalidInput("unknown_parent", msg, {"parent_code": [msg]})
    _require(actor, parent.code)
    code = (code or "").strip()
    err = code_error(code, parent.code)
    if err:
        raise InvalidInput("invalid_code", err, {"code": [err]})
    name = _clean_name(name)
    if Region.objects.filter(code=code).exists():
        msg = _("区划代码 %(code)s 已存在。") % {"code": code}
        raise Conflict("code_exists", msg, {"code": [msg]})
    level = child_level(parent.level)
    if level is None:
        raise InvalidInput("no_child_level", _("楼栋下不能再建下级区域。"))
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


@transaction.atomic
def rename_region(*, actor: Actor, region: Region, name: str) -> Region:
    _require(actor, region.code)
    region.name = _clean_name(name)
    region.save(update_fields=["name", "updated_at"])
    return region


def next_free_code(parent: Region) -> str:
    used = set(Region.objects.filter(parent=parent).values_list("code", flat=True))
    for n in range(1, 1000):
        code = f"{parent.code}{n:03d}"
        if code not in used:
            return code
    raise Conflict("parent_full", _("该上级区域下的代码已用完。"))


@transaction.atomic
def move_building(*, actor: Actor, building: Region, community_code: str) -> Region:
    """Move a building to another community. Its code becomes the new community's code plus a
    free 3-digit suffix; every region-code column pointing at it follows."""
    if building.level != Level.BUILDING:
        raise InvalidInput("not_a_building", _("只能移动楼栋。"))
    _require(actor, building.code)
    target = Region.objects.filter(code=community_code, is_active=True).first()
    if target is None or target.level != Level.COMMUNITY:
        msg = _("目标社区不存在或已停用。")
        raise InvalidInput("unknown_community", msg, {"community_code": [msg]})
    _require(actor, target.code)
    if target.pk == building.parent_id:
        msg = _("楼栋已在该社区。")
        raise InvalidInput("same_community", msg, {"community_code": [msg]})
    old_code, new_code = building.code, next_free_code(target)
    building.code = new_code
    building.parent = target
    building.save(update_fields=["code", "parent", "updated_at"])
    for label, column in _REGION_CODE_COLUMNS:
        apps.get_model(label).objects.filter(**{column: old_code}).update(**{column: new_code})
    return building


@transaction.atomic
def set_region_active(*, actor: Actor, region: Region, active: bool) -> Region:
    _require(actor, region.code)
    if not active and region.children.filter(is_active=True).exists():
        raise InvalidInput("has_active_children", _("请先停用全部下级区域。"))
    if active and region.parent is not None and not region.parent.is_active:
        raise InvalidInput("parent_inactive", _("上级区域已停用，不能启用。"))
    region.is_active = active
    region.save(update_fields=["is_active", "updated_at"])
    return region


# --- loading an official list -------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, old, new
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # line number, message

    @property
    def ok(self) -> bool:
        return not self.errors


SUFFIXES = ("居民委员会", "居委会", "委会")


def _normalise_name(name: str) -> str:
    name = name.strip()
    for suffix in SUFFIXES:
        if name.endswith("社区" + suffix):
            return name[: -len(suffix)]
    return name


def load_rows(rows: Iterable[tuple[int, dict[str, str]]]) -> LoadReport:
    """Load ``(line number, row)`` pairs with keys code, name and parent_code or level. Good rows
    load (in one transaction); bad rows are reported with their line numbers."""
    report = LoadReport()
    parsed: list[tuple[int, str, str, str | None]] = []
    for line, row in rows:
        code = (row.get("code") or "").strip()
        name = _normalise_name(row.get("name") or "")
        parent_code = (row.get("parent_code") or "").strip() or None
        level = (row.get("level") or "").strip()
        if not code:
            report.errors.append((line, _("缺少区划代码。")))
            continue
        if not name:
            report.errors.append((line, _("缺少名称。")))
            continue
        inferred = level_for_code(code)
        if inferred is None:
            report.errors.append((line, _("区划代码格式错误：%(code)s") % {"code": code}))
            continue
        if level and level != inferred.value:
            msg = _("层级 %(level)s 与代码长度不符。") % {"level": level}
            report.errors.append((line, msg))
            continue
        if parent_code is None and len(code) > 6:
            parent_code = code[:-3]
        parsed.append((line, code, name, parent_code))
    parsed.sort(key=lambda r: (len(r[1]), r[0]))
    seen: dict[str, int] = {}
    with transaction.atomic():
        for line, code, name, parent_code in parsed:
            if code in seen:
                msg = _("区划代码 %(code)s 与第 %(line)s 行重复。") % {
                    "code": code,
                    "line": seen[code],
                }
                report.errors.append((line, msg))
                continue
            err = code_error(code, parent_code)
            if err:
                report.errors.append((line, err))
                continue
            parent = Region.objects.filter(code=parent_code).first() if parent_code else None
            if parent_code and parent is None:
                report.errors.append(
                    (line, _("上级区域 %(code)s 不存在。") % {"code": parent_code})
                )
                continue
            seen[code] = line
            existing = Region.objects.filter(code=code).first()
            if existing is None:
                new_level = level_for_code(code)
                assert new_level is not None
                Region.objects.create(code=code, name=name, level=new_level, parent=parent)
                report.created.append(code)
            elif existing.name != name:
                report.renamed.append((code, existing.name, name))
                existing.name = name
                existing.save(update_fields=["name", "updated_at"])
            else:
                report.unchanged += 1
    report.errors.sort()
    return report


def load_csv(path: Path | str) -> LoadReport:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "name"} - set(reader.fieldnames or [])
        if missing:
            report = LoadReport()
            report.errors.append((1, _("缺少列：%(cols)s") % {"cols": ", ".join(sorted(missing))}))
            return report
        return load_rows((i, row) for i, row in enumerate(reader, start=2))
