"""What every request pays, in plain SQL (ADR 0007): the user's grants, the bearer token and its
user. The one module of accounts that touches ``connection``; ``sql.one`` builds the same
instances the ORM would."""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from lianfang.accounts.models import ApiToken, Membership, User
from lianfang.core import sql
from lianfang.regions.models import Region


def active_grants(user_id: int) -> list[tuple[int, str, str]]:
    """(membership id, role, region code) of the user's active memberships on active regions."""
    m, r = sql.table(Membership), sql.table(Region)
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
    return sql.one(
        ApiToken,
        "key_hash = %s AND revoked_at IS NULL AND expires_at > %s",
        [key_hash, sql.db_datetime(now)],
    )


def active_user(user_id: int) -> User | None:
    return sql.one(User, "id = %s AND is_active = %s", [user_id, True])
