"""One imported row → a record ready to write, or a rejection with reason codes.

This runs in the import's reading process (``import_worker``), next to the file: validation,
encryption, blind indexes, pinyin and routing all happen here, so the writing process only looks
up, decides and inserts. Records are plain named tuples of strings and numbers (cheap to send
between processes); dates are ISO strings, which both databases take as they are."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from lianfang.core import crypto
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import (
    mask_id,
    mask_phone,
    parse_phone,
    parse_resident_id,
    resident_id_fields,
)
from lianfang.core.regioncode import subtree_q
from lianfang.people import divisions, keyfilter, names
from lianfang.people.models import Transport
from lianfang.people.services import ID_LABEL, PHONE_LABEL

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


class RegionRef(NamedTuple):
    """A building or community a row is routed to (plain data: crosses process boundaries)."""

    pk: int
    code: str


class Router:
    """Finds the community (and building) an address names, inside the importer's territory."""

    def __init__(
        self,
        communities: list[tuple[str, RegionRef]],
        buildings: dict[str, list[tuple[str, RegionRef]]],
    ) -> None:
        self.communities = sorted(communities, key=lambda x: -len(x[0]))
        self.buildings = {k: sorted(v, key=lambda x: -len(x[0])) for k, v in buildings.items()}
        self._memo: dict[str, RegionRef | None] = {}

    @classmethod
    def for_territory(cls, region_code: str) -> Router:
        from lianfang.regions.models import Level, Region

        regions = Region.objects.filter(subtree_q("code", region_code), is_active=True)
        communities: list[tuple[str, RegionRef]] = []
        buildings: dict[str, list[tuple[str, RegionRef]]] = {}
        rows = regions.filter(level__in=[Level.COMMUNITY, Level.BUILDING]).order_by("code")
        for pk, code, name, level in rows.values_list("pk", "code", "name", "level"):
            ref = RegionRef(pk, code)
            if level == Level.COMMUNITY:
                for variant in {name, name.removesuffix("社区")}:
                    if len(variant) >= 2:
                        communities.append((variant, ref))
            else:
                buildings.setdefault(code[:12], []).append((name, ref))
        return cls(communities, buildings)

    def to_data(self) -> tuple[Any, Any]:
        """Plain tuples, for the reading process (which unpickles them before Django is set up)."""
        return (
            [(name, tuple(ref)) for name, ref in self.communities],
            {k: [(name, tuple(ref)) for name, ref in v] for k, v in self.buildings.items()},
        )

    @classmethod
    def from_data(cls, data: tuple[Any, Any]) -> Router:
        communities, buildings = data
        return cls(
            [(name, RegionRef(*ref)) for name, ref in communities],
            {k: [(name, RegionRef(*ref)) for name, ref in v] for k, v in buildings.items()},
        )

    def route(self, address: str) -> RegionRef | None:
        try:
            return self._memo[address]
        except KeyError:
            pass
        found: RegionRef | None = None
        for name, community in self.communities:
            if name in address:
                found = community
                for bname, building in self.buildings.get(community.code, []):
                    if bname in address:
                        found = building
                        break
                break
        if len(self._memo) < 100_000:
            self._memo[address] = found
        return found


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


def date_cell(value: Any, reasons: list[str], code: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    cleaned = (
        raw.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    )
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in cleaned.split("-")))
    except ValueError:
        reasons.append(code)
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

# Random bytes a row uses: its registration's id (10), its person's id (10), and the nonces that
# seal its ID number and phone (12 each). Drawn from the system 64 KB at a time: one call to
# os.urandom costs more than the slicing of a pool.
ROW_RANDOM = 44
POOL_BYTES = ROW_RANDOM * 1489


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


