"""Writes on a case (立案审查调查): opening it on a verified clue, its investigation steps, the
decision proposed by one officer and approved by a leader (never the proposer), which concludes
the clue. Each write locks the clue, checks ``workflow.case_target`` (409 out of order) and leaves
an event on the clue's timeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lianfang.core import sql
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.discipline import secrecy, selectors, workflow
from lianfang.discipline.models import (
    Case,
    CaseStep,
    Clue,
    ClueEvent,
    NumberSequence,
    Responsibility,
    StepKind,
)
from lianfang.discipline.permissions import APPROVE, HANDLE

CASE_DAYS = 90  # 审查调查期限 (监督执纪工作规则: 一般不超过九十日)


def _forbidden() -> PermissionDeniedError:
    return PermissionDeniedError("forbidden", _("您无权办理该案件。"))


def _event(clue: Clue, action: str, actor: Actor, note: str, now: datetime) -> None:
    ClueEvent.objects.create(
        clue=clue,
        region_code=clue.region_code,
        action=action,
        from_state=clue.state,
        to_state=clue.state,
        actor_id=actor.user_id,
        at=now,
        note_enc=secrecy.seal(note, secrecy.NOTE),
    )


def case_open(clue: Clue, actor: Actor, now: datetime) -> Case:
    """Called inside the clue's ``open_case`` step (its transaction, its lock)."""
    year = timezone.localdate(now).year
    n = sql.increment(NumberSequence, {"region_code": f"L{clue.region_code}", "year": year}, "last")
    return Case.objects.create(
        clue=clue,
        number=f"{year}-{clue.region_code}-L{n:03d}",
        region_code=clue.region_code,
        opened_at=now,
        opened_by_id=actor.staff_id,
        due_on=timezone.localdate(now) + timedelta(days=CASE_DAYS),
    )


def _locked_case(clue: Clue) -> tuple[Clue, Case]:
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    try:
        case = Case.objects.select_for_update().get(clue=clue)
    except Case.DoesNotExist as exc:
        raise InvalidInput("no_case", _("该线索尚未立案。")) from exc
    return clue, case


def _day(value: Any, field: str, errors: dict[str, list[str]], today: date) -> date | None:
    day = value if isinstance(value, date) else parse_date(str(value or "").strip())
    if day is None:
        errors[field] = [_("请填写日期（年-月-日）。")]
    elif day > today:
        errors[field] = [_("日期不能晚于今天。")]
    return day


def _text(value: Any, limit: int = 2000) -> str:
    return str(value or "").strip()[:limit]


@transaction.atomic
def case_step_add(
    *, actor: Actor, clue: Clue, data: dict[str, Any], now: datetime | None = None
) -> CaseStep:
    """One investigation step (谈话, 询问, 调取资料 …) with its document and what it found."""
    clue, case = _locked_case(clue)
    if not actor.can(HANDLE, clue.region_code):
        raise _forbidden()
    workflow.case_target("case_step", case.state)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "")
    if kind not in StepKind.values:
        errors["kind"] = [_("请选择审查调查措施。")]
    on = _day(data.get("on"), "on", errors, timezone.localdate(now))
    if on is not None and "on" not in errors and on < timezone.localdate(case.opened_at):
        errors["on"] = [_("日期不能早于立案日期。")]
    note = _text(data.get("note"))
    if not note:
        errors["note"] = [_("请写明措施的情况和结果。")]
    if errors:
        raise InvalidInput("invalid_step", _("请检查标出的项目。"), errors)
    assert on is not None
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        on=on,
        document=_text(data.get("document"), 120),
        note_enc=secrecy.seal(note, secrecy.NOTE),
        actor_id=actor.staff_id,
        at=now,
    )
    label = str(StepKind(kind).label)
    _event(clue, "case_step", actor, f"{on:%Y-%m-%d} {label}：{note}", now)
    return step


@transaction.atomic
def case_decide(
    *, actor: Actor, clue: Clue, data: dict[str, Any], now: datetime | None = None
) -> Case:
    """提出处理意见: the finding, the sanction (from the list in force on the decision's date),
    the level of responsibility and the deciding body; a leader approves it."""
    clue, case = _locked_case(clue)
    if not actor.can(HANDLE, clue.region_code):
        raise _forbidden()
    workflow.case_target("decide", case.state)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    decided_on = _day(data.get("decided_on"), "decided_on", errors, timezone.localdate(now))
    sanctions = selectors.sanctions_in_force(decided_on or timezone.localdate(now))
    sanction = sanctions.get(str(data.get("sanction") or ""))
    if sanction is None:
        errors["sanction"] = [_("请选择处理处分种类。")]
    responsibility = str(data.get("responsibility") or "")
    if responsibility not in Responsibility.values:
        errors["responsibility"] = [_("请选择责任类型。")]
    finding = _text(data.get("finding"), 3000)
    if not finding:
        errors["finding"] = [_("请写明查明的事实（时间、经过）。")]
    body = _text(data.get("deciding_body"), 60)
    if not body:
        errors["deciding_body"] = [_("请写明决定机关。")]
    if errors:
        raise InvalidInput("invalid_decision", _("请检查标出的项目。"), errors)
    assert sanction is not None
    case.state = workflow.case_target("decide", case.state)
    case.sanction = sanction
    case.responsibility = responsibility
    case.finding_enc = secrecy.seal(finding, secrecy.FACTS)
    case.deciding_body = body
    case.decided_on = decided_on
    case.proposed_by_id = actor.user_id
    case.save()
    label = f"{sanction.name}（{Responsibility(responsibility).label}）"
    _event(clue, "decide", actor, f"{label}：{finding}", now)
    return case


@transaction.atomic
def case_decision_approve(
    *, actor: Actor, clue: Clue, note: Any = "", now: datetime | None = None
) -> Case:
    """批准处理决定: a leader, never the proposer; the clue is concluded (结案)."""
    clue, case = _locked_case(clue)
    if not actor.can(APPROVE, clue.region_code):
        raise _forbidden()
    workflow.case_target("decision_approve", case.state)
    if case.proposed_by_id == actor.user_id:
        raise PermissionDeniedError("own_proposal", _("不能审批本人提出的处理意见。"))
    now = now or timezone.now()
    case.state = workflow.case_target("decision_approve", case.state)
    case.approved_by_id, case.approved_at = actor.user_id, now
    case.save()
    _event(clue, "decision_approve", actor, _text(note), now)
    before = clue.state
    clue.state = workflow.target("conclude", before)
    clue.closed_at = now
    clue.version += 1
    clue.save()
    ClueEvent.objects.create(
        clue=clue,
        region_code=clue.region_code,
        action="conclude",
        from_state=before,
        to_state=clue.state,
        actor_id=actor.user_id,
        at=now,
        note_enc=secrecy.seal(case.number, secrecy.NOTE),
    )
    return case


@transaction.atomic
def case_decision_reject(
    *, actor: Actor, clue: Clue, reason: Any, now: datetime | None = None
) -> Case:
    clue, case = _locked_case(clue)
    if not actor.can(APPROVE, clue.region_code):
        raise _forbidden()
    workflow.case_target("decision_reject", case.state)
    reason = _text(reason)
    if not reason:
        msg = _("退回须说明理由。")
        raise InvalidInput("note_required", msg, {"reason": [msg]})
    case.state = workflow.case_target("decision_reject", case.state)
    case.save()
    _event(clue, "decision_reject", actor, reason, now or timezone.now())
    return case
