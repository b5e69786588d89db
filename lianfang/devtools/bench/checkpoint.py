"""``lianfang bench checkpoint``: 50 officers recording vehicles with 5 occupants each (valid
resident IDs, phones, temperatures: every occupant validated, encrypted and indexed) through the
real server (gunicorn, production settings, bearer token), driven by wrk with distinct client
keys; beside it the baseline ``/api/v1/bench/write`` (the same server writing one row) at the
same concurrency. Prints p99, req/s and errors; never asserted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lianfang.devtools.bench import Benchmark
from lianfang.devtools.bench.server import BenchServer, each_database, run_wrk

LUA = """
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Authorization"] = "Bearer %(token)s"
local occupants = '%(occupants)s'
request = function()
  counter = counter + 1
  if "%(path)s" == "/api/v1/bench/write" then
    local key = '"b' .. id .. '-' .. counter .. '-' .. os.time() .. '"'
    return wrk.format(nil, "%(path)s", nil, '{"client_key": ' .. key .. '}')
  end
  local plate = "甘A" .. string.format("%%05d", counter %% 100000)
  local key = "w" .. id .. "-" .. counter .. "-" .. os.time()
  local body = '{"plate": "' .. plate .. '", "vehicle_type": "car", "direction": "进城", ' ..
    '"origin": "620100", "destination": "620105", "client_key": "' .. key .. '", ' ..
    '"occupants": ' .. occupants .. '}'
  return wrk.format(nil, "%(path)s", nil, body)
end
"""


def _occupants() -> str:
    from lianfang.devtools.testdata import id_number

    rows = [
        {
            "full_name": name,
            "id_number": id_number(800_000_000 + i),
            "phone": f"1390000{i:04d}",
            "temperature": 36.4 + i / 10,
            "health_code": "green",
            "symptoms": [],
            "outcome": "pass",
        }
        for i, name in enumerate(["张伟", "王芳", "李娜", "刘强", "陈静"])
    ]
    return json.dumps(rows, ensure_ascii=False)


def prepare() -> dict[str, Any]:
    """(Inside the server's environment.) A district with one checkpoint and an officer with an
    API token."""
    from lianfang.accounts.models import Membership, User
    from lianfang.accounts.tokens import create_token
    from lianfang.checkpoints.models import Checkpoint
    from lianfang.regions.models import Level, Region

    parent = None
    for code, name, level in [
        ("620105", "安宁区", Level.DISTRICT),
        ("620105001", "培黎街道", Level.SUBDISTRICT),
        ("620105001001", "建宁路社区", Level.COMMUNITY),
    ]:
        parent, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
    assert parent is not None
    cp, _ = Checkpoint.objects.get_or_create(
        name="兰州西收费站",
        defaults={"region": parent, "region_code": parent.code, "directions": ["进城", "出城"]},
    )
    user, _ = User.objects.get_or_create(
        username="bench_officer", defaults={"full_name": "卡口民警", "region_code": "620105001"}
    )
    Membership.objects.get_or_create(
        user=user,
        role="checkpoint_officer",
        region_code="620105001001",
        defaults={"region": parent},
    )
    _token, plaintext = create_token(user=user, name="bench")
    return {"token": plaintext, "checkpoint": cp.pk}


def wrk(
    url: str, path: str, seconds: int, connections: int, token: str, work: Path
) -> dict[str, Any]:
    script = work / f"check-{abs(hash(path))}.lua"
    script.write_text(LUA % {"token": token, "occupants": _occupants(), "path": path})
    return run_wrk(url, script, seconds, connections)


def run(
    *, database_url: str, seconds: int, connections: int, workers: int, work: Path
) -> dict[str, Any]:
    server = BenchServer(database_url, workers=workers)
    server.migrate()
    prepared = json.loads(server.manage("bench", "checkpoint-prepare"))
    path = f"/api/v1/checkpoints/{prepared['checkpoint']}/checks"
    server.start()
    try:
        wrk(server.url, "/api/v1/bench/write", 2, connections, prepared["token"], work)
        base = wrk(server.url, "/api/v1/bench/write", seconds, connections, prepared["token"], work)
        wrk(server.url, path, 2, connections, prepared["token"], work)
        result = wrk(server.url, path, seconds, connections, prepared["token"], work)
    finally:
        server.stop()
    return {
        "database": "postgres" if database_url.startswith("postgres") else "sqlite",
        "connections": connections,
        "workers": workers,
        "seconds": seconds,
        "req_per_s": result["req_per_s"],
        "p50_ms": result["p50_ms"],
        "p99_ms": result["p99_ms"],
        "errors": result["errors"],
        "baseline_req_per_s": base["req_per_s"],
        "baseline_p99_ms": base["p99_ms"],
        "ratio": round(result["req_per_s"] / base["req_per_s"], 3) if base["req_per_s"] else 0,
    }


def _arguments(parser: Any) -> None:
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)


def _run(options: dict[str, Any]) -> list[dict[str, Any]]:
    params = {k: options[k] for k in ("seconds", "connections", "workers")}
    return each_database(
        "checkpoint",
        options,
        params,
        lambda url, work: run(database_url=url, work=work, **params),
    )


def _describe(results: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"checkpoint check (5 occupants) on {r['database']} ({r['workers']} workers, "
        f"{r['connections']} officers, {r['seconds']} s): {r['req_per_s']} req/s, "
        f"p50 {r['p50_ms']} ms, "
        f"p99 {r['p99_ms']} ms, errors {r['errors']}; baseline (one-row write) "
        f"{r['baseline_req_per_s']} req/s; ratio {r['ratio']} "
        f"({'ok' if r['p99_ms'] < 150 and not r['errors'] else 'OVER BUDGET'})"
        for r in results
    )


BENCHMARKS = [
    Benchmark(
        "checkpoint",
        "vehicle checks with 5 occupants at 50 officers vs a one-row write",
        _arguments,
        _run,
        _describe,
    ),
    Benchmark(
        "checkpoint-prepare",
        "(internal) a checkpoint and an officer's token",
        lambda p: None,
        lambda o: prepare(),
        lambda r: json.dumps(r),
    ),
]
