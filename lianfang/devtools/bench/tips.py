"""The public tip-off endpoint under load, against the real server (issue 17): ``POST
/api/v1/tips`` (form body, photos off) from 50 connections beside the one-row write. Every
request comes through the trusted proxy with its own client address, as many residents' phones
would, so the per-address rate limit is charged (and passed) on each."""

from __future__ import annotations

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
wrk.headers["Content-Type"] = "%(content_type)s"
wrk.headers["X-Forwarded-Proto"] = "https"
request = function()
  counter = counter + 1
  local n = id * 1000000 + counter
  local a, b, c = math.floor(n / 65536) %% 256, math.floor(n / 256) %% 256, n %% 256
  local ip = string.format("10.%%d.%%d.%%d", a, b, c)
  wrk.headers["X-Forwarded-For"] = ip
  %(request)s
end
"""
TIP = (
    "category=epidemic_lead&place_code=620105001001001&anonymous=true"
    "&text=%E6%A5%BC%E4%B8%8A%E9%82%BB%E5%B1%85%E4%BB%8E%E6%AD%A6%E6%B1%89%E5%9B%9E%E6%9D%A5"
)


BASELINE = '{"temperature": 36.5, "symptoms": [], "client_key": "tips-baseline"}'


def wrk(url: str, path: str, seconds: int, connections: int, work: Path) -> dict[str, Any]:
    tips = path == "/api/v1/tips"
    body = TIP if tips else BASELINE
    req = f"return wrk.format(nil, \"{path}\", nil, '{body}')"
    kind = "application/x-www-form-urlencoded" if tips else "application/json"
    script = work / f"tips-{path.strip('/').replace('/', '-')}.lua"
    script.write_text(LUA % {"request": req, "content_type": kind})
    return run_wrk(url, script, seconds, connections)


class TipsServer(BenchServer):
    def prepare(self) -> None:
        self.env["LIANFANG_TRUSTED_PROXIES"] = "127.0.0.1/32"
        self.migrate()
        self.manage("bench", "tips-prepare")


def prepare() -> dict[str, int]:
    """(Inside the server's environment.) The small tree the tips are about."""
    from lianfang.regions.models import Level, Region

    parent = None
    for code, name, level in [
        ("620105", "安宁区", Level.DISTRICT),
        ("620105001", "培黎街道", Level.SUBDISTRICT),
        ("620105001001", "建宁路社区", Level.COMMUNITY),
        ("620105001001001", "建宁路1号楼", Level.BUILDING),
    ]:
        parent, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
    return {"regions": Region.objects.count()}


def run(
    *, database_url: str, seconds: int, connections: int, workers: int, work: Path
) -> dict[str, Any]:
    server = TipsServer(database_url, workers=workers)
    server.prepare()
    server.start()
    try:
        wrk(server.url, "/api/v1/bench/write", 2, connections, work)  # warm-up
        base = wrk(server.url, "/api/v1/bench/write", seconds, connections, work)
        wrk(server.url, "/api/v1/tips", 2, connections, work)  # warm-up
        tips = wrk(server.url, "/api/v1/tips", seconds, connections, work)
    finally:
        server.stop()
    ratio = round(tips["req_per_s"] / base["req_per_s"], 3) if base["req_per_s"] else 0
    return {
        "database": "postgres" if database_url.startswith("postgres") else "sqlite",
        "workers": workers,
        "connections": connections,
        "seconds": seconds,
        "req_per_s": tips["req_per_s"],
        "p50_ms": tips["p50_ms"],
        "p99_ms": tips["p99_ms"],
        "errors": tips["errors"],
        "baseline_req_per_s": base["req_per_s"],
        "ratio": ratio,
        "ok": ratio >= 0.5 and tips["p99_ms"] < 100 and tips["errors"] == 0,
    }


def _arguments(parser: Any) -> None:
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")


def _run(options: dict[str, Any]) -> list[dict[str, Any]]:
    params = {k: options[k] for k in ("seconds", "connections", "workers")}
    return each_database(
        "tips", options, params, lambda url, work: run(database_url=url, work=work, **params)
    )


def _line(r: dict[str, Any]) -> str:
    verdict = "ok" if r["ok"] else "OVER BUDGET"
    return (
        f"public tip-off on {r['database']} ({r['workers']} workers, {r['connections']} "
        f"connections, {r['seconds']} s): {r['req_per_s']} req/s, p50 {r['p50_ms']} ms, p99 "
        f"{r['p99_ms']} ms, errors {r['errors']}; baseline (one-row write) "
        f"{r['baseline_req_per_s']} req/s; ratio {r['ratio']} ({verdict})"
    )


BENCHMARKS = [
    Benchmark(
        "tips",
        "public tip-off submission through the real server vs a one-row write",
        _arguments,
        _run,
        lambda results: "\n".join(_line(r) for r in results),
    ),
    Benchmark(
        "tips-prepare",
        "(internal) the region tree the tip-off load is about",
        lambda p: None,
        lambda o: prepare(),
        lambda r: str(r),
    ),
]
