"""Concurrent self check-ins against the real server (gunicorn, production settings) on its own
database: SQLite in `make test`, PostgreSQL when DATABASE_URL names a PostgreSQL server."""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from lianfang.devtools.bench.checkin import CheckinServer


def _database(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path_factory.mktemp('concurrency')}/db.sqlite3", None
    import psycopg

    name = f"lianfang_concurrency_{secrets.token_hex(4)}"
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlparse(url)._replace(path=f"/{name}").geturl(), drop


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url, drop = _database(tmp_path_factory)
    s = CheckinServer(url, workers=3)
    tokens = s.prepare(100)
    s.start()
    try:
        yield s, tokens
    finally:
        s.stop()
        if drop:
            drop()


def test_fifty_concurrent_submissions_with_one_client_key_store_one_row(server):
    s, tokens = server
    before = s.count_checks()
    body = {"temperature": 36.6, "symptoms": [], "client_key": "same-key-50"}
    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(lambda _: s.post(f"/api/v1/checkin/{tokens[0]}", body), range(50)))
    statuses = [status for status, _ in results]
    assert set(statuses) <= {200, 201}, statuses
    assert statuses.count(201) == 1
    assert s.count_checks() == before + 1


def test_a_thousand_distinct_concurrent_checkins_are_all_stored(server):
    s, tokens = server
    before = s.count_checks()
    jobs = [(tokens[i % 100], f"distinct-{i}") for i in range(1000)]

    def send(job):
        token, key = job
        return s.post(f"/api/v1/checkin/{token}", {"temperature": 36.5, "client_key": key})[0]

    with ThreadPoolExecutor(32) as pool:
        statuses = list(pool.map(send, jobs))
    assert statuses.count(201) == 1000, {x: statuses.count(x) for x in set(statuses)}
    assert s.count_checks() == before + 1000
