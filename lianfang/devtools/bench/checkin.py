"""The public self check-in under load, against the real server.

``CheckinServer`` prepares a database (the one ``DATABASE_URL`` names, migrated), creates N
residents under observation, and runs gunicorn with production settings (TLS assumed at a proxy:
requests carry ``X-Forwarded-Proto: https``). ``lianfang bench checkin`` drives it with wrk and
prints req/s and latency beside a baseline (``/api/v1/bench/write``: the same server writing one
row); the concurrency tests fire threads at it and count rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lianfang.devtools.bench import Benchmark
from lianfang.devtools.bench.server import BenchServer, each_database, run_wrk


class CheckinServer(BenchServer):
    def prepare(self, members: int) -> list[str]:
        """Migrate and create ``members`` residents under observation; returns their tokens."""
        self.migrate()
        out = self.manage("bench", "checkin-prepare", "--members", str(members))
        return list(json.loads(out)["tokens"])

    def count_checks(self) -> int:
        return int(json.loads(self.manage("bench", "checkin-count"))["checks"])


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
    return run_wrk(url, script, seconds, connections)


def prepare(members: int) -> list[str]:
    """(Inside the server's environment.) ``members`` residents, each alone in a household under
    home observation; returns their check-in tokens."""
    from lianfang.core.scoping import Actor, Grant
    from lianfang.devtools.testdata import id_number
    from lianfang.monitoring.checks import tokens
    from lianfang.monitoring.quarantines import services
    from lianfang.people import services as people_services
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
            id_number=id_number(700_000_000 + i),
            phone=f"139{i:08d}",
            region_code="620105001001001",
            address=f"{i // 100 + 1}单元{i % 100 + 1}",
        )
        q = services.quarantine_start(actor=actor, person_ids=[person.pk])
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
    params = {k: options[k] for k in ("seconds", "connections", "workers", "members")}
    return each_database(
        "checkin",
        options,
        params,
        lambda url, work: run(database_url=url, work=work, **params),
    )


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
