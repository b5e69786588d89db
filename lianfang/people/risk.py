"""The risk category of a screening registration, computed from the answers and the dated
key-area list. Highest first: confirmed, suspected, close contact, fever, key-area arrival,
general. A doctor may override it with a reason (services.override_risk)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from lianfang.people.divisions import prefix
from lianfang.people.models import KeyArea, RiskCategory

FEVER_SYMPTOMS = {"fever", "发热"}


def key_area_codes(on: date, region_code: str) -> list[str]:
    """Key-area code prefixes in force on ``on`` for the lists governing ``region_code``."""
    prefixes = [region_code[:n] for n in (6, 9, 12, 15) if n <= len(region_code)]
    rows = KeyArea.objects.filter(region_code__in=prefixes, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return [prefix(code) for code in rows.values_list("code", flat=True)]


def compute(
    *,
    case_status: str,
    contact_with_cases: bool,
    symptoms: list[str],
    origin_code: str,
    travel_date: date | None,
    region_code: str,
) -> str:
    if case_status == "confirmed":
        return RiskCategory.CONFIRMED
    if case_status == "suspected":
        return RiskCategory.SUSPECTED
    if contact_with_cases:
        return RiskCategory.CLOSE_CONTACT
    if FEVER_SYMPTOMS & set(symptoms):
        return RiskCategory.FEVER
    if (
        origin_code
        and travel_date is not None
        and any(origin_code.startswith(p) for p in key_area_codes(travel_date, region_code))
    ):
        return RiskCategory.KEY_AREA_ARRIVAL
    return RiskCategory.GENERAL
