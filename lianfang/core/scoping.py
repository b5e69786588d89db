"""Every read starts from the actor's scope. ``Model.objects.visible_to(actor, perm)`` filters on
the model's region-code column (``scope_field``) by the subtrees where the actor holds a role
granting ``perm``. Out of scope and missing look the same: 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from lianfang.core.logging import get_logger
from lianfang.core.permissions import role_has
from lianfang.core.regioncode import is_within, minimal_prefixes, subtree_q


@dataclass(frozen=True)
class Grant:
    """One membership: a role held on a region (and everything below it)."""

    role: str
    region_code: str
    membership_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user and the grants in force for this request (all memberships, or the
    one chosen in the region switcher)."""

    user_id: int | None
    username: str = ""
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    ip: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def staff_id(self) -> int:
        """The acting user's id, for records that name who did something."""
        if self.user_id is None:
            raise PermissionError("an anonymous actor cannot write records that name a user")
        return self.user_id

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def prefixes(self, perm: str) -> list[str]:
        return minimal_prefixes([g.region_code for g in self.grants if role_has(g.role, perm)])

    def can(self, perm: str, region_code: str | None = None) -> bool:
        prefixes = self.prefixes(perm)
        if region_code is None:
            return bool(prefixes)
        return any(is_within(region_code, p) for p in prefixes)

    def scope_q(self, perm: str, field_name: str) -> Q | None:
        """The filter for rows visible under ``perm``; None when nothing is visible."""
        prefixes = self.prefixes(perm)
        if not prefixes:
            return None
        q = Q()
        for p in prefixes:
            q |= subtree_q(field_name, p)
        return q


ANONYMOUS = Actor(user_id=None)

_system_log = get_logger("lianfang.system_actor")


def system_actor(purpose: str, region_code: str, role: str = "community_worker") -> Actor:
    """The platform acting on its own for ``purpose`` with one role's rights in one region: a
    resident's self-registration validated as the community would, a checkpoint's hand-over
    registered on behalf of the receiving community. Declared here and logged, so no service
    mints a nameless actor of its own."""
    _system_log.info("system actor", purpose=purpose, region_code=region_code)
    return Actor(user_id=None, username=f"system:{purpose}", grants=(Grant(role, region_code),))


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset whose reads start from ``visible_to``. Subclasses set ``scope_field``."""

    scope_field = "region_code"

    def visible_to(self, actor: Actor, perm: str) -> Self:
        q = actor.scope_q(perm, self.scope_field)
        if q is None:
            return self.none()
        return self.filter(q)


def get_visible_or_404(queryset: ScopedQuerySet[_M], actor: Actor, perm: str, **lookup: Any) -> _M:
    try:
        return queryset.visible_to(actor, perm).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc


class ActorRequest(HttpRequest):
    """A request as every view sees it: ``ActorMiddleware`` (pages) and the API's
    authentication set ``actor`` on each one (``ANONYMOUS`` when nobody is signed in)."""

    actor: Actor
    needs_two_factor: bool
