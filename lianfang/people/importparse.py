"""One imported row → a record ready to write, or a rejection with reason codes.

This runs in the import's reading process (``import_worker``), next to the file: validation,
encryption, blind indexes, pinyin and routing all happen here, so the writing process only looks
up, decides and inserts. Records are plain named tuples of strings and numbers (cheap to send
between processes); dates are ISO strings, which both databases take as they are."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import astuple
from datetime import date, datetime, timedelta
from itertools import repeat, zip_longest
from operator import itemgetter
from typing import Any

from lianfang.core import crypto, divisions, sql
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import (
    mask_id,
    mask_phone,
    parse_phone,
    parse_resident_id,
    resident_id_fields,
)
from lianfang.people import keyfilter, names, risk, rules
from lianfang.people.models import Transport
from lianfang.people.services import ID_LABEL, PHONE_LABEL
from lianfang.regions.selectors import Router

PAYLOAD_LABEL = "importrow.payload"

TRANSPORT_WORDS = {
    "火车": "train",
    "高铁": "train",
    "动车": "train",
    "飞机": "flight",
    "航班": "flight",
    "客车": "bus",
    "大巴": "bus",
    "汽车": "bus",
    "自驾": "car",
    "私家车": "car",
}
TRANSPORTS = frozenset(Transport.values)
FIELDS = (
    "full_name",
    "id_number",
    "phone",
    "origin",
    "departure_date",
    "arrival_date",
    "transport",
    "transport_number",
    "address",
)


# A parsed row is a plain tuple (cheap to build, to marshal between the processes and to read):
#   rejected: (row_number, reasons) — comma-separated reason codes;
#   prepared: (row_number, bidx, import_key, person, registration, payload, probes) — ``person``
#     holds the values of ``importer.PERSON_COLUMNS`` for the person the row creates if nobody
#     has its document yet (empty when the address names no community: the row can then only
#     link, or wait in the "to route" queue with its encrypted ``payload``); ``registration`` is
#     (pk, origin, departure, arrival, transport, transport number, travel date); ``probes``
#     the lookups the writer must make (keyfilter kinds).
Record = tuple[Any, ...]
ROW, REASONS = 0, 1
BIDX, IMPORT_KEY, PERSON, REGISTRATION, PAYLOAD, PROBES = 1, 2, 3, 4, 5, 6
REJECTED_LEN, PREPARED_LEN = 2, 7


# Positions in a registration row (``importer.REGISTRATION_COLUMNS``) that the writer fills in
# for a row that links to a person found in the registry.
R_PERSON, R_REGION_CODE, R_ORIGIN, R_DEPARTURE, R_ARRIVAL, R_RISK = 1, 2, 4, 5, 6, 13


class RiskMemo:
    """The risk category of an imported registration: key-area rules read once per import (the
    reading process gets them as plain tuples: ``rules_data``)."""

    def __init__(self, rules: list[risk.KeyAreaRule] | None = None) -> None:
        self.rules = risk.key_area_rules() if rules is None else rules
        self.seen: dict[tuple[str, str | None, str], str] = {}

    def rules_data(self) -> list[tuple[Any, ...]]:
        return [astuple(rule) for rule in self.rules]

    @classmethod
    def from_data(cls, data: list[tuple[Any, ...]]) -> RiskMemo:
        return cls([risk.KeyAreaRule(*rule) for rule in data])

    def __call__(self, origin: str, travel: str | None, region_code: str) -> str:
        key = (origin, travel, region_code)
        try:
            return self.seen[key]
        except KeyError:
            # A plain str (not the enum member): records cross between processes as marshal data.
            category = self.seen[key] = str(
                risk.compute(
                    case_status="",
                    contact_with_cases=False,
                    symptoms=[],
                    origin_code=origin,
                    travel_date=date.fromisoformat(travel) if travel else None,
                    region_code=region_code,
                    rules=self.rules,
                )
            )
            return category


AMBIGUOUS = "?"  # the region code of a queued row whose address names several communities
NO_DOCUMENT: tuple[str, str, date | None] = ("", "", None)


def texts(cells: Sequence[Any]) -> list[str]:
    """``text`` of each cell, the common case (a tidy string) without a call."""
    return [
        v.strip() if type(v) is str and v.isprintable() and "  " not in v else text(v)
        for v in cells
    ]


def _take(positions: Sequence[int], column: list[Any]) -> list[Any]:
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
    """The 48-bit millisecond time that starts a version 7 UUID (``_time_ordered_uuid_hex``)."""
    return int(time.time() * 1000).to_bytes(6, "big")


def _time_ordered_uuid_hex(stamp: bytes, random10: bytes) -> str:
    """A version 7 UUID (48-bit millisecond time, then random bits) as 32 hex digits: rows
    written together sit together in the primary-key index. For registrations, whose ids say
    nothing a list does not already show; persons keep random ids (they appear in URLs). The
    reading process stamps a batch's registrations with the time the batch began."""
    raw = bytearray(stamp + random10)
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def batch_prefix() -> bytes:
    """Six random bytes shared by the ids of the persons a batch creates (``_person_uuid_hex``)."""
    return os.urandom(6)


