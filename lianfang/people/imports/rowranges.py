"""Row numbers packed as ranges ("2-5,7,9-12"): how an import records the rows of a batch that
were created or linked without a remark (``ImportBatch``), one text per batch instead of one
record per row (ADR 0009)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def pack(numbers: Iterable[int]) -> str:
    """Increasing row numbers → ranges. Raises ValueError if they do not increase."""
    parts: list[str] = []
    start = end = -1
    for n in numbers:
        if n <= end:
            raise ValueError("row numbers must increase")
        if n == end + 1 and start >= 0:
            end = n
            continue
        if start >= 0:
            parts.append(f"{start}" if start == end else f"{start}-{end}")
        start = end = n
    if start >= 0:
        parts.append(f"{start}" if start == end else f"{start}-{end}")
    return ",".join(parts)


def unpack(text: str) -> Iterator[int]:
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        yield from range(int(first), int(last or first) + 1)


def count(text: str) -> int:
    total = 0
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        total += int(last or first) - int(first) + 1
    return total
