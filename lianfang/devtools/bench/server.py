"""A real server for load benchmarks and concurrency tests: ``BenchServer`` migrates the
database ``DATABASE_URL`` names, runs ``lianfang bench <app>-prepare`` inside the server's
environment, and runs gunicorn with production settings (TLS assumed at a proxy: requests carry
``X-Forwarded-Proto: https``); ``parse_wrk`` reads wrk's output."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from lianfang.core.webserver import control_socket_args

HEADERS = {"Content-Type": "application/json", "X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BenchServer:
    database_url: str
    workers: int = 3
    port: int = field(default_factory=_free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        index = base64.b64encode(secrets.token_bytes(32)).decode()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": self.database_url,
            "LIANFANG_ENVIRONMENT": "production",
            "LIANFANG_SECRET_KEY": secrets.token_urlsafe(50),
            "LIANFANG_DATA_KEYS": f"bench:{key}",
            "LIANFANG_INDEX_KEY": index,
            "LIANFANG_DISCIPLINE_KEYS": f"bench:{base64.b64encode(secrets.token_bytes(32)).decode()}",
            "LIANFANG_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIANFANG_BENCH": "1",
            "LIANFANG_NOTIFICATIONS": "memory",
            "LIANFANG_LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str) -> str:
        out = subprocess.run(  # noqa: S603
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def migrate(self) -> None:
        self.manage("migrate", "--no-input", "-v0")

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--backlog",
                "2048",
                "--logger-class",
                "lianfang.core.gunicorn_logger.RedactingLogger",
                *control_socket_args(self.port),
            ],
            env=self.env,
            cwd=str(settings.BASE_DIR),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                health = urllib.request.Request(  # noqa: S310 - loopback http only
                    f"{self.url}/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(  # noqa: S310 - loopback
                    health,
                    timeout=2,
                ) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            self.url + path, data=json.dumps(body).encode(), headers=HEADERS, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def _found(pattern: str, text: str) -> re.Match[str]:
    """The match of a line wrk always prints; its absence means wrk's output changed."""
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"wrk output lacks {pattern!r}")
    return match


def _ms(text: str) -> float:
    value, unit = _found(r"^([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out: str) -> dict[str, Any]:
    rps = float(_found(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(_found(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(_found(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    requests = int(_found(r"(\d+) requests in", out).group(1))
    return {
        "req_per_s": round(rps),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "errors": errors,
        "requests": requests,
    }


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict[str, Any]:
    """wrk (2 threads) with a Lua script against ``url``; its figures parsed."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk not found: make setup installs it (Debian package wrk)")
    args = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    out = subprocess.run(  # noqa: S603
        [*args, "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(out)


def each_database(
    bench: str,
    options: dict[str, Any],
    params: dict[str, Any],
    run_one: Callable[[str, Path], dict[str, Any]],
) -> list[dict[str, Any]]:
    """SQLite (a fresh file) and PostgreSQL in turn, or the one ``--database`` names.
    PostgreSQL is DATABASE_URL's server when it names one, else a throwaway cluster
    (scripts/with-postgres.sh running ``lianfang bench <bench> --database postgres``)."""
    which = [options["database"]] if options.get("database") else ["sqlite", "postgres"]
    results: list[dict[str, Any]] = []
    for database in which:
        url = os.environ.get("DATABASE_URL", "")
        if database == "postgres" and not url.startswith("postgres"):
            script = settings.BASE_DIR / "scripts" / "with-postgres.sh"
            args = [str(script), sys.executable, str(settings.BASE_DIR / "manage.py"), "bench"]
            args += [bench, "--database", "postgres", "--json"]
            for key, value in params.items():
                args += [f"--{key}", str(value)]
            out = subprocess.run(args, check=True, capture_output=True, text=True).stdout  # noqa: S603
            results.extend(json.loads(out.strip().splitlines()[-1]))
            continue
        with tempfile.TemporaryDirectory() as work:
            if database == "sqlite":
                url = f"sqlite:///{work}/{bench}.sqlite3"
            results.append(run_one(url, Path(work)))
    return results
