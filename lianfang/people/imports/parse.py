"""One imported row → a record ready to write (``records.Prepared``), or a rejection with
reason codes (``records.Rejected``).

This runs in the import's reading process (``worker``), next to the file: validation, encryption,
blind indexes, pinyin and routing all happen here, so the writing process only looks up, decides
and inserts. Dates are ISO strings, which both databases take as they are."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import astuple
from datetime import date
from itertools import repeat, zip_longest
from operator import attrgetter
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
from lianfang.people import names, risk, rules
from lianfang.people.imports import keyfilter
from lianfang.people.imports.cells import (
    NUMERIC_TEXT,
    batch_prefix,
    date_cell,
    not_a_person,
    payload,
    person_uuid_hex,
    take,
    text,
    texts,
    time_ordered_uuid_hex,
    time_prefix,
)
from lianfang.people.imports.records import (
    AMBIGUOUS,
    PERSON_COLUMNS,
    REGISTRATION_COLUMNS,
    Prepared,
    Record,
    Rejected,
)
from lianfang.people.models import Transport
from lianfang.people.services import ID_LABEL, PHONE_LABEL
from lianfang.regions.selectors import Router

MEMO_SIZE = 100_000  # distinct names or date texts a parser remembers
ROW_RANDOM = 44  # random bytes a row uses (``RowParser._prepare``)

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


NO_DOCUMENT: tuple[str, str, date | None] = ("", "", None)


class RowParser:
    """Cells of rows → their records (``records.Prepared`` or ``Rejected``), for one import."""

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
        # The year of dates written without one: the list's own (``header.list_year``),
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
        for i, (d, a) in enumerate(zip(departures, arrivals, strict=True)):
            if d is None and a is None:
                continue
            for code in dict.fromkeys(c for _f, c in rules.travel_date_problems(d, a, today)):
                bad.setdefault(i, []).append(code)

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
            take(good, full_names),
            take(good, documents),
            take(good, phones),
            take(good, origins),
            take(good, departures),
            take(good, arrivals),
            take(good, texts(column(i_transport))),
            take(good, transport_numbers),
            take(good, addresses),
            now,
        )
        if bad:
            records.extend(Rejected(rows[i][0], ",".join(codes)) for i, codes in bad.items())
            records.sort(key=attrgetter("row"))
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
        the tuples). Long because it is the batch's one list of derived columns, each a line:
        split, the same dozen columns would be handed from function to function."""
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
        registration_ids = [time_ordered_uuid_hex(stamp, entropy[j : j + 10]) for j in starts]
        transports = [TRANSPORT_WORDS.get(t, t if t in TRANSPORTS else "") for t in transports]
        spelled = [self._spelling(name) for name in full_names]
        pinyins = [pinyin for pinyin, _initials in spelled]
        name_births = list(map(names.name_birth_key, pinyins, births))
        phone_bidxs = list(map(self._index_phone, phones))
        persons = self._person_rows(
            {
                "id": [person_uuid_hex(prefix, entropy[j + 10 : j + 20]) for j in starts],
                "full_name": full_names,
                "name_pinyin": pinyins,
                "name_initials": [initials for _pinyin, initials in spelled],
                "name_birth_key": name_births,
                "id_number_enc": list(
                    map(self._seal_id, numbers, [entropy[j + 20 : j + 32] for j in starts])
                ),
                "id_number_bidx": bidxs,
                "id_number_masked": list(map(mask_id, numbers)),
                "gender": genders,
                "birth_date": [birth.isoformat() if birth else None for birth in births],
                "phone_enc": list(
                    map(self._seal_phone, phones, [entropy[j + 32 : j + 44] for j in starts])
                ),
                "phone_bidx": phone_bidxs,
                "phone_masked": [mask_phone(phone) if phone else "" for phone in phones],
                "region": [region.pk if region else 0 for region in regions],
                "region_code": region_codes,
                "address": addresses,
            },
            now,
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
        registrations = self._registration_rows(
            {
                "id": registration_ids,
                "person": [person[0] if person else None for person in persons],
                "region_code": region_codes,
                "origin_code": origins,
                "departure_date": departures_s,
                "arrival_date": arrivals_s,
                "transport": transports,
                "transport_number": transport_numbers,
                "risk_computed": categories,
                "risk_category": categories,
                "import_key": import_keys,
            },
            now,
        )
        keys = self.keys
        probes = (
            keys.probes_of(bidxs, import_keys, name_births, phone_bidxs)
            if keys is not None
            else [keyfilter.ALL] * m
        )
        return list(
            map(
                Prepared._make,
                zip(
                    row_numbers,
                    bidxs,
                    import_keys,
                    persons,
                    registrations,
                    answers,
                    probes,
                    strict=True,
                ),
            )
        )

    def _person_rows(self, columns: dict[str, Any], now: Any) -> list[tuple[Any, ...]]:
        """``PersonRow`` tuples from the batch's columns by name (the columns every imported
        person has the same value in are filled in here)."""
        same = {
            "doc_type": "resident_id",
            "household": None,
            "workplace": "",
            "notes": "",
            "status": "active",
            "merged_into": None,
            "created_by": self.user_id,
            "created_at": now,
            "updated_at": now,
        }
        return _rows(PERSON_COLUMNS, columns, same)

    def _registration_rows(self, columns: dict[str, Any], now: Any) -> list[tuple[Any, ...]]:
        """``RegistrationRow`` tuples, whole, for the person each row creates: the writer takes
        one as it is when the key filter says nobody has the document, and puts in the person
        found otherwise."""
        same = {
            "source": "import",
            "contact_with_cases": False,
            "case_status": "",
            "symptoms": sql.JSON_EMPTY_LIST,
            "health_code": "",
            "risk_override_reason": "",
            "risk_overridden_by": None,
            "verification": "verified",
            "registered_by": self.user_id,
            "registered_at": now,
        }
        return _rows(REGISTRATION_COLUMNS, columns, same)

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
                numeric = NUMERIC_TEXT.fullmatch(raw_number)
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


def _rows(
    declared: tuple[str, ...], columns: dict[str, Any], same: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """Rows in the declared column order, from a list per column or one value for all: a column
    named in neither, or one the declaration lacks, raises (the two cannot drift apart)."""
    if set(columns) | set(same) != set(declared):
        raise ValueError(
            f"columns differ from the declaration: {sorted(set(declared) ^ {*columns, *same})}"
        )
    # Not strict: the columns of one value are endless ``repeat``s.
    return list(
        zip(*[columns[c] if c in columns else repeat(same[c]) for c in declared], strict=False)
    )
