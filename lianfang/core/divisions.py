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
    return [(c, n) for c, n in _listed() if text in n or c.startswith(text)][:limit]


def prefix(code: str) -> str:
    """The significant prefix of a division code: 420000 → 42, 420100 → 4201."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# Rows that only group others (a municipality's districts and counties, a province's directly
# administered county-level cities): their codes stay resolvable, but they are never listed.
DIRECT = frozenset({"省直辖县级行政区划", "自治区直辖县级行政区划"})
PLACEHOLDERS = frozenset({"市辖区", "县", *DIRECT})


@lru_cache(maxsize=1)
def _rows() -> list[tuple[str, str, str]]:
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as fh:
        return sorted((r["code"], r["name"], r["full_name"]) for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def _listed() -> list[tuple[str, str]]:
    """Every division once, by code: no placeholder rows (北京市 once, not again as its 市辖区),
    and a name a higher level already has is not listed again (嘉峪关市 as its own county)."""
    seen: set[str] = set()
    out = []
    for code, name, full in _rows():
        if name not in PLACEHOLDERS and full not in seen:
            seen.add(full)
            out.append((code, full))
    return out


@lru_cache(maxsize=1)
def origin_choices() -> list[tuple[str, str]]:
    """Provinces, prefecture-level cities and the county-level cities a province administers
    directly (济源市, 仙桃市), each once, for a resident choosing where they came from."""
    names = {code: name for code, name, _full in _rows()}
    return [
        (code, full)
        for code, full in _listed()
        if code.endswith("00") or names.get(code[:4] + "00") in DIRECT
    ]


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Full names and unambiguous short names (武汉市, 武汉) → code, of the listed divisions
    (北京市 is 110000, not its 市辖区)."""
    listed = dict(_listed())
    table: dict[str, str] = {full: code for code, full in listed.items()}
    short: dict[str, set[str]] = {}
    for code, name, _full in _rows():
        if code not in listed:
            continue
        for variant in {name, re.sub(r"(省|市|自治区|自治州|地区|盟|区|县)$", "", name)}:
            if len(variant) >= 2:
                short.setdefault(variant, set()).add(code)
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
