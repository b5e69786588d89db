"""The reporter's check code, hashed for storage. The code is 8 random characters of a
32-letter alphabet (40 bits), not a password a person chose, and what it opens is small (a
tip's state and public reply, and adding to it). It is stored as a salted PBKDF2 of its keyed
HMAC (the blind-index key, which lives in the environment, never in the database): a stolen
table alone gives nothing to guess against, and with the key too each of the 2⁴⁰ codes still
costs the iterations. The cost is kept small because the public form must stay fast under load
(ADR 0017). Lookups are rate-limited."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from lianfang.core import crypto

ITERATIONS = 500
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
LABEL = "cases.check_code"


class CheckCodeHasher(PBKDF2PasswordHasher):
    algorithm = "cases_pbkdf2_keyed"
    iterations = ITERATIONS

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        # ``verify`` encodes through here too, so both sides apply the key.
        return super().encode(crypto.blind_index(password, LABEL), salt, iterations)

    def salt(self) -> str:
        return secrets.token_hex(12)  # 96 bits; the default draws 22 characters one by one


_HASHER = CheckCodeHasher()


def random_code(n: int) -> str:
    """``n`` characters of ``ALPHABET`` (32 letters: 5 bits each, from one draw of bits)."""
    bits = secrets.randbits(5 * n)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(n))


def hash_code(code: str) -> str:
    return _HASHER.encode(code, _HASHER.salt())


def new_check() -> tuple[str, str]:
    """A fresh check code and its hash: made before the intake's transaction, so the hash's CPU
    time is not spent holding the database's write lock."""
    code = random_code(8)
    return code, hash_code(code)


def matches(code: str, stored: str) -> bool:
    """Whether ``code`` is the one ``stored`` was made from (the iterations are in ``stored``)."""
    if not stored.startswith(f"{_HASHER.algorithm}$"):
        return False
    return bool(_HASHER.verify(code, stored))  # not check_password: settings may list other hashers


def waste(code: str) -> None:
    """The same work as a comparison, for an unknown receipt (no timing hint)."""
    hash_code(code or "-")
