# No ``from __future__ import annotations``: django-ninja reads real annotations.
from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema

from lianfang.accounts import otp, tokens
from lianfang.accounts.actors import requires_two_factor
from lianfang.accounts.models import User
from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.errors import DomainError
from lianfang.core.permissions import AUTHENTICATED, PUBLIC
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


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Exchange username, password (and TOTP for 2FA roles) for a bearer token",
)
@api_requires(PUBLIC)
def create_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise DomainError(
            "locked_out", "Too many failed logins; the account is locked for a while."
        )
    if user is None:
        raise AuthError("invalid_credentials", "Wrong username or password.")
    assert isinstance(user, User)
    if requires_two_factor(user):
        if not payload.otp:
            raise AuthError(
                "otp_required", "This role requires a TOTP code in 'otp'.", {"otp": ["required"]}
            )
        if otp.verify(user, payload.otp) is None:
            raise AuthError(
                "invalid_otp", "The TOTP code is wrong or expired.", {"otp": ["invalid"]}
            )
    token, plaintext = tokens.create_token(user=user, name=payload.name or "api")
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
def me(request: HttpRequest) -> MeOut:
    actor = request.actor  # type: ignore[attr-defined]
    user = request.user
    names = dict(
        Region.objects.filter(code__in=[g.region_code for g in actor.grants]).values_list(
            "code", "name"
        )
    )
    return MeOut(
        id=str(user.public_id),  # type: ignore[union-attr]
        username=user.get_username(),
        full_name=user.full_name,  # type: ignore[union-attr]
        roles=[
            RoleOut(
                role=g.role, region_code=g.region_code, region_name=names.get(g.region_code, "")
            )
            for g in actor.grants
        ],
    )
