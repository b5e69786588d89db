"""Reads on monitoring, always from the actor's scope: lists, the grid worker's day, the
community board and the counts above it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.monitoring.checks import day_slots_status
from lianfang.monitoring.models import (
    Alert,
    AlertStatus,
    ExitRequest,
    ExitStatus,
    HealthCheck,
    Kind,
    Observation,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
    Referral,
    ReferralOutcome,
    Room,
    Site,
)
from lianfang.monitoring.permissions import VIEW_MONITORING


def quarantines(
    actor: Actor,
    *,
    status: str = "",
    kind: str = "",
    region: str = "",
    ending: str = "",
    q: str = "",
) -> QuerySet[Quarantine]:
    qs = Quarantine.objects.visible_to(actor, VIEW_MONITORING)
    if status in QuarantineStatus.values:
        qs = qs.filter(status=status)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(subtree_q("region_code", region))
    today = timezone.localdate()
    if ending == "today":
        qs = qs.filter(status=QuarantineStatus.ACTIVE, end_date=today)
    elif ending == "tomorrow":
        qs = qs.filter(status=QuarantineStatus.ACTIVE, end_date=today + timedelta(days=1))
    elif ending == "overdue":
        qs = qs.filter(status=QuarantineStatus.ACTIVE, end_date__lt=today)
    if q:
        qs = qs.filter(members__person__full_name__contains=q.strip()).distinct()
    return (
        qs.select_related("region", "site", "grid_worker")
        .prefetch_related("members__person")
        .order_by("status", "end_date", "pk")
    )


def quarantine(actor: Actor, pk: Any) -> Quarantine:
    return get_visible_or_404(
        Quarantine.objects.select_related(
            "policy", "site", "region", "cadre", "grid_worker", "doctor", "police", "volunteer"
        ),
        actor,
        VIEW_MONITORING,
        pk=pk,
    )


def observation(actor: Actor, perm: str, pk: Any) -> Observation:
    return get_visible_or_404(
        Observation.objects.select_related("person", "quarantine", "quarantine__policy"),
        actor,
        perm,
        pk=pk,
    )


def alerts(actor: Actor, *, status: str = "", kind: str = "") -> QuerySet[Alert]:
    qs = Alert.objects.visible_to(actor, VIEW_MONITORING)
    if status == "open":
        qs = qs.exclude(status=AlertStatus.CLOSED)
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("observation__person", "health_check").order_by(
        "status", "-created_at"
    )


def referrals(actor: Actor, *, pending: bool = False) -> QuerySet[Referral]:
    qs = Referral.objects.visible_to(actor, VIEW_MONITORING)
    if pending:
        qs = qs.filter(outcome=ReferralOutcome.PENDING)
    return qs.select_related("observation__person", "hospital").order_by("-sent_at")


def exit_requests(actor: Actor, *, pending: bool = False) -> QuerySet[ExitRequest]:
    qs = ExitRequest.objects.visible_to(actor, VIEW_MONITORING)
    if pending:
        qs = qs.filter(status=ExitStatus.PENDING)
    return qs.select_related("observation__person").order_by("status", "leave_at")


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


@dataclass
class Board:
    active_quarantines: int = 0
    active_people: int = 0
    home: int = 0
    centralised: int = 0
    due_now: int = 0
    missed_today: int = 0
    open_alerts: int = 0
    fevers_today: int = 0
    ending_today: int = 0
    ending_tomorrow: int = 0
    overdue_review: int = 0
    pending_referrals: int = 0
    pending_exits: int = 0
    sites: list[dict[str, Any]] = field(default_factory=list)


def board(actor: Actor) -> Board:
    today = timezone.localdate()
    qs = Quarantine.objects.visible_to(actor, VIEW_MONITORING).filter(
        status=QuarantineStatus.ACTIVE
    )
    counts = qs.aggregate(
        total=Count("pk"),
        home=Count("pk", filter=Q(kind=Kind.HOME)),
        centralised=Count("pk", filter=Q(kind=Kind.CENTRALISED)),
        today=Count("pk", filter=Q(end_date=today)),
        tomorrow=Count("pk", filter=Q(end_date=today + timedelta(days=1))),
        overdue=Count("pk", filter=Q(end_date__lt=today)),
    )
    b = Board(
        active_quarantines=counts["total"],
        home=counts["home"],
        centralised=counts["centralised"],
        ending_today=counts["today"],
        ending_tomorrow=counts["tomorrow"],
        overdue_review=counts["overdue"],
    )
    b.active_people = (
        Observation.objects.visible_to(actor, VIEW_MONITORING)
        .filter(status=ObservationStatus.ACTIVE)
        .count()
    )
    rows = today_list(actor, VIEW_MONITORING, today)
    b.due_now = sum(1 for r in rows if any(s["state"] == "due" for s in r.slots))
    b.missed_today = sum(1 for r in rows if r.missing)
    alerts_qs = Alert.objects.visible_to(actor, VIEW_MONITORING)
    b.open_alerts = alerts_qs.exclude(status=AlertStatus.CLOSED).count()
    b.fevers_today = (
        HealthCheck.objects.visible_to(actor, VIEW_MONITORING)
        .filter(slot_date=today, fever=True)
        .values("observation_id")
        .distinct()
        .count()
    )
    b.pending_referrals = referrals(actor, pending=True).count()
    b.pending_exits = exit_requests(actor, pending=True).count()
    b.sites = site_occupancy(actor)
    return b


def site_occupancy(actor: Actor) -> list[dict[str, Any]]:
    """Per centralised site: beds, occupied, free (today)."""
    out = []
    for site in Site.objects.visible_to(actor, VIEW_MONITORING).filter(is_active=True):
        rooms = Room.objects.filter(site=site, is_active=True).annotate(
            used=Count("observations", filter=Q(observations__status=ObservationStatus.ACTIVE))
        )
        beds = sum(r.beds for r in rooms)
        used = sum(min(r.used, r.beds) for r in rooms)
        free_rooms = sum(1 for r in rooms if r.used < r.beds)
        out.append(
            {
                "site": site,
                "beds": beds,
                "used": used,
                "free": beds - used,
                "free_rooms": free_rooms,
            }
        )
    return out
