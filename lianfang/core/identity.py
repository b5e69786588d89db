"""Identity formats (DOMAIN §9): resident ID numbers (GB 11643-1999) and phone numbers.

Validation returns the normalised value with warnings, or raises :class:`InvalidInput` with a
Chinese message. Masking shows enough to recognise a record, never enough to use it."""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, NamedTuple

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from lianfang.core.errors import InvalidInput

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ID18 = re.compile(r"^[0-9]{17}[0-9X]$")
_ID15 = re.compile(r"^[0-9]{15}$")


class ResidentId(NamedTuple):  # a tuple: built a million times by an import
    number: str  # 18 characters, upper-case X
    birth_date: date
    gender: str  # "M" | "F"
    warnings: tuple[str, ...] = ()


# Per position: digit character → digit × weight (one dict lookup per digit in bulk imports).
_WEIGHTED = [{str(d): d * w for d in range(10)} for w in WEIGHTS]


def check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(body17) != 17:
        raise ValueError("17 digits expected")
    try:
        total = sum(map(dict.__getitem__, _WEIGHTED, body17))
    except KeyError:
        raise ValueError("digits expected") from None
    return CHECK_CHARS[total % 11]


_TODAY: list[Any] = [0.0, date.min]  # [time.time() when read, date.today()]


def _system_today() -> date:
    """``date.today()`` read at most once a minute (a bulk import checks a million birth dates;
    the clock's date costs a time-zone conversion)."""
    now = time.time()  # not monotonic: a clock set (or travelled in tests) is seen at once
    if not 0 <= now - _TODAY[0] <= 60:
        _TODAY[:] = [now, date.today()]
    today: date = _TODAY[1]
    return today


def _birth_date(yyyymmdd: str, field_name: str) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        msg = _("身份证号中的出生日期不存在。")
        raise InvalidInput("id_birth_date_invalid", msg, {field_name: [msg]}) from None
    # The system's date first (cheap, kept for a minute): it is never more than a day from the
    # local (Asia/Shanghai) date, which decides.
    if born.year < 1890 or (born >= _system_today() and born > timezone.localdate()):
        msg = _("身份证号中的出生日期不合理。")
        raise InvalidInput("id_birth_date_invalid", msg, {field_name: [msg]})
    return born


def parse_resident_id(raw: str, field_name: str = "id_number") -> ResidentId:
    """Validate and normalise a resident ID. The check character and the birth date are hard
    errors; an unknown county code is only a warning (it may postdate the birth, and it says where
    the ID was issued, never where the person came from). 15-digit legacy numbers become 18."""
    if isinstance(raw, str) and len(raw) == 18 and raw.isalnum():
        value = raw.upper()  # the common case in bulk imports: nothing to strip
    else:
        value = re.sub(r"[\s-]", "", str(raw or "")).upper()
    if not value:
        msg = _("请填写证件号码。")
        raise InvalidInput("id_required", msg, {field_name: [msg]})
    if _ID15.match(value):
        born = _birth_date("19" + value[6:12], field_name)
        body = value[:6] + "19" + value[6:]
        value = body + check_char(body)
    elif _ID18.match(value):
        if check_char(value[:17]) != value[17]:
            msg = _("身份证号校验位错误，请核对。")
            raise InvalidInput("id_checksum", msg, {field_name: [msg]})
        born = _birth_date(value[6:14], field_name)
    else:
        msg = _("身份证号应为 18 位（末位可为 X）或 15 位数字。")
        raise InvalidInput("id_format", msg, {field_name: [msg]})
    warnings: list[str] = [] if _county_known(value[:6]) else ["id_county_unknown"]
    gender = "M" if int(value[16]) % 2 == 1 else "F"
    return ResidentId(number=value, birth_date=born, gender=gender, warnings=tuple(warnings))


# Birth dates already found valid (after 1890): a bulk import converts each distinct date once.
# Bounded: a registry has some 40,000 distinct dates. "In the past" is checked again on use
# (cheap, and a clock set back — or travelled in tests — is seen at once).
_VALID_BIRTHS: dict[str, date] = {}


def resident_id_fields(raw: str) -> tuple[str, str, date] | None:
    """The bulk importer's fast path: (number, gender, birth date) of an 18-character resident ID
    that ``parse_resident_id`` would accept, or None for anything else — the caller then asks
    ``parse_resident_id``, which raises the right error (or normalises a 15-digit number)."""
    if len(raw) != 18 or not raw.isascii():
        return None
    value = raw if raw[17] != "x" else raw.upper()
    try:
        if check_char(value[:17]) != value[17]:
            return None
    except ValueError:  # not digits
        return None
    yyyymmdd = value[6:14]
    born = _VALID_BIRTHS.get(yyyymmdd)
    if born is None or born >= _system_today():
        try:
            born = _birth_date(yyyymmdd, "id_number")
        except InvalidInput:
            return None
        if len(_VALID_BIRTHS) < 100_000:
            _VALID_BIRTHS[yyyymmdd] = born
    return value, "M" if value[16] in "13579" else "F", born


