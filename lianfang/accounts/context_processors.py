from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lianfang.accounts.models import Membership
from lianfang.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Navigation entries the actor may use, and the memberships for the region switcher."""
    actor = getattr(request, "actor", None)
    if actor is None or actor.is_anonymous:
        return {"nav_items": [], "switchable_memberships": []}
    memberships = list(
        Membership.objects.active()
        .filter(user_id=actor.user_id, region__is_active=True)
        .select_related("region")
        .order_by("region_code", "role")
    )
    return {
        "nav_items": items_for(actor),
        "switchable_memberships": memberships if len(memberships) > 1 else [],
        "active_membership_id": request.session.get("active_membership_id"),
    }
