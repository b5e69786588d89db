"""The registry's per-value rules, one place each. The form, the service, the API and the import
apply the same rule: a service reports the message on its field, the import the reason code on
the row (``imports.selectors.REASON_TEXT``) — never a silent cut."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

NAME_MAX = 50  # Person.full_name's column
ADDRESS_MAX = 100  # Person.address's column
TRANSPORT_NUMBER_MAX = 30  # Registration.transport_number's column

MESSAGES = {
    "name_missing": _("请填写姓名。"),
    "name_too_long": _("姓名最多 50 个字符。"),
    "address_too_long": _("住址最多 100 个字符。"),
    "transport_number_too_long": _("车次/航班/车牌最多 30 个字符。"),
    "name_has_digit": _("姓名不能含数字，请核对（如“王五123”）。"),
    "date_in_future": _("日期不能晚于今天。"),
    "arrival_before_departure": _("到达日期不能早于离开日期。"),
}


def spaced(value: object) -> str:
    """Runs of white space as one space, trimmed: how names and addresses are stored."""
    return " ".join(str(value or "").split())


def name_problem(name: str) -> str | None:
    """The reason code of a bad name (already ``spaced``), or None."""
    if not name:
        return "name_missing"
    if len(name) > NAME_MAX:
        return "name_too_long"
    if any(c.isdigit() for c in name):  # a count or a room number typed into the name
        return "name_has_digit"
    return None


def address_problem(address: str) -> str | None:
    """The reason code of a bad address (already ``spaced``; an empty one is allowed)."""
    return "address_too_long" if len(address) > ADDRESS_MAX else None


def transport_number_problem(number: str) -> str | None:
    return "transport_number_too_long" if len(number) > TRANSPORT_NUMBER_MAX else None


def travel_date_problems(
    departure: date | None, arrival: date | None, today: date
) -> list[tuple[str, str]]:
    """``(field, reason code)`` of each rule a trip's dates break: none after today, arrival
    not before departure."""
    found = []
    if departure and departure > today:
        found.append(("departure_date", "date_in_future"))
    if arrival and arrival > today:
        found.append(("arrival_date", "date_in_future"))
    if departure and arrival and arrival < departure:
        found.append(("arrival_date", "arrival_before_departure"))
    return found