def _person_uuid_hex(prefix: bytes, random10: bytes) -> str:
    """A version 8 (custom) UUID as 32 hex digits: the batch's six random bytes, then ten random
    bytes of the person's own. A batch's persons sit together in the primary-key index and, through
    it, in the registrations' person index: a batch then writes a few hundred index pages instead
    of one per person (ADR 0009; the import's largest single cost). The ids stay opaque and
    unguessable (74 random bits of their own) and say nothing a list does not show."""
    raw = bytearray(prefix + random10)
    raw[6] = (raw[6] & 0x0F) | 0x80
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


MEMO_SIZE = 100_000  # distinct names or date texts a parser remembers

ROW_RANDOM = 44  # random bytes a row uses (``RowParser._prepare``)


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


_NUMERIC_TEXT = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+|\d{15,18}\.0*")
_ID_LIKE = re.compile(r"\d{15}|\d{17}[\dXx]")
_SUBTOTAL = re.compile(r"合计|小计|总计|共计|累计")
_NOTE_LINE = re.compile(
    r"制表|审核|填报|填表|报送|联系电话|联系人|日期|签字|签名|盖章|负责人|备注|说明|注[:：]|以上|单位[:：]"
)
SKIP_REASONS = frozenset({"blank_row", "subtotal_row", "note_row"})


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


