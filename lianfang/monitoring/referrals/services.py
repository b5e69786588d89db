"""Referral to a fever clinic and its outcome; emergency exit requests (外出报备)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertStatus,
    EventKind,
    ExitRequest,
    ExitStatus,
    Hospital,
    Observation,
    ObservationStatus,
    Referral,
    ReferralOutcome,
)
from lianfang.monitoring.permissions import MANAGE_QUARANTINE, RECORD_CHECKS, REFER
from lianfang.monitoring.quarantines.records import (
    event_record,
    observation_close,
    quarantine_close_if_done,
)
from lianfang.people import services as people_services
from lianfang.people.models import CaseStatus, Person

EXIT_NOTICE = timedelta(hours=2)


def _active(observation: Observation) -> None:
    if observation.status != ObservationStatus.ACTIVE:
        raise Conflict("observation_closed", _("该人员已不在观察期内。"))


@transaction.atomic
def referral_create(
    *, actor: Actor, observation: Observation, hospital_id: Any, transport: str, reason: str
) -> Referral:
    observation = (
        Observation.objects.select_for_update().select_related("quarantine").get(pk=observation.pk)
    )
    if not actor.can(REFER, observation.region_code):
        raise PermissionDeniedError("forbidden", _("您无权转诊该人员。"))
    _active(observation)
    errors: dict[str, list[str]] = {}
    hospital = Hospital.objects.filter(pk=hospital_id, is_active=True).first()
    if hospital is None:
        errors["hospital"] = [_("请选择发热门诊。")]
    transport = (transport or "").strip()
    if not transport:
        errors["transport"] = [_("请填写转运方式（如 120 负压救护车）。")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("请填写转诊原因。")]
    if errors or hospital is None:
        raise InvalidInput("invalid_referral", _("请检查转诊信息。"), errors)
    if observation.referrals.filter(outcome=ReferralOutcome.PENDING).exists():
        raise Conflict("referral_pending", _("该人员已有待反馈的转诊。"))
    referral = Referral.objects.create(
        observation=observation,
        region_code=observation.region_code,
        hospital=hospital,
        transport=transport[:100],
        reason=reason[:200],
        sent_by_id=actor.staff_id,
    )
    event_record(
        observation.quarantine,
        EventKind.REFERRED,
        actor,
        observation=observation,
        reason=reason,
        evidence={"hospital": hospital.name if hospital else "", "transport": transport[:100]},
    )
    return referral


@transaction.atomic
def referral_outcome_record(
    *, actor: Actor, referral: Referral, outcome: str, note: str = ""
) -> list[Person]:
    """Excluded → back to observation. Suspected/confirmed → the registry's category is updated,
    the person's observation ends as referred, and the household members who are not under
    observation are returned, proposed for it."""
    referral = (
        Referral.objects.select_for_update()
        .select_related("observation__quarantine", "observation__person")
        .get(pk=referral.pk)
    )
    if not actor.can(REFER, referral.region_code):
        raise PermissionDeniedError("forbidden", _("您无权登记转诊结果。"))
    if referral.outcome != ReferralOutcome.PENDING:
        raise Conflict("outcome_recorded", _("该转诊已登记结果。"))
    if outcome not in (
        ReferralOutcome.EXCLUDED,
        ReferralOutcome.SUSPECTED,
        ReferralOutcome.CONFIRMED,
    ):
        msg = _("请选择结果：排除、疑似或确诊。")
        raise InvalidInput("outcome_invalid", msg, {"outcome": [msg]})
    referral.outcome = outcome
    referral.outcome_note = (note or "").strip()[:300]
    referral.outcome_by_id = actor.user_id
    referral.outcome_at = timezone.now()
    referral.save()
    observation = referral.observation
    quarantine = observation.quarantine
    event_record(
        quarantine,
        EventKind.REFERRAL_OUTCOME,
        actor,
        observation=observation,
        reason=referral.outcome_note,
        evidence={"outcome": outcome},
    )
    # The clinic's finding settles the fever and symptom alerts the referral answered.
    action = _("发热门诊诊断：%(o)s") % {"o": referral.get_outcome_display()}
    Alert.objects.filter(
        observation=observation, kind__in=(AlertKind.FEVER, AlertKind.SYMPTOM)
    ).exclude(status=AlertStatus.CLOSED).update(
        status=AlertStatus.CLOSED,
        closed_at=referral.outcome_at,
        closed_by_id=actor.user_id,
        action=(f"{action}；{referral.outcome_note}" if referral.outcome_note else action)[:300],
    )
    if outcome == ReferralOutcome.EXCLUDED:
        return []
    person = observation.person
    people_services.record_case_status(
        actor=actor,
        person=person,
        case_status=CaseStatus.SUSPECTED
        if outcome == ReferralOutcome.SUSPECTED
        else CaseStatus.CONFIRMED,
        reason=_("发热门诊诊断：%(o)s") % {"o": referral.get_outcome_display()},
    )
    if observation.status == ObservationStatus.ACTIVE:
        observation_close(observation, ObservationStatus.REFERRED, referral.get_outcome_display())
        quarantine_close_if_done(quarantine)
    if not person.household_id:
        return []
    observed = Observation.objects.filter(status=ObservationStatus.ACTIVE).values("person_id")
    return list(
        Person.objects.active()
        .filter(household_id=person.household_id)
        .exclude(pk=person.pk)
        .exclude(pk__in=observed)
    )


def _when(value: Any, name: str, errors: dict[str, list[str]]) -> datetime | None:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        errors[name] = [_("请填写时间（YYYY-MM-DD HH:MM）。")]
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@transaction.atomic
def exit_request_create(
    *, actor: Actor, observation: Observation, data: dict[str, Any]
) -> ExitRequest:
    """Recorded by the grid worker (or community) for the resident, at least 2 hours ahead."""
    if not actor.can(RECORD_CHECKS, observation.region_code):
        raise PermissionDeniedError("forbidden", _("您无权为该人员报备外出。"))
    _active(observation)
    errors: dict[str, list[str]] = {}
    fields = {}
    for key, label in (
        ("reason", _("外出事由")),
        ("destination", _("目的地")),
        ("route", _("路线")),
    ):
        fields[key] = str(data.get(key) or "").strip()
        if not fields[key]:
            errors[key] = [_("请填写%(f)s。") % {"f": label}]
    leave = _when(data.get("leave_at"), "leave_at", errors)
    back = _when(data.get("return_at"), "return_at", errors)
    now = timezone.now()
    if leave and leave < now + EXIT_NOTICE:
        errors["leave_at"] = [_("须至少提前 2 小时报备。")]
    if leave and back and back <= leave:
        errors["return_at"] = [_("返回时间须晚于出发时间。")]
    if leave and back and back - leave > timedelta(hours=12):
        errors["return_at"] = [_("单次外出不超过 12 小时。")]
    if errors or leave is None or back is None:
        raise InvalidInput("invalid_exit_request", _("请检查外出报备。"), errors)
    return ExitRequest.objects.create(
        observation=observation,
        region_code=observation.region_code,
        reason=fields["reason"][:200],
        destination=fields["destination"][:200],
        route=fields["route"][:300],
        leave_at=leave,
        return_at=back,
        requested_by_id=actor.staff_id,
    )


@transaction.atomic
def exit_request_decide(
    *, actor: Actor, request: ExitRequest, approve: bool, note: str = ""
) -> ExitRequest:
    request = ExitRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.can(MANAGE_QUARANTINE, request.region_code):
        raise PermissionDeniedError("forbidden", _("您无权审批外出报备。"))
    if request.status != ExitStatus.PENDING:
        raise Conflict("already_decided", _("该报备已审批。"))
    note = (note or "").strip()
    if not approve and not note:
        msg = _("不同意时请说明理由。")
        raise InvalidInput("reason_required", msg, {"decision_note": [msg]})
    request.status = ExitStatus.APPROVED if approve else ExitStatus.REFUSED
    request.decided_by_id = actor.user_id
    request.decided_at = timezone.now()
    request.decision_note = note[:200]
    request.save()
    return request
