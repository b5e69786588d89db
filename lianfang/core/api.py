# No ``from __future__ import annotations`` here or in any api.py: django-ninja reads the real
# annotation objects through functools.wraps.
"""API kernel: authentication (bearer token or session), the permission declaration every
operation carries, and the stable error body ``{"code", "message", "fields"}``."""

import contextlib
import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Schema
from ninja.security import HttpBearer, SessionAuth

from lianfang.core.permissions import AUTHENTICATED, PUBLIC, check_known


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


# Responses every authenticated operation declares besides its success response.
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _actor_for(request: HttpRequest, user: Any) -> Any:
    from lianfang.accounts.actors import actor_for  # accounts sits above core
    from lianfang.core.clientaddr import client_address

    request.user = user
    request.actor = actor_for(user, ip=client_address(request))  # type: ignore[attr-defined]
    _attribute_changes(user)
    return user


def _attribute_changes(user: Any) -> None:
    """The change log's actor for this request (auditlog's context was set up by the middleware
    before the bearer token was read)."""
    from auditlog.context import auditlog_value

    with contextlib.suppress(LookupError):
        auditlog_value.get()["actor"] = user


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from lianfang.accounts.tokens import user_for_token

        user = user_for_token(token)
        return _actor_for(request, user) if user is not None else None


class VerifiedSessionAuth(SessionAuth):
    """The browser session, accepted only once a 2FA role has passed its second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from lianfang.accounts.actors import is_verified, requires_two_factor

        user = request.user
        if not user.is_authenticated:
            return None
        if requires_two_factor(user) and not is_verified(user):
            return None
        return _actor_for(request, user)


AUTH = [TokenAuth(), VerifiedSessionAuth()]


def api_requires(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and enforce the permission of an API operation (404 without it, like a record out
    of scope). PUBLIC operations must also be declared with ``auth=None``."""
    check_known(perm)

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if perm not in (PUBLIC, AUTHENTICATED):
                actor = getattr(request, "actor", None)
                if actor is None or not actor.can(perm):
                    raise Http404
            return fn(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator
