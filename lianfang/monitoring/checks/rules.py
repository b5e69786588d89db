"""The per-value rules of a health check, one each (DESIGN §7 "one validation per value"): the
temperature (parsing, unit, range), the measuring method, the symptoms and the client key. The
staff form derives its widget limits from these constants, both check-in services call these
functions, and the API schemas validate through them, so every door refuses with the same
Chinese message."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput
from lianfang.core.identity import MAX_C, MIN_C, parse_temperature
from lianfang.core.symptoms import SYMPTOMS
from lianfang.monitoring.models import Method

__all__ = [
    "CLIENT_KEY_MAX",
    "MAX_C",
    "MIN_C",
    "TEMPERATURE_LIMITS",
    "client_key",
    "method",
    "symptoms",
    "temperature",
]

CLIENT_KEY_MAX = 64


def _html_number(value: Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".")


# The range as an HTML number input's ``min``/``max`` (forms and hand-laid pages), so a browser
# refuses what the rule refuses.
TEMPERATURE_LIMITS = {"min": _html_number(MIN_C), "max": _html_number(MAX_C)}


def temperature(value: Any, unit: str = "C") -> Decimal:
    """A reading in °C with one decimal (°F converted); outside MIN_C–MAX_C is an error. The rule
    itself is the kernel's (checkpoints read temperatures too)."""
    return parse_temperature(value, unit)


def temperature_field(value: Any) -> Decimal:
    """``temperature`` for a form's clean method: the same rule, as a field error."""
    try:
        return temperature(value)
    except InvalidInput as exc:
        raise ValidationError(exc.fields.get("temperature") or exc.message, code=exc.code) from None


def method(value: str) -> str:
    """How the reading was taken: empty (not said) or one of ``Method``."""
    if value and value not in Method.values:
        msg = _("未知测量方式。")
        raise InvalidInput("method_invalid", msg, {"method": [msg]})
    return value


def symptoms(chosen: Any, allowed: Iterable[str] | None = None) -> list[str]:
    """The chosen symptoms, deduplicated in order; each must be in ``allowed`` (the policy's
    list), or, where no policy is known yet (an API body), in the symptom vocabulary."""
    picked = list(dict.fromkeys(str(s) for s in (chosen or [])))
    known = set(SYMPTOMS if allowed is None else allowed)
    unknown = [s for s in picked if s not in known]
    if unknown:
        msg = _("未知症状：%(s)s。") % {"s": "、".join(unknown[:5])}
        raise InvalidInput("symptom_unknown", msg, {"symptoms": [msg]})
    return picked


def client_key(raw: str | None) -> str | None:
    """A submission's idempotency key: trimmed, empty as none, at most CLIENT_KEY_MAX."""
    key = (raw or "").strip() or None
    if key is not None and len(key) > CLIENT_KEY_MAX:
        msg = _("client_key 最长 64 个字符。")
        raise InvalidInput("client_key_too_long", msg, {"client_key": [msg]})
    return key
