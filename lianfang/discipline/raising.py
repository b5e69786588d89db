"""Clues the system raises from its records (``core/cluerules.py``): every rule is evaluated
once per day since it last ran (a scheduler down for a day catches up, each day once, at most
``CATCH_UP_DAYS`` back), over the window ending that day, with the threshold in force on it.
A finding becomes one clue per rule, subject and newest record (``Clue.rule_key`` is
unique), so running twice, or two runs at once, files it once; while a subject has an open clue
of the rule, newer records go onto that clue's timeline instead of a second clue. The clue's
facts say which records it read and that it is a prompt to look, not a finding of fault."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import cluerules
from lianfang.discipline import selectors, services, workflow
from lianfang.discipline.models import Clue, RuleRun, RuleSetting, Source

CATCH_UP_DAYS = 14


def setting_on(rule: cluerules.ClueRule, day: date) -> tuple[int, int, bool]:
    """(threshold, window days, active) in force on ``day``."""
    row = (
        RuleSetting.objects.filter(rule_key=rule.key, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return rule.threshold, rule.window_days, True
    return row.threshold, row.window_days, row.is_active


def _office_for(unit_code: str) -> str:
    """The nearest discipline office with members above the unit: its sub-district's (街道纪工委)
    when staffed, else the district's."""
    from lianfang.accounts import selectors as accounts

    if len(unit_code) >= 9 and accounts.office_members(unit_code[:9], services.OFFICE_ROLES):
        return unit_code[:9]
    return unit_code[:6]


def _file(rule: cluerules.ClueRule, finding: cluerules.Finding, day: date, now: datetime) -> bool:
    subject = f"{rule.key}:{finding.key}:"
    rule_key = f"{subject}{finding.latest:%Y%m%d}"
    if Clue.objects.filter(rule_key=rule_key).exists():
        return False
    still_open = (
        Clue.objects.filter(rule_key__startswith=subject, state__in=workflow.OPEN)
        .order_by("-received_at")
        .first()
    )
    if still_open is not None:
        _note_newer(still_open, rule_key, finding, now)
        return False
    kinds = selectors.kinds_in_force(day)
    kind = kinds.get(rule.kind_code) or kinds["other"]
    office = _office_for(finding.unit_code)
    region_code, conflict = services.handling_office(office, finding.subject_user_id)
    lines = "\n".join(f"· {r}" for r in finding.records)
    facts = (
        f"{finding.facts}\n{_('依据的记录：')}\n{lines}\n"
        f"{_('（系统根据记录提示，供核实，不是结论。）')}"
    )
    try:
        with transaction.atomic():
            clue = services.new_clue(
                kind=kind,
                source=Source.SYSTEM,
                region_code=region_code,
                facts=facts,
                reporter=("", ""),
                at=now,
                actor=None,
                rule_key=rule_key,
                subject_name=finding.subject_name,
                subject_post=finding.subject_post,
                subject_unit=finding.subject_unit,
                subject_user_id=finding.subject_user_id,
                transfer_reason=str(rule.label),
            )
            if conflict:
                services.note_event(clue, conflict, now)
    except IntegrityError:
        return False  # filed by a run at the same moment
    return True


def _note_newer(clue: Clue, rule_key: str, finding: cluerules.Finding, now: datetime) -> None:
    """Newer records of an open clue's subject, noted on it once (the newest record's day is
    kept on the clue's key, so the same records are never noted twice)."""
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        if locked.rule_key >= rule_key:
            return
        note = _("系统再次发现：") + finding.facts + "\n" + "\n".join(finding.records)
        Clue.objects.filter(pk=clue.pk).update(rule_key=rule_key)
        services.note_event(locked, note, now)


def clues_raise(now: datetime | None = None, since: date | None = None) -> dict[str, int]:
    """Evaluate every rule for each day not yet evaluated (or from ``since``: a backfill), up to
    yesterday. Returns the clues filed per rule."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - timedelta(days=1)
    filed: dict[str, int] = {}
    for rule in cluerules.all_rules():
        run = RuleRun.objects.filter(rule_key=rule.key).first()
        first_day = since or max(
            (run.last_day + timedelta(days=1)) if run else yesterday,
            yesterday - timedelta(days=CATCH_UP_DAYS - 1),
        )
        made = 0
        day = first_day
        while day <= yesterday:
            threshold, window, active = setting_on(rule, day)
            if active:
                for finding in rule.find(day - timedelta(days=window - 1), day, threshold):
                    made += _file(rule, finding, day, now)
            day += timedelta(days=1)
        if first_day <= yesterday:
            RuleRun.objects.update_or_create(rule_key=rule.key, defaults={"last_day": yesterday})
        filed[rule.key] = made
    return filed


def rules_overview() -> list[dict[str, Any]]:
    """Each rule with its setting in force today and the versions (the settings page)."""
    today = timezone.localdate()
    out = []
    for rule in cluerules.all_rules():
        threshold, window, active = setting_on(rule, today)
        out.append(
            {
                "rule": rule,
                "threshold": threshold,
                "window_days": window,
                "active": active,
                "versions": list(RuleSetting.objects.filter(rule_key=rule.key)),
                "clues": Clue.objects.filter(rule_key__startswith=f"{rule.key}:").count(),
            }
        )
    return out


@transaction.atomic
def rule_setting_add(*, actor: Any, data: dict[str, Any]) -> RuleSetting:
    """A new version of a rule's threshold from a date (today or later: the past stays as it
    was decided). Only the office's leader on the district sets them."""
    from django.utils.dateparse import parse_date

    from lianfang.core.errors import InvalidInput, PermissionDeniedError
    from lianfang.discipline.permissions import APPROVE

    if not actor.can(APPROVE) or not any(len(p) <= 6 for p in actor.prefixes(APPROVE)):
        raise PermissionDeniedError("forbidden", _("只有区纪委监委负责人可以调整规则阈值。"))
    errors: dict[str, list[str]] = {}
    rule = cluerules.get(str(data.get("rule_key") or ""))
    if rule is None:
        errors["rule_key"] = [_("请选择规则。")]
    numbers: dict[str, int] = {}
    for name, low, high in (("threshold", 1, 100000), ("window_days", 1, 90)):
        try:
            numbers[name] = int(str(data.get(name) or ""))
            if not low <= numbers[name] <= high:
                raise ValueError
        except ValueError:
            errors[name] = [_("请填写 %(a)s 到 %(b)s 之间的整数。") % {"a": low, "b": high}]
    raw = data.get("effective_from")
    day = raw if isinstance(raw, date) else parse_date(str(raw or ""))
    if day is None:
        errors["effective_from"] = [_("请填写生效日期。")]
    elif day < timezone.localdate():
        errors["effective_from"] = [_("生效日期不能早于今天。")]
    if rule and day and RuleSetting.objects.filter(rule_key=rule.key, effective_from=day).exists():
        errors["effective_from"] = [_("该规则在这一天已有一个版本。")]
    if errors:
        raise InvalidInput("invalid_setting", _("请检查标出的项目。"), errors)
    assert rule is not None and day is not None
    return RuleSetting.objects.create(
        rule_key=rule.key,
        threshold=numbers["threshold"],
        window_days=numbers["window_days"],
        is_active=bool(data.get("is_active")),
        effective_from=day,
        created_by_id=actor.user_id,
    )
