"""Reads on users, memberships and the audit trails, always from the actor's scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from auditlog.models import LogEntry
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Substr

from lianfang.accounts.models import Membership, User
from lianfang.accounts.permissions import MANAGE_USERS, VIEW_AUDIT
from lianfang.accounts.roles import Role
from lianfang.core.models import AccessLog
from lianfang.core.regioncode import ancestors, subtree_q
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.regions.permissions import VIEW_REGION, VIEW_STAFF


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
    ordered: QuerySet[User] = qs.order_by("region_code", "username")
    return ordered


def get_user(actor: Actor, public_id: str) -> User:
    user: User = get_visible_or_404(User.objects.all(), actor, MANAGE_USERS, public_id=public_id)
    return user


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
        return cast(QuerySet[Any], LogEntry.objects.none())
    qs = qs.filter(q)
    if model:
        qs = qs.filter(content_type__model=model)
    if since:
        qs = qs.filter(timestamp__date__gte=since)
    if until:
        qs = qs.filter(timestamp__date__lte=until)
    return cast(
        QuerySet[Any], qs.select_related("actor", "content_type").order_by("-timestamp", "-id")
    )


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


# Who holds a role where: the system's own reads for notifications and default teams (not an
# actor's lookup, so they return user ids only, never a record a caller could show).


def holders_by_region(role: str, region_codes: Iterable[str]) -> dict[str, set[int]]:
    """The users holding ``role`` exactly on each of these regions."""
    out: dict[str, set[int]] = {}
    for code, user_id in (
        Membership.objects.active()
        .filter(role=role, region_code__in=list(region_codes))
        .values_list("region_code", "user_id")
    ):
        out.setdefault(code, set()).add(user_id)
    return out


def nearest_holder(role: str, region_code: str) -> int | None:
    """The user holding ``role`` on the nearest region at or above ``region_code`` (the lowest
    user id when several hold it there, so the answer is stable)."""
    rows = (
        Membership.objects.active()
        .filter(role=role, region_code__in=[*ancestors(region_code), region_code])
        .values_list("region_code", "user_id")
    )
    best = sorted(rows, key=lambda r: (-len(r[0]), r[1]))
    return best[0][1] if best else None


def first_holder_per_region(role: str, subtree_code: str) -> dict[str, int]:
    """For each region under ``subtree_code`` where someone holds ``role``: the first of them."""
    out: dict[str, int] = {}
    for code, user_id in (
        Membership.objects.active()
        .filter(subtree_q("region_code", subtree_code), role=role)
        .order_by("region_code", "user_id")
        .values_list("region_code", "user_id")
    ):
        out.setdefault(code, user_id)
    return out


def holders_at_or_above(region_code: str) -> list[tuple[str, int, str]]:
    """(role, user id, full name) of every active membership at or above ``region_code``, by
    name: the people a team can be chosen from."""
    return list(
        Membership.objects.active()
        .filter(region_code__in=[*ancestors(region_code), region_code])
        .order_by("user__full_name", "user_id")
        .values_list("role", "user_id", "user__full_name")
    )


def region_staff(actor: Actor, region: Any) -> list[Membership]:
    """Staff posted to ``region`` itself (not below), when the actor may see staff there."""
    if not actor.can(VIEW_STAFF, region.code):
        return []
    return list(
        Membership.objects.visible_to(actor, VIEW_STAFF)
        .active()
        .filter(region=region)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def grid_workers_below(actor: Actor, code: str, width: int | None) -> dict[str, int]:
    """Distinct active grid workers below ``code`` the actor may see, by the first ``width``
    digits of their region code, or one total under "" when ``width`` is None."""
    qs = (
        Membership.objects.visible_to(actor, VIEW_REGION)
        .active()
        .filter(subtree_q("region_code", code), role=Role.GRID_WORKER)
    )
    if width is None:
        return {"": qs.values("user").distinct().count()}
    rows = (
        qs.annotate(prefix=Substr("region_code", 1, width))
        .values("prefix")
        .annotate(n=Count("user", distinct=True))
    )
    return {row["prefix"]: row["n"] for row in rows}


def official_in(username: str, region_codes: Iterable[str]) -> tuple[int, str] | None:
    """(id, full name) of the active user ``username`` who holds an active role somewhere under
    one of ``region_codes`` (an official the caller's office supervises), or None."""
    q = Q(pk__in=[])
    for code in region_codes:
        q |= subtree_q("region_code", code)
    row = (
        Membership.objects.active()
        .filter(q, user__username=username.strip())
        .values_list("user_id", "user__full_name")
        .first()
    )
    return (row[0], row[1]) if row else None


def office_members(region_code: str, roles: Iterable[str]) -> set[int]:
    """The users holding one of ``roles`` exactly on ``region_code`` (an office's members)."""
    return set(
        Membership.objects.active()
        .filter(region_code=region_code, role__in=list(roles))
        .values_list("user_id", flat=True)
    )
