"""Reads of referrals and exit requests, from the actor's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lianfang.core.scoping import Actor
from lianfang.monitoring.models import ExitRequest, ExitStatus, Referral, ReferralOutcome
from lianfang.monitoring.permissions import VIEW_MONITORING


def referrals(
    actor: Actor,
    *,
    pending: bool = False,
    outcome: str = "",
    persons: QuerySet[Any] | None = None,
) -> QuerySet[Referral]:
    """Referrals in scope, newest first; ``persons`` (the registry's search, from the same
    actor's scope) narrows them to those people."""
    qs = Referral.objects.visible_to(actor, VIEW_MONITORING)
    if pending:
        qs = qs.filter(outcome=ReferralOutcome.PENDING)
    elif outcome in ReferralOutcome.values:
        qs = qs.filter(outcome=outcome)
    if persons is not None:
        qs = qs.filter(observation__person_id__in=persons.values("pk"))
    return qs.select_related("observation__person", "hospital", "sent_by").order_by(
        "-sent_at", "pk"
    )


def exit_requests(actor: Actor, *, pending: bool = False) -> QuerySet[ExitRequest]:
    qs = ExitRequest.objects.visible_to(actor, VIEW_MONITORING)
    if pending:
        qs = qs.filter(status=ExitStatus.PENDING)
    return qs.select_related("observation__person").order_by("status", "leave_at")
