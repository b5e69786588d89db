"""Personal data at rest: AES-256-GCM with key ids (rotation) and an HMAC-SHA256 blind index for
exact lookup (the first 128 bits, 32 hex digits). Keys come from the environment and are
separate from SECRET_KEY.

- ``LIANFANG_DATA_KEYS``: comma-separated ``kid:base64key`` (32-byte keys); the first encrypts,
  all decrypt. Add a new key in front, run ``lianfang rotate-keys``, then drop the old one.
- ``LIANFANG_INDEX_KEY``: base64 32-byte HMAC key for the blind index (not rotated: rotating it
  means recomputing every index).

Stored form: ``<kid>$<base64(nonce || ciphertext+tag)>``; the column's label is the associated
data, so a value copied into another column does not decrypt."""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.test.signals import setting_changed


class DecryptionError(ValueError):
    pass


@dataclass(frozen=True)
class Keyring:
    active_kid: str
    keys: dict[str, AESGCM]
    index_key: bytes


def _decode_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{what} is not valid base64") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{what} must be 32 bytes")
    return raw


@lru_cache(maxsize=4)
def _keyring(data_keys: str, index_key: str) -> Keyring:
    keys: dict[str, AESGCM] = {}
    order: list[str] = []
    for part in data_keys.split(","):
        if not part.strip():
            continue
        kid, _, key = part.strip().partition(":")
        if not kid or "$" in kid:
            raise ImproperlyConfigured("LIANFANG_DATA_KEYS entries are kid:base64key")
        keys[kid] = AESGCM(_decode_key(key, f"data key {kid}"))
        order.append(kid)
    if not order:
        raise ImproperlyConfigured("LIANFANG_DATA_KEYS holds no key")
    return Keyring(order[0], keys, _decode_key(index_key, "LIANFANG_INDEX_KEY"))


_current: list[Keyring] = []


def keyring() -> Keyring:
    # Kept until the settings change: lazy settings access is the costly part in bulk paths.
    if not _current:
        _current.append(_keyring(settings.LIANFANG_DATA_KEYS, settings.LIANFANG_INDEX_KEY))
    return _current[0]


@receiver(setting_changed)
def _forget_keyring(*, setting: str, **kwargs: object) -> None:
    if setting in ("LIANFANG_DATA_KEYS", "LIANFANG_INDEX_KEY"):
        _current.clear()


def encrypt(plaintext: str, label: str) -> str:
    if plaintext == "":
        return ""
    ring = keyring()
    nonce = os.urandom(12)
    sealed = ring.keys[ring.active_kid].encrypt(nonce, plaintext.encode(), label.encode())
    return f"{ring.active_kid}${base64.b64encode(nonce + sealed).decode()}"


class Sealer(Protocol):
    def __call__(self, plaintext: str, nonce: bytes | None = None) -> str: ...


def sealer(label: str) -> Sealer:
    """``encrypt`` with the label and the active key bound once: for bulk paths that encrypt the
    same column a million times. Gives exactly what ``encrypt`` gives. A caller that draws random
    bytes in bulk passes the 12-byte nonce (never the same twice: from ``os.urandom``)."""
    ring = keyring()
    seal, aad, prefix = ring.keys[ring.active_kid].encrypt, label.encode(), ring.active_kid + "$"
    urandom, b64encode = os.urandom, base64.b64encode

    def sealed(plaintext: str, nonce: bytes | None = None) -> str:
        if plaintext == "":
            return ""
        if nonce is None:
            nonce = urandom(12)
        elif len(nonce) != 12:
            raise ValueError("a 12-byte nonce expected")
        return prefix + b64encode(nonce + seal(nonce, plaintext.encode(), aad)).decode()

    return sealed


def decrypt(stored: str, label: str) -> str:
    if stored == "":
        return ""
    kid, _, payload = stored.partition("$")
    ring = keyring()
    key = ring.keys.get(kid)
    if key is None:
        raise DecryptionError(f"unknown key id {kid}")
    raw = base64.b64decode(payload)
    try:
        return key.decrypt(raw[:12], raw[12:], label.encode()).decode()
    except Exception as exc:
        raise DecryptionError("value does not decrypt") from exc


def key_id(stored: str) -> str:
    return stored.partition("$")[0]


BLIND_INDEX_HEX = 32  # 128 bits of the HMAC: collision-free at any registry's size, half the index


def blind_index(value: str, label: str) -> str:
    """Deterministic HMAC of a normalised value, for exact lookup without decrypting: the first
    128 bits, as 32 hex digits (the columns are the largest indexes of the registry, and every
    import writes them; ADR 0008)."""
    if value == "":
        return ""
    digest = hmac.digest(keyring().index_key, f"{label}:{value}".encode(), "sha256")
    return digest.hex()[:BLIND_INDEX_HEX]


def indexer(label: str) -> Callable[[str], str]:
    """``blind_index`` with the label bound and the keyed HMAC state built once, for bulk paths:
    each value copies the state (the standard library's ``hmac`` copy) instead of keying anew."""
    keyed = hmac.new(keyring().index_key, f"{label}:".encode(), "sha256")
    take = BLIND_INDEX_HEX

    def index(value: str) -> str:
        if value == "":
            return ""
        state = keyed.copy()
        state.update(value.encode())
        return state.hexdigest()[:take]

    return index
