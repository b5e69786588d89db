"""The benchmarks (``lianfang bench NAME``). Each prints its own figures beside a baseline
measured in the same run."""

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


def benchmarks() -> dict[str, Benchmark]:
    from lianfang.devtools.bench import checkin, checkpoint, imports, rollup, tips

    found = [
        imports.BENCHMARK,
        *checkin.BENCHMARKS,
        *rollup.BENCHMARKS,
        *checkpoint.BENCHMARKS,
        *tips.BENCHMARKS,
    ]
    return {b.name: b for b in found}
