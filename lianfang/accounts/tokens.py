"""Personal API bearer tokens: created and shown once, stored as a SHA-256 hash, revocable,
expiring after settings.API_TOKEN_LIFETIME."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device

from lianfang.accounts import fastsql
from lianfang.accounts.actors import requires_two_factor
from lianfang.accounts.models import ApiToken, User
from lianfang.core.errors import InvalidInput, PermissionDeniedError

TOKEN_PREFIX = "lf_"  # noqa: S105  (a marker, not a secret)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(
    *, user: User, name: str, second_factor: Device | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``. A user of a 2FA role must have passed the second factor:
    ``second_factor`` is the device that verified this session (``request.user.otp_device``) or
    this request's code (a token reaches the whole API, so it never skips that step)."""
    if requires_two_factor(user) and not _verified_by(user, second_factor):
        raise PermissionDeniedError("second_factor_required", _("请先完成双因素验证再创建令牌。"))
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name_required", "请填写令牌名称。", {"name": ["请填写令牌名称。"]})
    if len(name) > 60:
        raise InvalidInput(
            "name_too_long", "令牌名称最多 60 个字符。", {"name": ["最多 60 个字符。"]}
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plaintext[:10],
        key_hash=_hash(plaintext),
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
    )
    return token, plaintext


def _verified_by(user: User, device: Device | None) -> bool:
    return device is not None and device.user_id == user.pk and bool(device.confirmed)


@transaction.atomic
def revoke_token(*, user: User, public_id: str) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(user=user, public_id=public_id).first()
    if token is None:
        raise InvalidInput("token_not_found", "找不到该令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(plaintext: str) -> User | None:
    """The active user a usable token belongs to; None for unknown, revoked or expired tokens."""
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = fastsql.usable_token(_hash(plaintext), now)
    if token is None:
        return None
    user = fastsql.active_user(token.user_id)
    if user is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
