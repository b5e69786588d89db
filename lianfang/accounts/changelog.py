"""The change log (django-auditlog ``LogEntry``) as the privacy auditor reads it: who (by full
name) did what to which record when (local time, to the second), each field by its Chinese label
with its old and new value in words — choices by their label, users by name, empty as 空, masked
values as stored. Also the mask the registrations use, so that only personal data is masked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.core.identity import mask_phone

# Labels of the generic columns that models leave without a verbose_name.
FIELD_LABELS: dict[str, Any] = {
    "acknowledged_at": gettext_lazy("知悉时间"),
    "acknowledged_by": gettext_lazy("知悉人"),
    "assigned_at": gettext_lazy("分派时间"),
    "assigned_by": gettext_lazy("分派人"),
    "assignee": gettext_lazy("负责人"),
    "building": gettext_lazy("楼栋"),
    "checkin_expires_at": gettext_lazy("自报链接有效期"),
    "checkpoint": gettext_lazy("卡口"),
    "closed_at": gettext_lazy("关闭时间"),
    "closed_by": gettext_lazy("关闭人"),
    "created_at": gettext_lazy("创建时间"),
    "created_by": gettext_lazy("创建人"),
    "decided_at": gettext_lazy("审批时间"),
    "decided_by": gettext_lazy("审批人"),
    "ended_at": gettext_lazy("结束时间"),
    "escalated_at": gettext_lazy("升级时间"),
    "generated_by": gettext_lazy("生成人"),
    "health_check": gettext_lazy("体温记录"),
    "hospital": gettext_lazy("发热门诊"),
    "household": gettext_lazy("户"),
    "merged_into": gettext_lazy("合并到"),
    "observation": gettext_lazy("观察对象"),
    "occupant": gettext_lazy("车上人员"),
    "opened_by": gettext_lazy("接班人"),
    "outcome_at": gettext_lazy("结果登记时间"),
    "outcome_by": gettext_lazy("结果登记人"),
    "person": gettext_lazy("人员"),
    "policy": gettext_lazy("政策"),
    "quarantine": gettext_lazy("医学观察"),
    "region": gettext_lazy("区域"),
    "region_code": gettext_lazy("区划代码"),
    "registered_at": gettext_lazy("登记时间"),
    "registered_by": gettext_lazy("登记人"),
    "registration": gettext_lazy("排查登记"),
    "reminded_at": gettext_lazy("提醒时间"),
    "report": gettext_lazy("报告"),
    "requested_at": gettext_lazy("报备时间"),
    "requested_by": gettext_lazy("报备人"),
    "resolved_by": gettext_lazy("办结人"),
    "reviewed_by": gettext_lazy("审核人"),
    "risk_computed": gettext_lazy("计算风险类别"),
    "risk_overridden_by": gettext_lazy("调整人"),
    "risk_override_reason": gettext_lazy("调整理由"),
    "room": gettext_lazy("房间"),
    "sent_at": gettext_lazy("转诊时间"),
    "sent_by": gettext_lazy("转诊人"),
    "site": gettext_lazy("集中隔离点"),
    "slot_date": gettext_lazy("测温日期"),
    "slot_index": gettext_lazy("时段"),
    "started_at": gettext_lazy("开始时间"),
    "status": gettext_lazy("状态"),
    "subject_code": gettext_lazy("督办对象"),
    "submitted_by": gettext_lazy("报送人"),
    "sweep": gettext_lazy("排查"),
    "updated_at": gettext_lazy("更新时间"),
    "user": gettext_lazy("用户"),
}
# Internal keys nobody reads (row ids, search keys): left out of the log's display.
HIDDEN = frozenset(
    {"id", "public_id", "name_birth_key", "name_initials", "name_pinyin", "import_key"}
)
EMPTY = ("", "None", "**ne", "[]", "{}")  # "**ne": "None" masked by auditlog's default mask
ACTIONS = {
    0: gettext_lazy("新建"),
    1: gettext_lazy("修改"),
    2: gettext_lazy("删除"),
    3: gettext_lazy("查看"),
}
_PHONE = re.compile(r"\+?[0-9][0-9 -]{6,}")


def mask(value: str) -> str:
    """auditlog's mask for personal columns: empty stays empty (not "**ne"), a value already
    masked stays as it is, a phone keeps its first three and last four digits, anything else is
    only said to be masked."""
    value = str(value)
    if value in ("", "None"):
        return ""
    if "*" in value:
        return value
    if _PHONE.fullmatch(value):
        return mask_phone(value)
    return _("（已脱敏）")


def label_of(model: type[models.Model] | None, name: str) -> str:
    if model is not None:
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:
            f = None
        verbose = getattr(f, "verbose_name", None)
        if verbose is not None and str(verbose) != name.replace("_", " "):
            return str(verbose)
    return str(FIELD_LABELS.get(name, name))


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime
    who: str
    action: str
    what: str
    changes: list[Change] = field(default_factory=list)
    remote_addr: str = ""
    pk: int = 0
    kind: int = 0  # LogEntry.Action: 0 create, 1 update, 2 delete, 3 access


class _Values:
    """Values in words; related records looked up once per page."""

    def __init__(self) -> None:
        self._related: dict[tuple[Any, str], str] = {}

    def prefetch(self, pairs: list[tuple[type[models.Model] | None, dict[str, Any]]]) -> None:
        """Look up every related record the page names with one query per model (not one per
        record): ``pairs`` are each entry's model and changes."""
        wanted: dict[Any, set[str]] = {}
        for model, changes in pairs:
            for name, pair in changes.items():
                f = _field(model, name)
                if f is None or f.choices or not _is_reference(f):
                    continue
                for raw in pair if isinstance(pair, list | tuple) else ():
                    text = "" if raw is None else str(raw)
                    if text not in EMPTY:
                        wanted.setdefault(f.related_model, set()).add(text)
        for related, pks in wanted.items():
            try:
                found = {str(o.pk): o for o in related._default_manager.filter(pk__in=pks)}
            except (ValueError, ValidationError):  # a value that is no key: looked up one by one
                continue
            for pk in pks:
                self._related[(related, pk)] = self._name(found.get(pk))

    @staticmethod
    def _name(obj: Any) -> str:
        return _("（已删除）") if obj is None else str(getattr(obj, "full_name", "") or obj)

    def show(self, model: type[models.Model] | None, name: str, raw: Any) -> str:
        text = "" if raw is None else str(raw)
        if text in EMPTY:
            return _("空")
        f = _field(model, name)
        if f is None:
            return text
        if f.choices:
            return str(dict(f.flatchoices).get(text, dict(f.flatchoices).get(raw, text)))
        if isinstance(f, models.BooleanField):
            return _("是") if text in ("True", "true", "1") else _("否")
        if isinstance(f, models.DateTimeField):
            try:
                when = datetime.fromisoformat(text)  # auditlog stores str(value)
            except ValueError:
                return text
            if timezone.is_naive(when):
                when = when.replace(tzinfo=UTC)  # auditlog stores instants in UTC
            return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")
        if _is_reference(f):
            return self._name_of(f.related_model, text)
        return text

    def _name_of(self, model: Any, pk: str) -> str:
        key = (model, pk)
        if key not in self._related:
            obj = model._default_manager.filter(pk=pk).first() if pk else None
            self._related[key] = self._name(obj)
        return self._related[key]


