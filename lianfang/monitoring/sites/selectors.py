"""Reads of centralised sites, from the actor's scope: beds and occupancy."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from lianfang.core.scoping import Actor
from lianfang.monitoring.models import ObservationStatus, Room, Site
from lianfang.monitoring.permissions import VIEW_MONITORING
from lianfang.monitoring.policies import day_bounds


def site_occupancy(actor: Actor, day: date | None = None) -> list[dict[str, Any]]:
    """Per centralised site: beds, occupied, free — today, or on ``day`` (who had a room then:
    started on or before it and not ended before it)."""
    out = []
    if day is None or day >= timezone.localdate():
        occupied = Q(observations__status=ObservationStatus.ACTIVE)
    else:
        _start, end = day_bounds(day)
        occupied = Q(observations__started_at__lt=end) & (
            Q(observations__ended_at__isnull=True) | Q(observations__ended_at__gte=end)
        )
    sites = list(Site.objects.visible_to(actor, VIEW_MONITORING).filter(is_active=True))
    rooms_of: dict[int, list[Any]] = {site.pk: [] for site in sites}
    # One query for every site's rooms (not one per site).
    for room in Room.objects.filter(site__in=sites, is_active=True).annotate(
        used=Count("observations", filter=occupied)
    ):
        rooms_of[room.site_id].append(room)
    for site in sites:
        rooms = rooms_of[site.pk]
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
