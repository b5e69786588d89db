"""The national division list (provinces, cities, counties) for origins and key areas: read-only
reference data loaded once from data/divisions.csv."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DIVISIONS_CSV = Path(__file__).parent / "data" / "divisions.csv"


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as fh:
        return {row["code"]: row["full_name"] for row in csv.DictReader(fh)}


def normalise(code: str) -> str | None:
    """A known 6-digit code from 2, 4 or 6 digits (42 → 420000, 4201 → 420100); else None."""
    code = (code or "").strip()
    if not re.fullmatch(r"[0-9]{2}|[0-9]{4}|[0-9]{6}", code):
        return None
    code = code.ljust(6, "0")
    return code if code in _table() else None


def name_of(code: str) -> str:
    return _table().get(code, "")


def search(text: str, limit: int = 20) -> list[tuple[str, str]]:
    text = (text or "").strip()
    if not text:
        return []
    return [(c, n) for c, n in _table().items() if text in n or c.startswith(text)][:limit]


def prefix(code: str) -> str:
    """The significant prefix of a division code: 420000 → 42, 420100 → 4201."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@lru_cache(maxsize=1)
def origin_choices() -> list[tuple[str, str]]:
    """Provinces and prefecture-level cities, for a resident choosing where they came from."""
    return [(c, n) for c, n in _table().items() if c.endswith("00")]


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Full names and unambiguous short names (武汉市, 武汉) → code."""
    table: dict[str, str] = {full: code for code, full in _table().items()}
    short: dict[str, set[str]] = {}
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for variant in {
                row["name"],
                re.sub(r"(省|市|自治区|自治州|地区|盟|区|县)$", "", row["name"]),
            }:
                if len(variant) >= 2:
                    short.setdefault(variant, set()).add(row["code"])
    for variant, codes in short.items():
        if len(codes) == 1 and variant not in table:
            table[variant] = next(iter(codes))
    return table


def resolve(text: str) -> str | None:
    """A division code from a code (42, 4201, 420100) or a name (湖北省武汉市, 武汉市, 武汉)."""
    text = re.sub(r"\s", "", str(text or ""))
    if not text:
        return None
    if text.isdigit():
        return normalise(text)
    return _by_name().get(text)
