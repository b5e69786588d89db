"""The reporter's check code, hashed for storage. The code is 8 random characters of a
32-letter alphabet (40 bits), not a password a person chose: a dictionary does not help, so a
modest PBKDF2 cost already makes a stolen table useless (2⁴⁰ guesses at ~0.5 ms each is about
17,000 CPU-years per code), while the public form stays fast under load — Argon2 at the
project's password settings costs ~100 ms a submission (ADR 0017). Lookups are rate-limited."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

ITERATIONS = 2_000


class CheckCodeHasher(PBKDF2PasswordHasher):
    iterations = ITERATIONS


_HASHER = CheckCodeHasher()


def hash_code(code: str) -> str:
    return make_password(code, hasher=_HASHER)


def matches(code: str, stored: str) -> bool:
    """Whether ``code`` is the one ``stored`` was made from (the iterations are in ``stored``)."""
    if not stored.startswith(f"{_HASHER.algorithm}$"):
        return False
    return bool(_HASHER.verify(code, stored))  # not check_password: settings may list other hashers


def waste(code: str) -> None:
    """The same work as a comparison, for an unknown receipt (no timing hint)."""
    hash_code(code or "-")
