"""Reads of health checks, from the actor's scope: the slots of a person's day (done, due,
missed) and the grid worker's day list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from lianfang.core.scoping import Actor
from lianfang.monitoring.models import HealthCheck, Observation, ObservationStatus, cached_policy
from lianfang.monitoring.policies import slots_of


def day_slots_status(
    observation: Observation, day: Any, checks: list[HealthCheck]
) -> list[dict[str, Any]]:
    """For a work list: each slot of ``day`` with its worst reading (if any), how many readings
    it has, and whether it is done, due, missed, upcoming, or none (not expected of this person).
    The worst, not the latest: a fever stays visible beside a later normal reading (corrections
    are new rows too, and the check list below shows each one)."""
    now = timezone.now()
    out = []
    for slot in slots_of(cached_policy(observation.quarantine.policy_id), day):
        found = [c for c in checks if c.slot_date == day and c.slot_index == slot.index]
        reading = max(found, key=_severity) if found else None
        if reading is not None:
            state = "done"
        elif slot.end <= observation.started_at or day > observation.quarantine.end_date:
            state = "none"  # not expected: before the observation began or after its end
        elif now < slot.start:
            state = "upcoming"
        elif now < slot.end:
            state = "due"
        else:
            state = "missed"
        out.append({"slot": slot, "check": reading, "count": len(found), "state": state})
    return out


def _severity(check: HealthCheck) -> tuple[bool, bool, Any]:
    return (check.fever, bool(check.symptoms), check.temperature)


@dataclass
class DueRow:
    observation: Observation
    slots: list[dict[str, Any]]
    fever: bool = False

    @property
    def missing(self) -> bool:
        return any(s["state"] == "missed" for s in self.slots)


def today_list(actor: Actor, perm: str, day: date | None = None) -> list[DueRow]:
    """The running observations in scope with each of today's slots: done, due, missed."""
    day = day or timezone.localdate()
    members = list(
        Observation.objects.visible_to(actor, perm)
        .filter(status=ObservationStatus.ACTIVE)
        .select_related("person", "quarantine", "quarantine__policy", "room")
        .order_by("region_code", "quarantine_id", "person__full_name")
    )
    checks: dict[Any, list[HealthCheck]] = {}
    for check in HealthCheck.objects.filter(observation__in=members, slot_date=day).order_by(
        "taken_at"
    ):
        checks.setdefault(check.observation_id, []).append(check)
    rows = []
    for member in members:
        mine = checks.get(member.pk, [])
        rows.append(
            DueRow(member, day_slots_status(member, day, mine), fever=any(c.fever for c in mine))
        )
    return rows
