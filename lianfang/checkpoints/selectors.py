"""Reads at and about checkpoints, always from the actor's scope. A checkpoint officer sees the
checkpoints of their region and the hand-overs they created; the receiving side sees hand-overs
to its communities."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianfang.checkpoints import fastsql
from lianfang.checkpoints.models import (
    Checkpoint,
    Handover,
    HandoverStatus,
    Occupant,
    Outcome,
    Shift,
    VehicleCheck,
)
from lianfang.checkpoints.permissions import CHECK, RECEIVE, ROUTE, VIEW_CHECKPOINTS
from lianfang.core.scoping import Actor


def checkpoints(actor: Actor) -> QuerySet[Checkpoint]:
    """Where the actor works (officers) or what they oversee (every role that checks also views)."""
    return (
        Checkpoint.objects.visible_to(actor, VIEW_CHECKPOINTS)
        .filter(is_active=True)
        .order_by("name")
    )


def checkpoint(actor: Actor, pk: int) -> Checkpoint:
    """One checkpoint in the actor's scope (one indexed lookup, the scope checked on the row)."""
    found = fastsql.active_checkpoint(pk)
    if found is None or not actor.can(VIEW_CHECKPOINTS, found.region_code):
        raise Http404
    return found


def open_shift(cp: Checkpoint) -> Shift | None:
    return Shift.objects.filter(checkpoint=cp, closed_at=None).prefetch_related("members").first()


def checkpoints_with_open_shift(actor: Actor) -> list[tuple[Checkpoint, Shift | None]]:
    """The actor's checkpoints, each with its open shift (members not loaded), in two queries
    whatever the number of checkpoints."""
    cps = list(checkpoints(actor))
    shifts = {s.checkpoint_id: s for s in Shift.objects.filter(checkpoint__in=cps, closed_at=None)}
    return [(cp, shifts.get(cp.pk)) for cp in cps]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def board(cp: Checkpoint, shift: Shift | None) -> dict[str, Any]:
    """The live board of the current shift (or, with none open, of today)."""
    if shift is not None:
        checks = VehicleCheck.objects.filter(shift=shift)
    else:
        start, end = day_bounds(timezone.localdate())
        checks = VehicleCheck.objects.filter(
            checkpoint=cp, checked_at__gte=start, checked_at__lt=end
        )
    occupants = Occupant.objects.filter(check_record__in=checks)
    outcomes = Counter(dict(occupants.values_list("outcome").annotate(n=Count("pk"))))
    return {
        "vehicles": checks.count(),
        "priority": checks.exclude(priority="").count(),
        "key_area": checks.filter(key_area=True).count(),
        "people": sum(outcomes.values()),
        "outcomes": [(o, outcomes.get(o.value, 0)) for o in Outcome],
        "fevers": occupants.filter(fever=True).count(),
        "handovers_pending": Handover.objects.filter(
            occupant__check_record__in=checks, status=HandoverStatus.PENDING
        ).count(),
        "recent": list(checks.select_related("checked_by").order_by("-checked_at")[:20]),
    }