class RowParser:
    """Cells of one row → a record (prepared or rejected, see ``Record``), for one import."""

    def __init__(
        self,
        mapping: dict[str, int],
        router: Router,
        user_id: int | None,
        today: date,
        keys: keyfilter.KeyFilter | None = None,
        risk_of: RiskMemo | None = None,
        year: int | None = None,
    ) -> None:
        self.mapping, self.router, self.user_id, self.today = mapping, router, user_id, today
        # The year of dates written without one: the list's own (``importheader.list_year``),
        # else the import's; the texts that needed it are noted for the outcome.
        self.year = year or today.year
        self.yearless: list[str] = []
        self._serial_at = mapping.get("serial")
        self.keys = keys
        self.risk_of = risk_of or RiskMemo()
        self._seal_id, self._seal_phone = crypto.sealer(ID_LABEL), crypto.sealer(PHONE_LABEL)
        self._index_id, self._index_phone = crypto.indexer(ID_LABEL), crypto.indexer(PHONE_LABEL)
        # Column positions in the order ``parse`` unpacks them; a column the file lacks points
        # past its last cell, at the None that ``parse`` pads short rows with.
        self._width = max(mapping.values(), default=-1) + 1
        self._positions = tuple(mapping.get(name, self._width) for name in FIELDS)
        self._origins: dict[str, str | None] = {}
        self._dates: dict[str, date] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self.prefix, self.stamp = batch_prefix(), time_prefix()

    def new_batch(self) -> None:
        """Called by the reader before every batch after the first: new id prefixes."""
        self.prefix, self.stamp = batch_prefix(), time_prefix()

    def _origin(self, raw: str) -> str | None:
        try:
            return self._origins[raw]
        except KeyError:
            code = self._origins[raw] = divisions.resolve(raw)
            return code

    def _spelling(self, full_name: str) -> tuple[str, str]:
        """A name's pinyin and initials (names repeat: 张伟 is in every list)."""
        try:
            return self._names[full_name]
        except KeyError:
            spelled = (names.pinyin(full_name), names.initials(full_name))
            if len(self._names) < MEMO_SIZE:
                self._names[full_name] = spelled
            return spelled

    def parse(self, row_number: int, cells: Sequence[Any], now: Any) -> Record:
        """One row alone (``parse_batch`` of one)."""
        return self.parse_batch([(row_number, cells)], now)[0]

    def parse_batch(self, rows: Sequence[tuple[int, Sequence[Any]]], now: Any) -> list[Record]:
        """Numbered rows (ascending, as a sheet gives them) → their records, in row order.
        Column by column: a batch's cells are transposed once and each check runs over a whole
        column (the Python cost of a call and of a row's bookkeeping is paid per column, not
        per cell). A row's reason codes come in the order of the checks below."""
        n = len(rows)
        if not n:
            return []
        width = self._width
        # Transposed: one tuple per column, as long as the longest row (None fills the short
        # ones). A column the file lacks, or beyond every row's end, is all None: a longer row's
        # unmapped cells never stand in for a missing column.
        table = list(zip_longest(*[cells for _n, cells in rows]))
        nones: tuple[Any, ...] = (None,) * n

        def column(position: int) -> Sequence[Any]:
            return table[position] if position < width and position < len(table) else nones

        (
            i_name,
            i_id,
            i_phone,
            i_origin,
            i_departure,
            i_arrival,
            i_transport,
            i_number,
            i_address,
        ) = self._positions
        bad: dict[int, list[str]] = {}  # row index → reason codes, for the rows that have one

        full_names = texts(column(i_name))
        for i, name in enumerate(full_names):
            if problem := rules.name_problem(name):
                bad.setdefault(i, []).append(problem)
        documents = self._documents(column(i_id), bad)
        phones = self._phones(texts(column(i_phone)), bad)
        origins = self._origins_of(texts(column(i_origin)), bad)
        departures = self._dates_of(column(i_departure), bad, "departure_date_invalid")
        arrivals = self._dates_of(column(i_arrival), bad, "arrival_date_invalid")
        today = self.today
        for i, (departure, arrival) in enumerate(zip(departures, arrivals, strict=True)):
            if departure is None and arrival is None:
                continue
            if (arrival and arrival > today) or (departure and departure > today):
                bad.setdefault(i, []).append("date_in_future")
            if departure and arrival and arrival < departure:
                bad.setdefault(i, []).append("arrival_before_departure")

        transport_numbers = texts(column(i_number))
        for i, number in enumerate(transport_numbers):
            if problem := rules.transport_number_problem(number):
                bad.setdefault(i, []).append(problem)
        addresses = texts(column(i_address))
        for i, address in enumerate(addresses):
            if problem := rules.address_problem(address):
                bad.setdefault(i, []).append(problem)

        if bad:
            self._not_people(rows, bad, i_name)
        good = [i for i in range(n) if i not in bad] if bad else range(n)
        records = self._prepare(
            [rows[i][0] for i in good],
            _take(good, full_names),
            _take(good, documents),
            _take(good, phones),
            _take(good, origins),
            _take(good, departures),
            _take(good, arrivals),
            _take(good, texts(column(i_transport))),
            _take(good, transport_numbers),
            _take(good, addresses),
            now,
        )
        if bad:
            records.extend((rows[i][0], ",".join(codes)) for i, codes in bad.items())
            records.sort(key=itemgetter(ROW))
        return records

    def _not_people(
        self, rows: Sequence[tuple[int, Sequence[Any]]], bad: dict[int, list[str]], i_name: int
    ) -> None:
        """Rejected rows that are not people — blank (a pre-numbered template's empty lines), a
        subtotal, a signature or footer line, a title — are skipped instead, with their kind.
        Asked of rejected rows only: a person's row passes the checks."""
        serial = self._serial_at
        for i in list(bad):
            kind = not_a_person(rows[i][1], serial, i_name)
            if kind:
                bad[i] = [kind]

    def _prepare(
        self,
        row_numbers: list[int],
        full_names: list[str],
        documents: list[tuple[str, str, date | None]],
        phones: list[str],
        origins: list[str],
        departures: list[date | None],
        arrivals: list[date | None],
        transports: list[str],
        transport_numbers: list[str],
        addresses: list[str],
        now: Any,
    ) -> list[Record]:
        """Records of the rows that passed every check, built column by column (``zip`` makes
        the tuples)."""
        m = len(row_numbers)
        if not m:
            return []
        numbers, genders, births = zip(*documents, strict=True)
        departures_s = [d.isoformat() if d else None for d in departures]
        arrivals_s = [d.isoformat() if d else None for d in arrivals]
        sha256 = hashlib.sha256
        # The same row imported again (from any file) has the same key: nothing is added twice.
        # This is json.dumps([number, origin, str(departure), str(arrival)]) of the first
        # version, spelled out (digits, X, ISO dates and None need no escaping).
        import_keys = [
            sha256(
                f'import:["{number}", "{origin}", "{departure}", "{arrival}"]'.encode()
            ).hexdigest()[:32]
            for number, origin, departure, arrival in zip(
                numbers, origins, departures, arrivals, strict=True
            )
        ]
        bidxs = list(map(self._index_id, numbers))
        # Random bytes of each row: its registration's id (10), its person's id (10), and the
        # nonces that seal its ID number and phone (12 each), drawn once for the batch.
        entropy = os.urandom(ROW_RANDOM * m)
        starts = range(0, ROW_RANDOM * m, ROW_RANDOM)
        stamp, prefix = self.stamp, self.prefix
        route = self.router.route
        regions = [route(address) for address in addresses]
        region_codes = [region.code if region else "" for region in regions]
        travels = [a or d for a, d in zip(arrivals_s, departures_s, strict=True)]
        risk_of = self.risk_of
        categories = [
            risk_of(origin, travel, code) if code else ""
            for origin, travel, code in zip(origins, travels, region_codes, strict=True)
        ]
        registration_ids = [_time_ordered_uuid_hex(stamp, entropy[j : j + 10]) for j in starts]
        transports = [TRANSPORT_WORDS.get(t, t if t in TRANSPORTS else "") for t in transports]
        spelled = [self._spelling(name) for name in full_names]
        pinyins = [pinyin for pinyin, _initials in spelled]
        name_births = list(map(names.name_birth_key, pinyins, births))
        phone_bidxs = list(map(self._index_phone, phones))
        persons: list[tuple[Any, ...]] = list(
            zip(
                [_person_uuid_hex(prefix, entropy[j + 10 : j + 20]) for j in starts],
                full_names,
                pinyins,
                [initials for _pinyin, initials in spelled],
                name_births,
                repeat("resident_id"),
                list(map(self._seal_id, numbers, [entropy[j + 20 : j + 32] for j in starts])),
                bidxs,
                list(map(mask_id, numbers)),
                genders,
                [birth.isoformat() if birth else None for birth in births],
                list(map(self._seal_phone, phones, [entropy[j + 32 : j + 44] for j in starts])),
                phone_bidxs,
                [mask_phone(phone) if phone else "" for phone in phones],
                [region.pk if region else 0 for region in regions],
                region_codes,
                addresses,
                repeat(None),  # household
                repeat(""),  # workplace
                repeat(""),  # notes
                repeat("active"),
                repeat(None),  # merged into
                repeat(self.user_id),
                repeat(now),
                repeat(now),
            )
        )
        answers = [""] * m
        ambiguous = self.router.is_ambiguous
        for j in [j for j, region in enumerate(regions) if region is None]:
            # No community named: the row can only link, or wait in the "to route" queue with
            # its answers encrypted; it makes no person and probes no name or phone.
            persons[j], name_births[j], phone_bidxs[j] = (), "", ""
            if ambiguous(addresses[j]):  # said in the queue's reason (``AMBIGUOUS``)
                region_codes[j] = AMBIGUOUS
            answers[j] = payload(
                full_names[j],
                numbers[j],
                phones[j],
                origins[j],
                departures[j],
                arrivals[j],
                transports[j],
                transport_numbers[j],
                addresses[j],
            )
        # The registration row whole (``importer.REGISTRATION_COLUMNS``), for the person the row
        # creates: the writer takes it as it is when the key filter says nobody has the
        # document, and puts in the person found otherwise.
        registrations = list(
            zip(
                registration_ids,
                [person[0] if person else None for person in persons],
                region_codes,
                repeat("import"),
                origins,
                departures_s,
                arrivals_s,
                transports,
                transport_numbers,
                repeat(False),  # contact with cases
                repeat(""),  # case status
                repeat(sql.JSON_EMPTY_LIST),  # symptoms
                repeat(""),  # health code
                categories,  # computed
                categories,  # category
                repeat(""),  # override reason
                repeat(None),  # overridden by
                repeat("verified"),
                import_keys,
                repeat(self.user_id),
                repeat(now),
            )
        )
        keys = self.keys
        probes = (
            keys.probes_of(bidxs, import_keys, name_births, phone_bidxs)
            if keys is not None
            else [keyfilter.ALL] * m
        )
        return list(
            zip(
                row_numbers,
                bidxs,
                import_keys,
                persons,
                registrations,
                answers,
                probes,
                strict=True,
            )
        )

    def _documents(
        self, cells: Sequence[Any], bad: dict[int, list[str]]
    ) -> list[tuple[str, str, date | None]]:
        """(number, gender, birth date) of each ID cell; ("", "", None) for a rejected one."""
        out: list[tuple[str, str, date | None]] = []
        fields_of = resident_id_fields
        for i, raw in enumerate(cells):
            if type(raw) is str:
                raw_number = raw.strip() if raw.isprintable() and "  " not in raw else text(raw)
            elif isinstance(raw, int | float) and not isinstance(raw, bool):
                bad.setdefault(i, []).append("id_numeric_cell")
                out.append(NO_DOCUMENT)
                continue
            else:
                raw_number = text(raw)
            fields = fields_of(raw_number)
            if fields is not None:
                out.append(fields)
                continue
            try:
                rid = parse_resident_id(raw_number)
            except InvalidInput as exc:
                # A number Excel wrote as "4.20902E+17" (a CSV of a numeric column): the same
                # loss as a number cell, the same reason.
                numeric = _NUMERIC_TEXT.fullmatch(raw_number)
                bad.setdefault(i, []).append("id_numeric_cell" if numeric else exc.code)
                out.append(NO_DOCUMENT)
            else:
                out.append((rid.number, rid.gender, rid.birth_date))
        return out

    def _phones(self, raws: list[str], bad: dict[int, list[str]]) -> list[str]:
        """Each phone in E.164, "" for none; an invalid one is a reason."""
        out: list[str] = []
        for i, raw in enumerate(raws):
            if (
                len(raw) == 11
                and raw[0] == "1"
                and raw[1] in "3456789"
                and raw.isascii()
                and (raw.isdigit())
            ):
                out.append("+86" + raw)  # a plain mobile number (most of a list): ``parse_phone``'s
            elif raw:
                out.append(self._phone(i, raw, bad))
            else:
                out.append("")
        return out

    @staticmethod
    def _phone(i: int, raw: str, bad: dict[int, list[str]]) -> str:
        try:
            return parse_phone(raw)
        except InvalidInput:
            bad.setdefault(i, []).append("phone_invalid")
            return ""

    def _origins_of(self, raws: list[str], bad: dict[int, list[str]]) -> list[str]:
        """Each origin's division code, "" for none; an unknown place is a reason."""
        known = self._origins
        out: list[str] = []
        for i, raw in enumerate(raws):
            if not raw:
                out.append("")
                continue
            code = known[raw] if raw in known else self._origin(raw)
            if not code:
                bad.setdefault(i, []).append("origin_unknown")
            out.append(code or "")
        return out

    def _dates_of(
        self, cells: Sequence[Any], bad: dict[int, list[str]], code: str
    ) -> list[date | None]:
        """``date_cell`` of each cell; the valid dates written as text are remembered (a list
        repeats a few)."""
        memo, year, today, yearless = self._dates, self.year, self.today, self.yearless
        out: list[date | None] = []
        for i, value in enumerate(cells):
            found = memo.get(value) if type(value) is str else None
            if found is None and value is not None and value != "":
                reasons: list[str] = []
                found = date_cell(value, reasons, code, year, today, yearless)
                if reasons:
                    bad.setdefault(i, []).extend(reasons)
                elif found is not None and type(value) is str and len(memo) < MEMO_SIZE:
                    memo[value] = found
            out.append(found)
        return out
