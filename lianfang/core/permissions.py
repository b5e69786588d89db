"""The permission registry. Each app declares its permissions in its own ``permissions.py`` with
:func:`declare`; a role grants a permission on its region and everything below it. A permission
nobody declared cannot be granted or checked (typos fail loudly)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    name: str
    description: str
    roles: frozenset[str]


_PERMISSIONS: dict[str, Permission] = {}
_ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)

# Markers for views and API operations that need no region permission.
PUBLIC = "public"  # reachable without login (login page, health check)
AUTHENTICATED = "authenticated"  # any logged-in user, acting on their own account only


class UnknownPermissionError(LookupError):
    pass


def declare(name: str, description: str, roles: list[str] | tuple[str, ...]) -> str:
    if name in _PERMISSIONS:
        raise ValueError(f"permission {name} declared twice")
    perm = Permission(name=name, description=description, roles=frozenset(roles))
    _PERMISSIONS[name] = perm
    for role in roles:
        _ROLE_PERMISSIONS[role].add(name)
    return name


def check_known(name: str) -> None:
    if name not in _PERMISSIONS and name not in (PUBLIC, AUTHENTICATED):
        raise UnknownPermissionError(name)


def role_has(role: str, perm: str) -> bool:
    check_known(perm)
    return perm in _ROLE_PERMISSIONS.get(role, set())


def permissions_of(role: str) -> set[str]:
    return set(_ROLE_PERMISSIONS.get(role, set()))


def all_permissions() -> dict[str, Permission]:
    return dict(_PERMISSIONS)