def _is_reference(f: Any) -> bool:
    return bool(f.is_relation and f.related_model is not None and not f.many_to_many)


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return f if isinstance(f, models.Field) else None  # not a reverse relation


def _shown(model: type[models.Model] | None, name: str) -> bool:
    """Columns only: not the internal keys, nor many-to-many managers (auditlog writes
    "accounts.Membership.None" for them on a new row)."""
    if name in HIDDEN:
        return False
    try:
        f = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return True
    return f is None or (isinstance(f, models.Field) and not f.many_to_many)


def present(entries: list[Any]) -> list[Entry]:
    """The page's entries as the auditor reads them."""
    values = _Values()
    models_of = [e.content_type.model_class() if e.content_type_id else None for e in entries]
    values.prefetch([(m, e.changes_dict or {}) for m, e in zip(models_of, entries, strict=True)])
    out = []
    for e, model in zip(entries, models_of, strict=True):
        kind = str(model._meta.verbose_name) if model is not None else str(e.content_type)
        who = (e.actor.full_name or e.actor.username) if e.actor_id else _("系统")
        changes = [
            Change(
                label_of(model, name),
                values.show(model, name, pair[0]) if len(pair) > 0 else "",
                values.show(model, name, pair[1]) if len(pair) > 1 else "",
            )
            for name, pair in (e.changes_dict or {}).items()
            if _shown(model, name) and isinstance(pair, list | tuple)
        ]
        out.append(
            Entry(
                at=timezone.localtime(e.timestamp),
                who=who,
                action=str(ACTIONS.get(e.action, e.get_action_display())),
                what=f"{kind}「{e.object_repr}」",
                changes=changes,
                remote_addr=e.remote_addr or "",
                pk=e.pk,
                kind=e.action,
            )
        )
    return out
