"""The registry's per-value rules, one place each. The form, the service, the API and the import
apply the same rule: a service reports the message on its field, the import the reason code on
the row (``imports.selectors.REASON_TEXT``) — never a silent cut."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAME_MAX = 50  # Person.full_name's column
ADDRESS_MAX = 100  # Person.address's column
TRANSPORT_NUMBER_MAX = 30  # Registration.transport_number's column

MESSAGES = {
    "name_missing": _("请填写姓名。"),
    "name_too_long": _("姓名最多 50 个字符。"),
    "address_too_long": _("住址最多 100 个字符。"),
    "transport_number_too_long": _("车次/航班/车牌最多 30 个字符。"),
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
    return None


def address_problem(address: str) -> str | None:
    """The reason code of a bad address (already ``spaced``; an empty one is allowed)."""
    return "address_too_long" if len(address) > ADDRESS_MAX else None


def transport_number_problem(number: str) -> str | None:
    return "transport_number_too_long" if len(number) > TRANSPORT_NUMBER_MAX else None
