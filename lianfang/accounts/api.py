# No ``from __future__ import annotations``: django-ninja reads real annotations.
import json
from datetime import datetime

import pydantic
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from ninja import Router, Schema
from ninja.errors import HttpError, ValidationError

from lianfang.accounts import otp, tokens
from lianfang.accounts.actors import requires_two_factor
from lianfang.accounts.models import User
from lianfang.core import ratelimit
from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.clientaddr import client_address
from lianfang.core.errors import DomainError
from lianfang.core.permissions import AUTHENTICATED, PUBLIC
from lianfang.core.scoping import ActorRequest
from lianfang.regions.models import Region

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None
    name: str = "api"


class TokenOut(Schema):
    token: str
    expires_at: datetime


class AuthError(DomainError):
    status = 401


class UnsupportedMediaType(DomainError):
    status = 415


# Attempts at a token, per client address and per username (a script needs one a month): the
# lockout counts wrong passwords, this caps the rest, behind a proxy or not.
TOKEN_ATTEMPTS_PER_ADDRESS = 30
TOKEN_ATTEMPTS_PER_USERNAME = 10
TOKEN_ATTEMPT_WINDOW = 600


def _token_request(request: ActorRequest) -> TokenIn:
    """The JSON body, read here rather than by django-ninja: a body of any other type is refused
    before a password is looked at (a form body was read as JSON, and django-axes then failed to
    record the wrong password: a lockout bypass)."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType(
            "unsupported_media_type", "Send the credentials as application/json."
        )
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, "Cannot parse request body") from exc
    try:
        return TokenIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [{"loc": e["loc"], "msg": e["msg"]} for e in exc.errors(include_url=False)]
        ) from exc


def _count_failure(request: ActorRequest, username: str) -> None:
    """A failure after the password (a wrong second factor) counts toward the lockout too."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def _throttle(scope: str, who: str) -> None:
    limit = TOKEN_ATTEMPTS_PER_ADDRESS if scope == "address" else TOKEN_ATTEMPTS_PER_USERNAME
    ratelimit.charge(
        f"auth_token:{scope}",
        who,
        limit=limit,
        window_seconds=TOKEN_ATTEMPT_WINDOW,
        message="Too many token requests; try again later.",
    )


@router.post(
    "/auth/token",
    auth=None,
    response={
        200: TokenOut,
        400: ErrorOut,
        401: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Exchange username, password (and TOTP for 2FA roles) for a bearer token",
    description="The body must be `application/json` (anything else: 415). Attempts are limited "
    "per client address and per username (429 `rate_limited`); repeated wrong passwords or codes "
    "lock the account for a while (429 `locked_out`).",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": TokenIn.model_json_schema()}},
        }
    },
)
@api_requires(PUBLIC)
def create_token(request: ActorRequest) -> TokenOut:
    _throttle("address", client_address(request) or "-")
    payload = _token_request(request)
    _throttle("username", payload.username.strip().casefold())
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise DomainError(
            "locked_out", "Too many failed logins; the account is locked for a while."
        )
    if user is None:
        raise AuthError("invalid_credentials", "Wrong username or password.")
    assert isinstance(user, User)
    device = None
    if requires_two_factor(user):
        if not payload.otp:
            raise AuthError(
                "otp_required", "This role requires a TOTP code in 'otp'.", {"otp": ["required"]}
            )
        device = otp.verify(user, payload.otp)
        if device is None:
            _count_failure(request, payload.username)
            raise AuthError(
                "invalid_otp", "The TOTP code is wrong or expired.", {"otp": ["invalid"]}
            )
    token, plaintext = tokens.create_token(
        user=user, name=payload.name or "api", second_factor=device
    )
    return TokenOut(token=plaintext, expires_at=token.expires_at)


class RoleOut(Schema):
    role: str
    region_code: str
    region_name: str


class MeOut(Schema):
    id: str
    username: str
    full_name: str
    roles: list[RoleOut]


@router.get("/me", auth=AUTH, response={200: MeOut, **ERRORS}, summary="The caller and their roles")
@api_requires(AUTHENTICATED)
def me(request: ActorRequest) -> MeOut:
    actor = request.actor
    user = request.user
    assert isinstance(user, User)  # AUTHENTICATED: never the anonymous user
    names = dict(
        Region.objects.filter(code__in=[g.region_code for g in actor.grants]).values_list(
            "code", "name"
        )
    )
    return MeOut(
        id=str(user.public_id),
        username=user.get_username(),
        full_name=user.full_name,
        roles=[
            RoleOut(
                role=g.role, region_code=g.region_code, region_name=names.get(g.region_code, "")
            )
            for g in actor.grants
        ],
    )
