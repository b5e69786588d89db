"""Reads on users, memberships and the audit trails, always from the actor's scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.db.models import CharField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from lianfang.accounts.models import Membership, User
from lianfang.accounts.permissions import MANAGE_USERS, VIEW_AUDIT
from lianfang.core.models import AccessLog
from lianfang.core.scoping import Actor, get_visible_or_404


def users(actor: Actor, *, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    qs = User.objects.visible_to(actor, MANAGE_USERS)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(region_code__startswith=q)
        )
    if role:
        qs = qs.filter(memberships__role=role, memberships__is_active=True).distinct()
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.order_by("region_code", "username")


def get_user(actor: Actor, public_id: str) -> User:
    return get_visible_or_404(User.objects.all(), actor, MANAGE_USERS, public_id=public_id)


def memberships_of(actor: Actor, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.visible_to(actor, MANAGE_USERS)
        .filter(user=user)
        .select_related("region")
        .order_by("-is_active", "region_code")
    )


def get_membership(actor: Actor, pk: int) -> Membership:
    return get_visible_or_404(Membership.objects.select_related("user"), actor, MANAGE_USERS, pk=pk)


def change_log(
    actor: Actor, *, model: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[Any]:
    """django-auditlog entries whose record lies in the actor's audit scope (entries carry their
    region code in ``additional_data``)."""
    qs = LogEntry.objects.annotate(
        rc=Cast(KeyTextTransform("region_code", "additional_data"), CharField(max_length=15))
    )
    q = actor.scope_q(VIEW_AUDIT, "rc")
    if q is None:
        return LogEntry.objects.none()
    qs = qs.filter(q)
    if model:
        qs = qs.filter(content_type__model=model)
    if since:
        qs = qs.filter(timestamp__date__gte=since)
    if until:
        qs = qs.filter(timestamp__date__lte=until)
    return qs.select_related("actor", "content_type").order_by("-timestamp", "-id")


def access_log(
    actor: Actor, *, since: date | None = None, until: date | None = None, user: str = ""
) -> QuerySet[AccessLog]:
    qs = AccessLog.objects.visible_to(actor, VIEW_AUDIT)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    if user:
        qs = qs.filter(user__username__icontains=user)
    return qs.select_related("user").order_by("-at", "-id")