class RowParser:
    """Cells of one row → a record (prepared or rejected, see ``Record``), for one import."""

    def __init__(
        self,
        mapping: dict[str, int],
        router: Router,
        user_id: int | None,
        today: date,
        keys: keyfilter.KeyFilter | None = None,
    ) -> None:
        self.mapping, self.router, self.user_id, self.today = mapping, router, user_id, today
        self.keys = keys
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
        self._pool, self._at = b"", 0

    def new_batch(self) -> None:
        """Called by the reader before every batch after the first: new id prefixes."""
        self.prefix, self.stamp = batch_prefix(), time_prefix()

    def _origin(self, raw: str) -> str | None:
        try:
            return self._origins[raw]
        except KeyError:
            code = self._origins[raw] = divisions.resolve(raw)
            return code

    def _date(self, value: Any, reasons: list[str], code: str) -> date | None:
        """``date_cell``, remembering the valid dates written as text (a list repeats a few)."""
        found = self._dates.get(value) if type(value) is str else None
        if found is None:
            found = date_cell(value, reasons, code)
            if found is not None and type(value) is str and len(self._dates) < MEMO_SIZE:
                self._dates[value] = found
        return found

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
        # Exactly the mapped width and one None after it (where missing columns point): a
        # longer row's unmapped cells must not stand in for a missing column.
        width = self._width
        if len(cells) >= width:
            cells = [*cells[:width], None]
        else:
            cells = [*cells, *[None] * (width + 1 - len(cells))]
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
        reasons: list[str] = []
        full_name = text(cells[i_name])
        if not full_name:
            reasons.append("name_missing")
        raw_id = cells[i_id]
        number, gender, birth = "", "", None
        if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
            reasons.append("id_numeric_cell")
        else:
            raw_number = text(raw_id)
            fields = resident_id_fields(raw_number)
            if fields is not None:
                number, gender, birth = fields
            else:
                try:
                    rid = parse_resident_id(raw_number)
                    number, gender, birth = rid.number, rid.gender, rid.birth_date
                except InvalidInput as exc:
                    reasons.append(exc.code)
        phone = ""
        raw_phone = text(cells[i_phone])
        if raw_phone:
            try:
                phone = parse_phone(raw_phone)
            except InvalidInput:
                reasons.append("phone_invalid")
        origin = ""
        raw_origin = text(cells[i_origin])
        if raw_origin:
            origin = self._origin(raw_origin) or ""
            if not origin:
                reasons.append("origin_unknown")
        departure = self._date(cells[i_departure], reasons, "departure_date_invalid")
        arrival = self._date(cells[i_arrival], reasons, "arrival_date_invalid")
        today = self.today
        if (arrival and arrival > today) or (departure and departure > today):
            reasons.append("date_in_future")
        if departure and arrival and arrival < departure:
            reasons.append("arrival_before_departure")
        if reasons:
            return (row_number, ",".join(reasons))
        transport_text = text(cells[i_transport])
        transport = TRANSPORT_WORDS.get(
            transport_text, transport_text if transport_text in TRANSPORTS else ""
        )
        transport_number = text(cells[i_number])[:30]
        address = text(cells[i_address])[:100]
        full_name = full_name[:50]
        departure_s = departure.isoformat() if departure else None
        arrival_s = arrival.isoformat() if arrival else None
        # The same row imported again (from any file) has the same key: nothing is added twice.
        # This is json.dumps([number, origin, str(departure), str(arrival)]) of the first
        # version, spelled out (digits, X, ISO dates and None need no escaping).
        key_source = f'import:["{number}", "{origin}", "{departure}", "{arrival}"]'
        bidx = self._index_id(number)
        region = self.router.route(address)
        at = self._at
        if at + ROW_RANDOM > len(self._pool):
            self._pool, at = os.urandom(POOL_BYTES), 0
        self._at = at + ROW_RANDOM
        entropy = self._pool[at : at + ROW_RANDOM]
        registration = (
            _time_ordered_uuid_hex(self.stamp, entropy[:10]),
            origin,
            departure_s,
            arrival_s,
            transport,
            transport_number,
            arrival_s or departure_s,
        )
        person: tuple[Any, ...] = ()
        answers = ""
        if region is None:
            answers = payload(
                full_name,
                number,
                phone,
                origin,
                departure,
                arrival,
                transport,
                transport_number,
                address,
            )
        else:
            pinyin, initials = self._spelling(full_name)
            person = (
                _person_uuid_hex(self.prefix, entropy[10:20]),
                full_name,
                pinyin,
                initials,
                names.name_birth_key(pinyin, birth),
                "resident_id",
                self._seal_id(number, entropy[20:32]),
                bidx,
                mask_id(number),
                gender,
                birth.isoformat() if birth else None,
                self._seal_phone(phone, entropy[32:44]),
                self._index_phone(phone),
                mask_phone(phone) if phone else "",
                region.pk,
                region.code,
                address,
                None,
                "",
                "",
                "active",
                None,
                self.user_id,
                now,
                now,
            )
        import_key = hashlib.sha256(key_source.encode()).hexdigest()[:32]
        return (
            row_number,
            bidx,
            import_key,
            person,
            registration,
            answers,
            self._probes(bidx, import_key, person),
        )

    def _probes(self, bidx: str, import_key: str, person: tuple[Any, ...]) -> int:
        keys = self.keys
        if keys is None:
            return keyfilter.ALL
        if person:
            return keys.probes(bidx, import_key, person[4], person[12])
        return keys.probes(bidx, import_key, "", "")
