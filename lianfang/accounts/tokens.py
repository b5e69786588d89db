"""Personal API bearer tokens: created and shown once, stored as a SHA-256 hash, revocable,
expiring after settings.API_TOKEN_LIFETIME."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from lianfang.accounts.models import ApiToken, User
from lianfang.core import rawmodels
from lianfang.core.errors import InvalidInput

TOKEN_PREFIX = "lf_"  # noqa: S105  (a marker, not a secret)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
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
    # One indexed lookup in plain SQL (every API request pays it): the token by its hash, usable,
    # of an active user; then the user by id. ``rawmodels.one`` builds the same instances.
    token = rawmodels.one(
        ApiToken,
        "key_hash = %s AND revoked_at IS NULL AND expires_at > %s",
        [_hash(plaintext), connection.ops.adapt_datetimefield_value(now)],
    )
    if token is None:
        return None
    user = rawmodels.one(User, "id = %s AND is_active = %s", [token.user_id, True])
    if user is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
