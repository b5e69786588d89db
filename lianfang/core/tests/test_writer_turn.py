"""``core.sql.writer_turn``: SQLite writers of a hot path queue on a file lock, never while a
transaction is open (the two locks' order must not invert)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from lianfang.core import sql


def _held_elsewhere(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture
def file_database(tmp_path: Path, monkeypatch: Any) -> Path:
    name = tmp_path / "db.sqlite3"
    monkeypatch.setitem(connection.settings_dict, "NAME", str(name))
    return Path(f"{name}-writer.lock")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_a_writer_holds_the_turn_while_it_writes_and_gives_it_back(file_database):
    with sql.writer_turn():
        assert _held_elsewhere(file_database)
    assert not _held_elsewhere(file_database)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_turn_is_not_taken(file_database):
    with transaction.atomic(), sql.writer_turn():
        assert not file_database.exists() or not _held_elsewhere(file_database)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_an_in_memory_database_takes_no_turn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(connection.settings_dict, "NAME", "file:memorydb?mode=memory&cache=shared")
    with sql.writer_turn():
        pass
    assert not list(tmp_path.iterdir())
