"""Duplicate reads: the open pairs the actor may decide, and a candidate's states."""

from __future__ import annotations

from django.db import models

from lianfang.core.scoping import Actor
from lianfang.people.models import DuplicateCandidate, PersonStatus
from lianfang.people.permissions import MERGE

OPEN, MERGED, NOT_DUPLICATE = "open", "merged", "not_duplicate"


def open_candidates(actor: Actor) -> models.QuerySet[DuplicateCandidate]:
    """Open pairs whose two persons are both in the actor's territory: a pair across territories
    (the candidate's own region is one person's) must not show the other person."""
    both = [actor.scope_q(MERGE, f"{side}__region_code") for side in ("person_a", "person_b")]
    if None in both:
        return DuplicateCandidate.objects.none()
    return (
        DuplicateCandidate.objects.visible_to(actor, MERGE)
        .filter(*both)
        .filter(
            status=OPEN, person_a__status=PersonStatus.ACTIVE, person_b__status=PersonStatus.ACTIVE
        )
        .select_related("person_a", "person_b", "person_a__region", "person_b__region")
        .order_by("-created_at")
    )