@lru_cache(maxsize=8192)
def _county_known(county: str) -> bool:
    try:
        ric.get_birth_place(county + "19800101000X")
    except (ric.ValidationError, KeyError, ValueError):
        return False
    return True


def normalise_other_document(raw: str, field_name: str = "id_number") -> str:
    value = re.sub(r"\s", "", str(raw or "")).upper()
    if not value:
        msg = _("请填写证件号码。")
        raise InvalidInput("id_required", msg, {field_name: [msg]})
    if not re.match(r"^[A-Z0-9-]{5,30}$", value):
        msg = _("证件号码只能包含字母、数字和 -，5–30 位。")
        raise InvalidInput("document_format", msg, {field_name: [msg]})
    return value


_MOBILE = re.compile(r"^(?:\+86|0086|86)?(1[3-9][0-9]{9})$")


def parse_phone(raw: str, field_name: str = "phone") -> str:
    """A Chinese mobile or landline in E.164 (+8613812345678); +86/0086 prefixes accepted.
    Mobiles follow DOMAIN §9 (1[3-9] + 9 digits); landlines go through phonenumbers."""
    value = re.sub(r"[\s()-]", "", str(raw or ""))
    mobile = _MOBILE.match(value)
    if mobile:
        return "+86" + mobile.group(1)
    if value.startswith("0086"):
        value = "+86" + value[4:]
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number) or number.country_code != 86:
        msg = _("手机号或电话号码无效。")
        raise InvalidInput("phone_invalid", msg, {field_name: [msg]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_id(number: str) -> str:
    """620105********123X: the issuing county and the last four characters."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(e164: str) -> str:
    """138****5678 for mobiles; landlines keep their area code and last four digits."""
    national = e164[3:] if e164.startswith("+86") else e164
    if len(national) <= 7:
        return "*" * len(national)
    return national[:3] + "*" * (len(national) - 7) + national[-4:]


def mask_name(name: str) -> str:
    """张** for public pages."""
    name = (name or "").strip()
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


# Plates: province character + letter + 5 characters (6 for new-energy plates, D/F marks).
PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(rf"^[{PROVINCE_CHARS}][A-Z][A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳领]$")
_PLATE_NEV = re.compile(rf"^[{PROVINCE_CHARS}][A-Z](?:[DF][A-HJ-NP-Z0-9]{{5}}|[0-9]{{5}}[DF])$")
# Embassy (使 + 6 digits, or 3 digits 使 3 digits) and armed police (WJ, province, 4 digits + 1).
_PLATE_SPECIAL = re.compile(
    rf"^(?:使[0-9]{{6}}|[0-9]{{3}}使[0-9]{{3}}|WJ[{PROVINCE_CHARS}]?[0-9]{{4}}[0-9A-Z])$"
)


def parse_plate(raw: str, field_name: str = "transport_number") -> str:
    """Structure only: a plate says nothing certain about a person."""
    value = re.sub(r"[\s·.-]", "", str(raw or "")).upper()
    if _PLATE.match(value) or _PLATE_NEV.match(value) or _PLATE_SPECIAL.match(value):
        return value
    msg = _("车牌号格式不正确（如 甘A12345 或新能源 甘AD12345）。")
    raise InvalidInput("plate_invalid", msg, {field_name: [msg]})


MIN_C, MAX_C = Decimal("34.0"), Decimal("43.0")


def parse_temperature(value: Any, unit: str = "C") -> Decimal:
    """A reading in °C with one decimal; °F is converted. Out of 34.0–43.0 °C is an error."""
    msg = _("体温应为 34.0–43.0 °C 之间的数字。")
    try:
        reading = Decimal(str(value).strip().replace("，", ".").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput("temperature_invalid", msg, {"temperature": [msg]}) from None
    if not reading.is_finite():
        raise InvalidInput("temperature_invalid", msg, {"temperature": [msg]})
    unit = (unit or "C").upper()
    if unit == "F":
        reading = (reading - 32) * 5 / 9
    elif unit != "C":
        umsg = _("单位只能是 C 或 F。")
        raise InvalidInput("unit_invalid", umsg, {"unit": [umsg]})
    try:
        celsius = reading.quantize(Decimal("0.1"))
    except InvalidOperation:  # too many digits to round to one decimal: far out of range
        raise InvalidInput("temperature_out_of_range", msg, {"temperature": [msg]}) from None
    if not MIN_C <= celsius <= MAX_C:
        raise InvalidInput("temperature_out_of_range", msg, {"temperature": [msg]})
    return celsius
