"""``lianfang bench rollup`` (filled in below)."""

from __future__ import annotations

BENCHMARKS: list = []
