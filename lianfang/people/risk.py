"""The risk category of a screening registration, computed from the answers and the dated
key-area list. Highest first: confirmed, suspected, close contact, fever, key-area arrival,
general. A doctor may override it with a reason (services.override_risk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lianfang.core.divisions import prefix
from lianfang.people.models import KeyArea, RiskCategory

FEVER_SYMPTOMS = {"fever", "发热"}


@dataclass(frozen=True)
class KeyAreaRule:
    origin_prefix: str  # 42 = Hubei, 4201 = Wuhan
    list_region_code: str  # whose list (a district, a sub-district)
    valid_from: date
    valid_to: date | None

    def applies(self, origin_code: str, travel: date, region_code: str) -> bool:
        return (
            origin_code.startswith(self.origin_prefix)
            and region_code.startswith(self.list_region_code)
            and self.valid_from <= travel
            and (self.valid_to is None or travel <= self.valid_to)
        )


def key_area_rules() -> list[KeyAreaRule]:
    """The whole key-area list (a few rows): load once per request or import batch."""
    return [
        KeyAreaRule(prefix(k.code), k.region_code, k.valid_from, k.valid_to)
        for k in KeyArea.objects.all()
    ]


def is_key_area_arrival(
    origin_code: str, travel: date | None, region_code: str, rules: list[KeyAreaRule]
) -> bool:
    if not origin_code or travel is None:
        return False
    return any(rule.applies(origin_code, travel, region_code) for rule in rules)


def compute(
    *,
    case_status: str,
    contact_with_cases: bool,
    symptoms: list[str],
    origin_code: str,
    travel_date: date | None,
    region_code: str,
    rules: list[KeyAreaRule] | None = None,
) -> str:
    if case_status == "confirmed":
        return RiskCategory.CONFIRMED
    if case_status == "suspected":
        return RiskCategory.SUSPECTED
    if contact_with_cases:
        return RiskCategory.CLOSE_CONTACT
    if FEVER_SYMPTOMS & set(symptoms):
        return RiskCategory.FEVER
    rules = key_area_rules() if rules is None else rules
    if is_key_area_arrival(origin_code, travel_date, region_code, rules):
        return RiskCategory.KEY_AREA_ARRIVAL
    return RiskCategory.GENERAL
