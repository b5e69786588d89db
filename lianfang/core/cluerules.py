"""Rules by which the system raises discipline clues from its own records (系统发现的问题线索):
each names a kind of violation, a default threshold over a window of days, and finds the facts
over a window — units or users whose records cross it, each with the records behind it. The
apps that own the records register theirs in ``AppConfig.ready``; the discipline app only reads
this registry (its dated thresholds, its clues), so adding a rule never touches it. A finding is
an explanation, never a verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Finding:
    key: str  # whom the facts are about: the unit's code, the user's id
    latest: date  # the newest record's day: with the key, these facts' identity
    unit_code: str  # the region the facts are about (the office above it handles them)
    subject_unit: str  # its name, or the user's unit
    facts: str  # what the records show, in Chinese; names no resident
    records: list[str] = field(default_factory=list)  # one line per record behind it
    subject_user_id: int | None = None
    subject_name: str = ""
    subject_post: str = ""


@dataclass(frozen=True)
class ClueRule:
    key: str
    label: object  # a lazy translation
    kind_code: str  # the discipline kind (DOMAIN §5) a finding is filed under
    threshold: int  # the default: at least this many in the window
    window_days: int
    # (first day, last day, threshold) → the findings of that window
    find: Callable[[date, date, int], list[Finding]]
    threshold_label: object = ""  # what the threshold counts, for the settings page


_RULES: dict[str, ClueRule] = {}


def register(rule: ClueRule) -> None:
    _RULES[rule.key] = rule


def all_rules() -> list[ClueRule]:
    return [_RULES[k] for k in sorted(_RULES)]


def get(key: str) -> ClueRule | None:
    return _RULES.get(key)
