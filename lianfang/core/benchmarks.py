"""Benchmarks registered by the apps (``lianfang bench NAME``), so the command needs no import of
any app. Each prints its own figures beside a baseline measured in the same run."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Benchmark:
    name: str
    help: str
    arguments: Callable[[ArgumentParser], None]
    run: Callable[[dict[str, Any]], Any]  # parsed options → a JSON-able result
    describe: Callable[[Any], str]  # the result as one line of text


_BENCHMARKS: dict[str, Benchmark] = {}


def register(benchmark: Benchmark) -> None:
    _BENCHMARKS[benchmark.name] = benchmark


def benchmarks() -> dict[str, Benchmark]:
    return dict(_BENCHMARKS)
