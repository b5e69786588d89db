"""Logs never carry an ID number or a phone in clear. One redaction function serves the stdlib
logging filter (every handler in settings.LOGGING) and the structlog processor."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

# 18-digit resident IDs (last char may be X), mobile numbers with optional +86/0086 prefix, and
# 15-digit legacy IDs. A 15-digit run whose 7th digit is 0 is left alone: building codes
# (620105001001001) look like that, and legacy IDs with birth years 1900-1909 no longer occur.
_ID18 = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})([1-9][0-9]{5})([0-9]{3})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])((?:\+?86|0086)[- ]?)?(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
# Personal link tokens in paths: resident self check-in, self-registration, their API.
_TOKEN_PATH = re.compile(r"(/(?:c|r|api/v1/checkin)/)[A-Za-z0-9_-]{8,}")
MASK = "[REDACTED]"
# Characters that end or fake a log line (newlines, carriage returns, escapes, Unicode line
# separators): a path with %0a must not write a second, forged line.
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def redact(text: str) -> str:
    text = _TOKEN_PATH.sub(r"\1[TOKEN]", text)
    text = _ID18.sub(MASK, text)
    text = _ID15.sub(MASK, text)
    return _PHONE.sub(MASK, text)


def escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def clean(text: str) -> str:
    """Redacted and on one line: what every log line carrying a request's text goes through."""
    return escape_controls(redact(text))


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(v) for v in value)
    return value


class RedactPersonalDataFilter(logging.Filter):
    """On every handler in settings.LOGGING (Django's own loggers included): the message is
    redacted and kept on one line, a traceback is redacted."""

    _traceback = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = clean(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self._traceback.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def redact_processor(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> Mapping[str, Any]:
    return {k: _redact_value(v) for k, v in event_dict.items()}


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            redact_processor,
            structlog.processors.KeyValueRenderer(key_order=["event"]),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
