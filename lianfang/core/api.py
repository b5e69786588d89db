# No ``from __future__ import annotations`` here or in any api.py: django-ninja reads the real
# annotation objects through functools.wraps.
"""API kernel: authentication (bearer token or session), the permission declaration every
operation carries, and the stable error body ``{"code", "message", "fields"}``."""

import contextlib
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest
from ninja import Schema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from lianfang.core.errors import UnsupportedMediaType
from lianfang.core.permissions import AUTHENTICATED, PUBLIC, check_known
from lianfang.core.scoping import Actor, ActorRequest


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


# Responses every authenticated operation declares besides its success response
# (``document_errors`` adds the generic 400/413/415 to every operation of the schema).
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}

JSON_TYPES = ("application/json",)


class JsonParser(Parser):
    """JSON bodies only: a body of another type (a multipart form without its boundary read as
    JSON, say) is refused with 415 rather than guessed at."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        kind = request.content_type or ""
        if kind not in JSON_TYPES and not kind.endswith("+json"):
            raise UnsupportedMediaType(
                "unsupported_media_type", "Send the body as application/json."
            )
        return cast(dict[str, Any], json.loads(request.body))


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


GENERIC_ERRORS = {
    400: "Bad request: a malformed parameter or body",
    404: "Not found, out of scope, or not permitted",
    422: "Invalid fields",
}
BODY_ERRORS = {413: "Request body too large", 415: "Unsupported content type"}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare in the OpenAPI the error answers any operation can give (in the stable error
    body), so clients and the schema-driven tests know them."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            wanted = dict(GENERIC_ERRORS)
            if "requestBody" in operation:
                wanted.update(BODY_ERRORS)
            if operation.get("security"):
                wanted[401] = "Authentication required"
            for status, description in wanted.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = _error_response(description)
    return schema


@dataclass(frozen=True)
class AccountHooks:
    """How the API finds a user and builds its actor. accounts sits above core, so it fills
    these in at start (``register_accounts``) instead of core importing it."""

    user_for_token: Callable[[str], Any]
    actor_for: Callable[..., Actor]
    needs_second_factor: Callable[[Any], bool]  # a 2FA role whose session has not passed it


_accounts: AccountHooks | None = None


def register_accounts(hooks: AccountHooks) -> None:
    global _accounts
    _accounts = hooks


def _hooks() -> AccountHooks:
    if _accounts is None:
        raise ImproperlyConfigured("lianfang.accounts is not installed: the API has no users")
    return _accounts


def _actor_for(request: HttpRequest, user: Any) -> Any:
    from lianfang.core.clientaddr import client_address

    request.user = user
    cast(ActorRequest, request).actor = _hooks().actor_for(user, ip=client_address(request))
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
        user = _hooks().user_for_token(token)
        return _actor_for(request, user) if user is not None else None


class VerifiedSessionAuth(SessionAuth):
    """The browser session, accepted only once a 2FA role has passed its second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or _hooks().needs_second_factor(user):
            return None
        return _actor_for(request, user)


AUTH = [TokenAuth(), VerifiedSessionAuth()]


def api_requires(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and enforce the permission of an API operation (404 without it, like a record out
    of scope). PUBLIC operations must also be declared with ``auth=None``."""
    check_known(perm)

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapped(request: ActorRequest, *args: Any, **kwargs: Any) -> Any:
            if perm not in (PUBLIC, AUTHENTICATED):
                actor = getattr(request, "actor", None)
                if actor is None or not actor.can(perm):
                    raise Http404
            return fn(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]  # read by the route walk
        return wrapped

    return decorator
