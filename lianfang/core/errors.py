"""Domain errors: one exception type carrying a stable English code, a translated message and
per-field messages. Views show ``message``/``fields``; the API returns them as
``{"code", "message", "fields"}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: Any, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}

    def as_text(self) -> str:
        """The message and every field message in one line, for a flash message."""
        return "；".join([self.message, *[m for msgs in self.fields.values() for m in msgs]])

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409


class PermissionDeniedError(DomainError):
    status = 403


class BadRequestError(DomainError, BadRequest):
    """A request that cannot be read (a malformed filter or body): 400 in the error body on the
    API; on pages Django's ``BadRequest`` handling shows the 400 page."""

    status = 400


class PayloadTooLarge(DomainError):
    status = 413


class UnsupportedMediaType(DomainError):
    status = 415
