"""The public self check-in under load, against the real server.

``CheckinServer`` prepares a database (the one ``DATABASE_URL`` names, migrated), creates N
residents under observation, and runs gunicorn with production settings (TLS assumed at a proxy:
requests carry ``X-Forwarded-Proto: https``). ``lianfang bench checkin`` drives it with wrk and
prints req/s and latency beside a baseline (``/api/v1/bench/write``: the same server writing one
row); the concurrency tests fire threads at it and count rows."""

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
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from lianfang.core.benchmarks import Benchmark

HEADERS = {"Content-Type": "application/json", "X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class CheckinServer:
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

    def prepare(self, members: int) -> list[str]:
        """Migrate and create ``members`` residents under observation; returns their tokens."""
        self.manage("migrate", "--no-input", "-v0")
        out = self.manage("bench", "checkin-prepare", "--members", str(members))
        return json.loads(out)["tokens"]

    def count_checks(self) -> int:
        return int(json.loads(self.manage("bench", "checkin-count"))["checks"])

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


LUA = """
local tokens = {}
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Forwarded-Proto"] = "https"
request = function()
  counter = counter + 1
  local token = tokens[((counter * 7919 + id * 104729) %% #tokens) + 1]
  local body = string.format(
    '{"temperature": 36.5, "symptoms": [], "client_key": "w%%d-%%d-%%d"}', id, counter, os.time())
  %(request)s
end
"""


def wrk(url: str, path: str, seconds: int, connections: int, tokens_file: Path) -> dict[str, Any]:
    """Run wrk with a script that posts check-ins (``path`` containing ``{token}``) or the
    baseline body; parse req/s, p50/p99 and errors."""
    if "{token}" in path:
        prefix, suffix = path.split("{token}")
        req = f'return wrk.format(nil, "{prefix}" .. token .. "{suffix}", nil, body)'
    else:
        req = f'return wrk.format(nil, "{path}", nil, body)'
    script = tokens_file.with_suffix(".lua")
    script.write_text(LUA % {"tokens": tokens_file, "request": req})
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk not found: make setup installs it (Debian package wrk)")
    out = subprocess.run(  # noqa: S603
        [
            binary,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(out)


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out: str) -> dict[str, Any]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "req_per_s": round(rps),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "errors": errors,
        "requests": requests,
    }


def prepare(members: int) -> list[str]:
    """(Inside the server's environment.) ``members`` residents, each alone in a household under
    home observation; returns their check-in tokens."""
    from lianfang.core.scoping import Actor, Grant
    from lianfang.monitoring import services, tokens
    from lianfang.people import services as people_services
    from lianfang.people.bench import _number
    from lianfang.regions.models import Level, Region

    tree = [
        ("620105", "安宁区", Level.DISTRICT),
        ("620105001", "培黎街道", Level.SUBDISTRICT),
        ("620105001001", "建宁路社区", Level.COMMUNITY),
        ("620105001001001", "建宁路1号楼", Level.BUILDING),
    ]
    parent = None
    for code, name, level in tree:
        parent, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
    actor = Actor(user_id=None, grants=(Grant("command_office", "620105"),))
    found: list[str] = []
    for i in range(members):
        person, _ = people_services.register_person(
            actor=actor,
            full_name="张三",
            id_number=_number(700_000_000 + i),
            phone=f"139{i:08d}",
            region_code="620105001001001",
            address=f"{i // 100 + 1}单元{i % 100 + 1}",
        )
        q = services.start(actor=actor, person_ids=[person.pk])
        found.append(tokens.token_of(q.members.get()))
    return found


def count_checks() -> int:
    from lianfang.monitoring.models import HealthCheck

    return HealthCheck.objects.count()


def run(
    *, database_url: str, seconds: int, connections: int, workers: int, members: int, work: Path
) -> dict[str, Any]:
    server = CheckinServer(database_url, workers=workers)
    tokens = server.prepare(members)
    tokens_file = work / "tokens.txt"
    tokens_file.write_text("\n".join(tokens) + "\n")
    server.start()
    try:
        wrk(server.url, "/api/v1/bench/write", 2, connections, tokens_file)  # warm-up
        base = wrk(server.url, "/api/v1/bench/write", seconds, connections, tokens_file)
        wrk(server.url, "/api/v1/checkin/{token}", 2, connections, tokens_file)  # warm-up
        checkin = wrk(server.url, "/api/v1/checkin/{token}", seconds, connections, tokens_file)
    finally:
        server.stop()
    database = "postgres" if database_url.startswith("postgres") else "sqlite"
    return {
        "database": database,
        "workers": workers,
        "connections": connections,
        "seconds": seconds,
        "req_per_s": checkin["req_per_s"],
        "p50_ms": checkin["p50_ms"],
        "p99_ms": checkin["p99_ms"],
        "errors": checkin["errors"],
        "baseline_req_per_s": base["req_per_s"],
        "baseline_p99_ms": base["p99_ms"],
        "baseline_errors": base["errors"],
        "ratio": round(checkin["req_per_s"] / base["req_per_s"], 3) if base["req_per_s"] else 0,
    }


def _arguments(parser: Any) -> None:
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--members", type=int, default=3000)


def _run(options: dict[str, Any]) -> list[dict[str, Any]]:
    """SQLite (a fresh file) and PostgreSQL in turn, or the one ``--database`` names. PostgreSQL
    is DATABASE_URL's server when it names one, else a throwaway cluster
    (scripts/with-postgres.sh)."""
    import tempfile

    which = [options["database"]] if options.get("database") else ["sqlite", "postgres"]
    settings_ = {k: options[k] for k in ("seconds", "connections", "workers", "members")}
    results: list[dict[str, Any]] = []
    for database in which:
        url = os.environ.get("DATABASE_URL", "")
        if database == "postgres" and not url.startswith("postgres"):
            results.extend(_in_throwaway_cluster(settings_))
            continue
        with tempfile.TemporaryDirectory() as work:
            if database == "sqlite":
                url = f"sqlite:///{work}/checkin.sqlite3"
            results.append(run(database_url=url, work=Path(work), **settings_))
    return results


def _in_throwaway_cluster(options: dict[str, Any]) -> list[dict[str, Any]]:
    script = settings.BASE_DIR / "scripts" / "with-postgres.sh"
    args = [str(script), sys.executable, str(settings.BASE_DIR / "manage.py"), "bench", "checkin"]
    args += ["--database", "postgres", "--json"]
    for key, value in options.items():
        args += [f"--{key}", str(value)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return list(json.loads(out.strip().splitlines()[-1]))


def _describe(results: list[dict[str, Any]]) -> str:
    return "\n".join(_line(r) for r in results)


def _line(r: dict[str, Any]) -> str:
    return (
        f"check-in on {r['database']} ({r['workers']} workers, {r['connections']} connections, "
        f"{r['seconds']} s): {r['req_per_s']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
        f"errors {r['errors']}; baseline (one-row write) {r['baseline_req_per_s']} req/s; "
        f"ratio {r['ratio']}"
    )


def _prepare_arguments(parser: Any) -> None:
    parser.add_argument("--members", type=int, default=100)


BENCHMARKS = [
    Benchmark(
        "checkin",
        "public self check-in through the real server vs a one-row write",
        _arguments,
        _run,
        _describe,
    ),
    Benchmark(
        "checkin-prepare",
        "(internal) residents under observation for the check-in load",
        _prepare_arguments,
        lambda o: {"tokens": prepare(o["members"])},
        lambda r: json.dumps(r),
    ),
    Benchmark(
        "checkin-count",
        "(internal) stored checks",
        lambda p: None,
        lambda o: {"checks": count_checks()},
        lambda r: json.dumps(r),
    ),
]
