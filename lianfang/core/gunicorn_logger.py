"""gunicorn's access log with the same redaction as every other log: personal link tokens in
paths (and anything that looks like an ID number or phone) never reach it, every value stays on
its line (a ``%0a`` in a path wrote a forged line), and the client address is the one the
application keys on (:mod:`lianfang.core.clientaddr`: behind the trusted proxy, the forwarded
one)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gunicorn.glogging import Logger

from lianfang.core.clientaddr import address_from
from lianfang.core.logging import clean


@cache
def _used_atoms(log_format: str) -> tuple[str, ...]:
    return tuple(re.findall(r"%\((.*?)\)s", log_format))


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["h"] = address_from(environ) or atoms.get("h", "-")
        # Only the atoms the format writes (the busiest path pays this on every request).
        for key in _used_atoms(self.cfg.access_log_format):
            value = atoms.get(key)
            if isinstance(value, str):
                atoms[key] = clean(value)
        return atoms
