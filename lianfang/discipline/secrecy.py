"""The discipline office's secrets at rest: a clue's facts, its reporter's identity and its
events' notes, sealed with AES-256-GCM under keys of their own (``LIANFANG_DISCIPLINE_KEYS``,
``kid:base64key,…``: the first seals, all open), apart from the personal-data keys, so that
whoever holds those (the registry's operators, a backup of them) cannot read who reported an
official. The column's label is the associated data, as in ``core.crypto``."""

from __future__ import annotations

import base64
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FACTS = "discipline.facts"
REPORTER = "discipline.reporter"
NOTE = "discipline.note"


@lru_cache(maxsize=4)
def _keys(spec: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    first = ""
    for part in spec.split(","):
        kid, _, text = part.strip().partition(":")
        if not kid:
            continue
        try:
            raw = base64.b64decode(text, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured(f"discipline key {kid} is not valid base64") from exc
        if len(raw) != 32 or "$" in kid:
            raise ImproperlyConfigured("LIANFANG_DISCIPLINE_KEYS entries are kid:base64(32 bytes)")
        keys[kid] = AESGCM(raw)
        first = first or kid
    if not first:
        raise ImproperlyConfigured("LIANFANG_DISCIPLINE_KEYS holds no key")
    return first, keys


def seal(text: str, label: str) -> str:
    if text == "":
        return ""
    kid, keys = _keys(settings.LIANFANG_DISCIPLINE_KEYS)
    nonce = os.urandom(12)
    sealed = keys[kid].encrypt(nonce, text.encode(), label.encode())
    return f"{kid}${base64.b64encode(nonce + sealed).decode()}"


def open_sealed(stored: str, label: str) -> str:
    if stored == "":
        return ""
    kid, _, payload = stored.partition("$")
    _first, keys = _keys(settings.LIANFANG_DISCIPLINE_KEYS)
    raw = base64.b64decode(payload)
    return keys[kid].decrypt(raw[:12], raw[12:], label.encode()).decode()


def seal_reporter(name: str, phone: str) -> str:
    if not name and not phone:
        return ""
    return seal(json.dumps({"name": name, "phone": phone}, ensure_ascii=False), REPORTER)


def open_reporter(stored: str) -> dict[str, Any]:
    return json.loads(open_sealed(stored, REPORTER)) if stored else {}
