"""gunicorn's access log with the same redaction as every other log: personal link tokens in
paths (and anything that looks like an ID number or phone) never reach it."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from lianfang.core.logging import redact


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
