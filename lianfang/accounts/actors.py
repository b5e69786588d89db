"""Build the :class:`~lianfang.core.scoping.Actor` for a user from their active memberships."""

from __future__ import annotations

from typing import Any

from lianfang.accounts import fastsql
from lianfang.accounts.models import Membership
from lianfang.accounts.roles import TWO_FACTOR_ROLES
from lianfang.core.scoping import ANONYMOUS, Actor, Grant


def grants_of(user: Any) -> tuple[Grant, ...]:
    """The user's active memberships on active regions."""
    rows = fastsql.active_grants(user.pk)
    if not user.is_active:
        return ()
    return tuple(Grant(role=role, region_code=code, membership_id=mid) for mid, role, code in rows)


def actor_for(user: Any, *, membership_id: int | None = None, ip: str | None = None) -> Actor:
    """All of the user's grants, or only the one chosen in the region switcher."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    grants = grants_of(user)
    if membership_id is not None:
        chosen = tuple(g for g in grants if g.membership_id == membership_id)
        grants = chosen or grants
    return Actor(user_id=user.pk, username=user.get_username(), grants=grants, ip=ip)


def requires_two_factor(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        Membership.objects.active()
        .filter(user_id=user.pk, role__in=[r.value for r in TWO_FACTOR_ROLES])
        .exists()
    )


def is_verified(user: Any) -> bool:
    """True once the session passed a second factor (django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False
