"""One cell as people write it in a list: text, dates (with or without a year, serial numbers),
rows that are not a person's; and the ids, keys and sealed answers a parsed row carries."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from lianfang.core import crypto
from lianfang.people.imports.records import PAYLOAD_LABEL


def texts(cells: Sequence[Any]) -> list[str]:
    """``text`` of each cell, the common case (a tidy string) without a call."""
    return [
        v.strip() if type(v) is str and v.isprintable() and "  " not in v else text(v)
        for v in cells
    ]


def take(positions: Sequence[int], column: list[Any]) -> list[Any]:
    """The column's values at these positions (all of it when they are all)."""
    if len(positions) == len(column):
        return column
    return [column[i] for i in positions]


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return (
            " ".join(value.split()) if not value.isprintable() or "  " in value else value.strip()
        )
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


_DATE_FULL = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_DATE_SHORT = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_DATE_COMPACT = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")
# What may follow a date: a time ("14:30", "T14:30:00", "14时"), a part of the day.
_TIME_REST = re.compile(
    r"(?:[\sT]*\d{1,2}(?:[:：时点].*)?|\s*(?:上午|下午|中午|晚上|早上|凌晨|晚|早|左右).*|\s*)"
)
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 29 February 1900)
# Serial numbers taken as dates: 1954 to 2119 (an arrival list holds no other numbers there).
SERIAL_DATES = range(20_000, 80_000)


def date_cell(
    value: Any,
    reasons: list[str],
    code: str,
    year: int | None = None,
    today: date | None = None,
    yearless: list[str] | None = None,
) -> date | None:
    """A date as people write it: a date cell, ``2020-01-20``, ``2020.1.20``, ``2020/1/20``,
    ``2020年1月21日``, ``20200120``, with a time after it or not, an Excel serial number; and
    without a year (``1月22日``, ``1/22``) in ``year``, the list's year — or the year before
    when that would put it after ``today`` (a December list imported in January). A date
    without a year is noted in ``yearless``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value, reasons, code)
    raw = text(value)
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    try:
        found = _date_text(raw, year, today, yearless)
    except ValueError:
        found = None
    if found is None:
        reasons.append(code)
    return found


def _serial(value: float, reasons: list[str], code: str) -> date | None:
    if int(value) in SERIAL_DATES:
        return EXCEL_EPOCH + timedelta(days=int(value))
    reasons.append(code)
    return None


def _date_text(
    raw: str, year: int | None, today: date | None, yearless: list[str] | None
) -> date | None:
    if raw.isdigit():
        if len(raw) == 8 and (m := _DATE_COMPACT.fullmatch(raw)):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if len(raw) == 5 and int(raw) in SERIAL_DATES:  # a serial number exported as text
            return EXCEL_EPOCH + timedelta(days=int(raw))
        return None
    m = _DATE_FULL.match(raw)
    if m and _TIME_REST.fullmatch(raw, m.end()):
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DATE_SHORT.match(raw)
    if m and year is not None and _TIME_REST.fullmatch(raw, m.end()):
        found = date(year, int(m.group(1)), int(m.group(2)))
        if today is not None and found > today and year >= today.year:
            found = found.replace(year=year - 1)
        if yearless is not None and len(yearless) < 20:  # examples for the outcome
            yearless.append(raw)
        return found
    return None


def time_prefix() -> bytes:
    """The 48-bit millisecond time that starts a version 7 UUID (``time_ordered_uuid_hex``)."""
    return int(time.time() * 1000).to_bytes(6, "big")


def time_ordered_uuid_hex(stamp: bytes, random10: bytes) -> str:
    """A version 7 UUID (48-bit millisecond time, then random bits) as 32 hex digits: rows
    written together sit together in the primary-key index. For registrations, whose ids say
    nothing a list does not already show; persons keep random ids (they appear in URLs). The
    reading process stamps a batch's registrations with the time the batch began."""
    raw = bytearray(stamp + random10)
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def batch_prefix() -> bytes:
    """Six random bytes shared by the ids of the persons a batch creates (``person_uuid_hex``)."""
    return os.urandom(6)


def person_uuid_hex(prefix: bytes, random10: bytes) -> str:
    """A version 8 (custom) UUID as 32 hex digits: the batch's six random bytes, then ten random
    bytes of the person's own. A batch's persons sit together in the primary-key index and, through
    it, in the registrations' person index: a batch then writes a few hundred index pages instead
    of one per person (ADR 0009; the import's largest single cost). The ids stay opaque and
    unguessable (74 random bits of their own) and say nothing a list does not show."""
    raw = bytearray(prefix + random10)
    raw[6] = (raw[6] & 0x0F) | 0x80
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def import_key(number: str, origin: str, departure: date | None, arrival: date | None) -> str:
    """The key of a row's registration (``RowParser._prepare`` spells it out per column): the
    same row imported again, from any file, has the same key."""
    source = f'import:["{number}", "{origin}", "{departure}", "{arrival}"]'
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def payload(
    full_name: str,
    number: str,
    phone: str,
    origin: str,
    departure: date | None,
    arrival: date | None,
    transport: str,
    transport_number: str,
    address: str,
) -> str:
    """The answers of a row that waits to be routed, encrypted until it is."""
    data = {
        "full_name": full_name,
        "id_number": number,
        "phone": phone,
        "origin": origin,
        "departure_date": str(departure or ""),
        "arrival_date": str(arrival or ""),
        "transport": transport,
        "transport_number": transport_number,
        "address": address,
    }
    return crypto.encrypt(json.dumps(data, ensure_ascii=False), PAYLOAD_LABEL)


NUMERIC_TEXT = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+|\d{15,18}\.0*")
_ID_LIKE = re.compile(r"\d{15}|\d{17}[\dXx]")
_SUBTOTAL = re.compile(r"合计|小计|总计|共计|累计")
_NOTE_LINE = re.compile(
    r"制表|审核|填报|填表|报送|联系电话|联系人|日期|签字|签名|盖章|负责人|备注|说明|注[:：]|以上|单位[:：]"
)


def not_a_person(cells: Sequence[Any], serial: int | None, name_at: int) -> str | None:
    """Why a rejected row is no person's (a ``SKIP_REASONS`` code), or None: it is a person's
    row with a mistake. A row holding an ID-like number is always a person's."""
    filled: list[tuple[int, str]] = []
    for j, cell in enumerate(cells):
        value = text(cell)
        if not value or (j == serial and value.isdigit()):  # a template's pre-numbered 序号
            continue
        if _ID_LIKE.search(value):
            return None
        filled.append((j, value))
    if not filled:
        return "blank_row"
    joined = "".join(value for _j, value in filled)
    if _SUBTOTAL.search(joined):
        return "subtotal_row"
    if _NOTE_LINE.search(joined) or (len(filled) == 1 and filled[0][0] != name_at):
        return "note_row"
    return None
