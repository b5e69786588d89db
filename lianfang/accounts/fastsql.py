"""What every request pays, in plain SQL (ADR 0007): the user's grants, the bearer token and its
user. The one module of accounts that touches ``connection``; ``rawmodels.one`` builds the same
instances the ORM would."""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from lianfang.accounts.models import ApiToken, Membership, User
from lianfang.core import rawmodels
from lianfang.regions.models import Region


def active_grants(user_id: int) -> list[tuple[int, str, str]]:
    """(membership id, role, region code) of the user's active memberships on active regions."""
    m = connection.ops.quote_name(Membership._meta.db_table)
    r = connection.ops.quote_name(Region._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id, m.role, m.region_code FROM {m} m JOIN {r} r ON r.id = m.region_id "  # noqa: S608
            "WHERE m.user_id = %s AND m.is_active = %s AND r.is_active = %s "
            "ORDER BY m.region_code, m.role",
            [user_id, True, True],
        )
        return [(int(mid), str(role), str(code)) for mid, role, code in cursor.fetchall()]


def usable_token(key_hash: str, now: datetime) -> ApiToken | None:
    """The token with this hash, neither revoked nor expired (one indexed lookup)."""
    return rawmodels.one(
        ApiToken,
        "key_hash = %s AND revoked_at IS NULL AND expires_at > %s",
        [key_hash, connection.ops.adapt_datetimefield_value(now)],
    )


def active_user(user_id: int) -> User | None:
    return rawmodels.one(User, "id = %s AND is_active = %s", [user_id, True])
