"""Reads of quarantines, always from the actor's scope: the lists, one quarantine or member,
the community board and the counts above it (which read the other features' selectors), the
person page's panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.monitoring.checks.selectors import today_list
from lianfang.monitoring.models import (
    Alert,
    AlertStatus,
    HealthCheck,
    Kind,
    Observation,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
    Referral,
)
from lianfang.monitoring.permissions import VIEW_MONITORING
from lianfang.monitoring.referrals.selectors import exit_requests, referrals
from lianfang.monitoring.sites.selectors import site_occupancy


def quarantines(
    actor: Actor,
    *,
    status: str = "",
    kind: str = "",
    region: str = "",
    ending: str = "",
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
    return (
        qs.select_related("region", "site", "grid_worker")
        .prefetch_related("members__person")
        .order_by("status", "end_date", "pk")
    )


def quarantine(actor: Actor, pk: Any, perm: str = VIEW_MONITORING) -> Quarantine:
    """One quarantine the actor holds ``perm`` on (404 otherwise, as if it did not exist)."""
    return get_visible_or_404(
        Quarantine.objects.select_related(
            "policy", "site", "region", "cadre", "grid_worker", "doctor", "police", "volunteer"
        ),
        actor,
        perm,
        pk=pk,
    )


def observation(actor: Actor, perm: str, pk: Any) -> Observation:
    return get_visible_or_404(
        Observation.objects.select_related("person", "quarantine", "quarantine__policy"),
        actor,
        perm,
        pk=pk,
    )


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


def children_overview(actor: Actor) -> list[dict[str, Any]]:
    """For a sub-district or district user (one territory): per child region, the persons under
    observation, open alerts and today's fevers. Empty for several territories or a building."""
    from lianfang.regions.models import Region

    prefixes = actor.prefixes(VIEW_MONITORING)
    if len(prefixes) != 1 or len(prefixes[0]) >= 15:
        return []
    children = list(
        Region.objects.filter(parent__code=prefixes[0], is_active=True).order_by("code")
    )
    if not children:
        return []
    size = len(children[0].code)
    today = timezone.localdate()

    def by_child(qs: Any) -> dict[str, int]:
        counts: dict[str, int] = {}
        for code in qs.values_list("region_code", flat=True):
            counts[code[:size]] = counts.get(code[:size], 0) + 1
        return counts

    people = by_child(
        Observation.objects.visible_to(actor, VIEW_MONITORING).filter(
            status=ObservationStatus.ACTIVE
        )
    )
    alerts_open = by_child(
        Alert.objects.visible_to(actor, VIEW_MONITORING).exclude(status=AlertStatus.CLOSED)
    )
    fevers = by_child(
        HealthCheck.objects.visible_to(actor, VIEW_MONITORING).filter(slot_date=today, fever=True)
    )
    return [
        {
            "region": c,
            "people": people.get(c.code, 0),
            "alerts": alerts_open.get(c.code, 0),
            "fevers": fevers.get(c.code, 0),
        }
        for c in children
    ]


def trend(actor: Actor, days: int = 14) -> dict[str, Any]:
    """Per day of the last ``days``: persons under observation, checks, fevers, releases."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    names = [first + timedelta(days=i) for i in range(days)]
    spans = (
        Observation.objects.visible_to(actor, VIEW_MONITORING)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=first))
        .values_list("started_at", "ended_at", "status")
    )
    active = [0] * days
    released = [0] * days
    for started, ended, status in spans:
        s = timezone.localtime(started).date()
        e = timezone.localtime(ended).date() if ended else None
        for i, d in enumerate(names):
            if s <= d and (e is None or e > d):
                active[i] += 1
        if e is not None and status == ObservationStatus.RELEASED and first <= e <= today:
            released[(e - first).days] += 1
    checks_by_day = dict(
        HealthCheck.objects.visible_to(actor, VIEW_MONITORING)
        .filter(slot_date__gte=first)
        .values("slot_date")
        .annotate(n=Count("pk"))
        .values_list("slot_date", "n")
    )
    fevers_by_day = dict(
        HealthCheck.objects.visible_to(actor, VIEW_MONITORING)
        .filter(slot_date__gte=first, fever=True)
        .values("slot_date")
        .annotate(n=Count("pk"))
        .values_list("slot_date", "n")
    )
    return {
        "names": [d.strftime("%m-%d") for d in names],
        "active": active,
        "checks": [checks_by_day.get(d, 0) for d in names],
        "fevers": [fevers_by_day.get(d, 0) for d in names],
        "released": released,
    }


def person_panel(actor: Actor, person: Any) -> dict[str, Any] | None:
    """The person page's monitoring section: each observation in the actor's scope with the
    referrals that came from it (outcome beside), newest first; None when there is none."""
    observations = list(
        Observation.objects.visible_to(actor, VIEW_MONITORING)
        .filter(person_id=person.pk)
        .select_related("quarantine")
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("hospital", "outcome_by").order_by(
                    "-sent_at"
                ),
            )
        )
        .order_by("-started_at")
    )
    return {"observations": observations} if observations else None