def daily_stats(actor: Actor, day: date) -> dict[str, Any]:
    """Per checkpoint in scope and in total: vehicles, people by outcome, fevers, hand-overs."""
    start, end = day_bounds(day)
    cps = list(checkpoints(actor))
    ids = [c.pk for c in cps]
    checks = VehicleCheck.objects.filter(
        checkpoint_id__in=ids, checked_at__gte=start, checked_at__lt=end
    )
    vehicles = dict(checks.values_list("checkpoint_id").annotate(n=Count("pk")))
    people: dict[int, Counter[str]] = {}
    for cp_id, outcome, n in (
        Occupant.objects.filter(check_record__in=checks)
        .values_list("check_record__checkpoint_id", "outcome")
        .annotate(n=Count("pk"))
    ):
        people.setdefault(cp_id, Counter())[outcome] = n
    fevers = dict(
        Occupant.objects.filter(check_record__in=checks, fever=True)
        .values_list("check_record__checkpoint_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    total: Counter[str] = Counter()
    for cp in cps:
        c = people.get(cp.pk, Counter())
        row = {
            "checkpoint": cp,
            "vehicles": vehicles.get(cp.pk, 0),
            "people": sum(c.values()),
            "outcomes": [c.get(o.value, 0) for o in Outcome],
            "fevers": fevers.get(cp.pk, 0),
        }
        rows.append(row)
        total["vehicles"] += row["vehicles"]
        total["people"] += row["people"]
        total["fevers"] += row["fevers"]
        for o in Outcome:
            total[o.value] += c.get(o.value, 0)
    return {
        "rows": rows,
        "total": {**total, "outcomes": [total.get(o.value, 0) for o in Outcome]},
        "outcome_labels": [o.label for o in Outcome],
    }


def handovers(actor: Actor, *, status: str = "") -> QuerySet[Handover]:
    """The receiving side's inbox (communities and the levels above), or for an officer the
    hand-overs they created."""
    now = timezone.now()
    received = actor.scope_q(RECEIVE, "region_code")
    created = Q(created_by_id=actor.user_id) if actor.can(CHECK) and actor.user_id else None
    scope = Q(pk__in=[])
    if received is not None:
        scope |= received & Q(routed=True)
    if created is not None:
        scope |= created
    qs = Handover.objects.filter(scope).select_related("occupant__check_record", "checkpoint")
    if status == "pending":
        qs = qs.filter(status=HandoverStatus.PENDING, due_at__gt=now)
    elif status == "overdue":
        qs = qs.filter(status=HandoverStatus.PENDING, due_at__lte=now)
    elif status == "acknowledged":
        qs = qs.filter(status=HandoverStatus.ACKNOWLEDGED)
    return qs.order_by("status", "due_at")


def handover_for_receiver(actor: Actor, pk: Any) -> Handover:
    found = (
        Handover.objects.visible_to(actor, RECEIVE)
        .filter(pk=pk, routed=True)
        .select_related("occupant__check_record", "checkpoint")
        .first()
    )
    if found is None:
        raise Http404
    return found


def to_route(actor: Actor) -> QuerySet[Handover]:
    return (
        Handover.objects.visible_to(actor, ROUTE)
        .filter(routed=False, status=HandoverStatus.PENDING)
        .select_related("occupant__check_record", "checkpoint")
        .order_by("due_at")
    )


def outside_district(actor: Actor, day: date) -> list[Occupant]:
    """Occupants checked on ``day`` at the actor's checkpoints whose vehicle was bound outside the
    district (destination a division code of another county), for the liaison officer."""
    start, end = day_bounds(day)
    return list(
        Occupant.objects.filter(
            check_record__checkpoint__in=checkpoints(actor),
            check_record__checked_at__gte=start,
            check_record__checked_at__lt=end,
            outcome=Outcome.PASS,
        )
        .exclude(check_record__destination="")
        .select_related("check_record__checkpoint")
        .order_by("check_record__destination", "check_record__checked_at")
    )


def key_area_prefixes(day: date, region_code: str) -> list[str]:
    """Division-code prefixes of the key areas in force today (the phone page highlights a
    vehicle as soon as its origin is chosen)."""
    from lianfang.people import selectors as people_selectors

    return sorted(
        {
            r.origin_prefix
            for r in people_selectors.key_area_rules()
            if region_code.startswith(r.list_region_code)
            and r.valid_from <= day
            and (r.valid_to is None or day <= r.valid_to)
        }
    )


def handovers_made_by(actor: Actor) -> QuerySet[Handover]:
    """An officer's own hand-overs and what became of them (they see nothing else of them)."""
    if actor.user_id is None:
        return Handover.objects.none()
    return (
        Handover.objects.filter(created_by_id=actor.user_id)
        .select_related("occupant__check_record")
        .order_by("-created_at")
    )
