"""Scheduled monitoring jobs. Each is idempotent (unique alert/reminder per slot, releases of
closed quarantines refused) and catches up: it looks at today's and yesterday's slots, so a
scheduler that was down for a night still raises what it missed.

- ``missed_checks`` (every 10 minutes): a slot that closed more than the policy's grace ago with
  no reading → a "missed" alert to the grid worker; an open missed alert older than the policy's
  escalation delay → escalated to the community.
- ``reminders`` (every 15 minutes): residents with a phone and no reading yet get one reminder,
  inside the slot's window only.
- ``auto_release`` (hourly): a quarantine past its end date (after its last slot) is released
  when the policy's conditions hold, else it lands on the review list (one event).
- ``purge_tokens`` (daily): encrypted check-in tokens of ended observations are erased."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lianfang.core import crypto, notifications
from lianfang.core.identity import mask_name
from lianfang.core.logging import get_logger
from lianfang.core.scheduler import register_job
from lianfang.monitoring.alerts.services import alert_notify
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    Event,
    EventKind,
    HealthCheck,
    Observation,
    ObservationStatus,
    Policy,
    Quarantine,
    QuarantineStatus,
    Referral,
    ReferralOutcome,
    Reminder,
)
from lianfang.monitoring.policies import slots_of
from lianfang.monitoring.releases.services import quarantine_release
from lianfang.people.services import PHONE_LABEL

log = get_logger(__name__)


def _observations(policy: Policy, before: datetime) -> Any:
    """Running observations under ``policy`` that started before ``before``."""
    return Observation.objects.filter(
        status=ObservationStatus.ACTIVE,
        quarantine__policy=policy,
        started_at__lt=before,
    )


def missed_checks_now(now: datetime | None = None, *, notify: bool = True) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    created: list[Alert] = []
    escalated = 0
    for policy in Policy.objects.filter(quarantines__status=QuarantineStatus.ACTIVE).distinct():
        grace = timedelta(minutes=policy.missed_grace_minutes)
        for day in (today - timedelta(days=1), today):
            for slot in slots_of(policy, day):
                if slot.end + grace > now:
                    continue
                candidates = _observations(policy, slot.end).filter(
                    quarantine__start_date__lte=day, quarantine__end_date__gte=day
                )
                done = HealthCheck.objects.filter(
                    slot_date=day, slot_index=slot.index, observation__in=candidates
                ).values("observation_id")
                at_clinic = Referral.objects.filter(
                    outcome=ReferralOutcome.PENDING, observation__in=candidates
                ).values("observation_id")
                alerted = Alert.objects.filter(
                    kind=AlertKind.MISSED, slot_date=day, slot_index=slot.index
                ).values("observation_id")
                todo = (
                    candidates.exclude(pk__in=done)
                    .exclude(pk__in=at_clinic)
                    .exclude(pk__in=alerted)
                    .values_list("pk", "region_code")
                )
                for pk, region_code in todo:
                    try:
                        with transaction.atomic():
                            created.append(
                                Alert.objects.create(
                                    observation_id=pk,
                                    region_code=region_code,
                                    kind=AlertKind.MISSED,
                                    level=AlertLevel.TEAM,
                                    slot_date=day,
                                    slot_index=slot.index,
                                )
                            )
                    except IntegrityError:
                        continue  # another run created it
        late = now - timedelta(minutes=policy.escalate_after_minutes)
        to_escalate = Alert.objects.filter(
            kind=AlertKind.MISSED,
            level=AlertLevel.TEAM,
            status=AlertStatus.OPEN,
            created_at__lte=late,
            observation__quarantine__policy=policy,
        )
        for alert in list(to_escalate):
            updated = Alert.objects.filter(pk=alert.pk, level=AlertLevel.TEAM).update(
                level=AlertLevel.COMMUNITY, escalated_at=now
            )
            if updated:
                escalated += 1
                if notify:
                    transaction.on_commit(functools.partial(alert_notify, alert))
    for alert in created if notify else []:
        transaction.on_commit(functools.partial(alert_notify, alert))
    return {"missed": len(created), "escalated": escalated}


def reminders_now(now: datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for policy in Policy.objects.filter(quarantines__status=QuarantineStatus.ACTIVE).distinct():
        for slot in slots_of(policy, today):
            # Inside the window only, and not in its first half hour (people check in then).
            if not (slot.start + timedelta(minutes=30) <= now < slot.end):
                continue
            done = HealthCheck.objects.filter(slot_date=today, slot_index=slot.index).values(
                "observation_id"
            )
            reminded = Reminder.objects.filter(slot_date=today, slot_index=slot.index).values(
                "observation_id"
            )
            due = (
                _observations(policy, slot.end)
                .exclude(pk__in=done)
                .exclude(pk__in=reminded)
                .exclude(person__phone_enc="")
                .select_related("person")
            )
            for observation in due:
                try:
                    with transaction.atomic():
                        Reminder.objects.create(
                            observation=observation, slot_date=today, slot_index=slot.index
                        )
                except IntegrityError:
                    continue
                phone = crypto.decrypt(observation.person.phone_enc, PHONE_LABEL)
                text = _("【社区提醒】%(name)s，请在 %(end)s 前完成本时段体温自报。") % {
                    "name": mask_name(observation.person.full_name),
                    "end": slot.end.strftime("%H:%M"),
                }
                notifications.send(
                    [notifications.Message(kind="checkin.reminder", text=text, phone=phone)]
                )
                sent += 1
    return sent


def auto_release_now(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    released = reviewed = 0
    due = Quarantine.objects.filter(status=QuarantineStatus.ACTIVE, end_date__lte=today)
    for q in due.select_related("policy"):
        last_slot = slots_of(q.policy, q.end_date)[-1]
        if q.end_date == today and now < last_slot.end:
            continue
        problems = quarantine_release(actor=None, quarantine=q)
        if not problems:
            released += 1
            continue
        already = Event.objects.filter(
            quarantine=q, kind=EventKind.REVIEW, evidence__end=str(q.end_date)
        ).exists()
        if not already:
            Event.objects.create(
                quarantine=q,
                region_code=q.region_code,
                kind=EventKind.REVIEW,
                reason="；".join(problems)[:300],
                evidence={"end": str(q.end_date)},
            )
            reviewed += 1
    return {"released": released, "review": reviewed}


def purge_tokens_now(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return (
        Observation.objects.exclude(checkin_token_enc="")
        .filter(checkin_expires_at__lt=now - timedelta(days=1))
        .update(checkin_token_enc="", checkin_token_bidx="")
    )


@task()
def missed_checks(slot: str) -> dict[str, int]:
    return missed_checks_now()


@task()
def reminders(slot: str) -> int:
    return reminders_now()


@task()
def auto_release(slot: str) -> dict[str, int]:
    return auto_release_now()


@task()
def purge_tokens(slot: str) -> int:
    return purge_tokens_now()


register_job("monitoring_missed_checks", "*/10 * * * *", lambda s: missed_checks.enqueue(slot=s))
register_job("monitoring_reminders", "*/15 * * * *", lambda s: reminders.enqueue(slot=s))
register_job("monitoring_auto_release", "5 * * * *", lambda s: auto_release.enqueue(slot=s))
register_job("monitoring_purge_tokens", "30 3 * * *", lambda s: purge_tokens.enqueue(slot=s))
