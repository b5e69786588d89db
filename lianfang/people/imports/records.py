"""What the reading process hands the writer: one declaration per record and per table row.

A parsed row is a ``Prepared`` or a ``Rejected`` record. Its ``person`` and ``registration`` are
plain tuples in the column order of ``PersonRow`` and ``RegistrationRow`` (the writer inserts them
as they are; plain, because marshal takes exact tuples only); the positions the writer reads or
fills in are derived from those declarations, never written as numbers."""

from __future__ import annotations

from typing import Any, NamedTuple

PAYLOAD_LABEL = "importrow.payload"
AMBIGUOUS = "?"  # the region code of a queued row whose address names several communities
SKIP_REASONS = frozenset({"blank_row", "subtotal_row", "note_row"})


class Rejected(NamedTuple):
    """A row that is no person's (``SKIP_REASONS``) or has mistakes: comma-separated codes."""

    row: int
    reasons: str


class Prepared(NamedTuple):
    """A row that passed every check. ``person`` is the ``PersonRow`` of the person it creates if
    nobody has its document yet (empty when the address names no community: the row can then only
    link, or wait in the "to route" queue with its encrypted ``payload``); ``registration`` is its
    whole ``RegistrationRow``; ``probes`` the lookups the writer must make (keyfilter kinds)."""

    row: int
    bidx: str
    import_key: str
    person: tuple[Any, ...]
    registration: tuple[Any, ...]
    payload: str
    probes: int


Record = Prepared | Rejected


class PersonRow(NamedTuple):
    """A ``people_person`` row as the import writes it (``Person``'s columns)."""

    id: str
    full_name: str
    name_pinyin: str
    name_initials: str
    name_birth_key: str
    doc_type: str
    id_number_enc: str
    id_number_bidx: str
    id_number_masked: str
    gender: str
    birth_date: str | None
    phone_enc: str
    phone_bidx: str
    phone_masked: str
    region: int
    region_code: str
    address: str
    household: Any
    workplace: str
    notes: str
    status: str
    merged_into: Any
    created_by: int | None
    created_at: Any
    updated_at: Any


class RegistrationRow(NamedTuple):
    """A ``people_registration`` row as the import writes it."""

    id: str
    person: str | None
    region_code: str
    source: str
    origin_code: str
    departure_date: str | None
    arrival_date: str | None
    transport: str
    transport_number: str
    contact_with_cases: bool
    case_status: str
    symptoms: str
    health_code: str
    risk_computed: str
    risk_category: str
    risk_override_reason: str
    risk_overridden_by: int | None
    verification: str
    import_key: str
    registered_by: int | None
    registered_at: Any


PERSON_COLUMNS: tuple[str, ...] = PersonRow._fields
REGISTRATION_COLUMNS: tuple[str, ...] = RegistrationRow._fields
ROW_COLUMNS = ("job", "row_number", "outcome", "reasons", "person", "payload_enc")

# Positions the writer reads in a person row, and reads or fills in in a registration row (a row
# that links to a person found in the registry takes that person's id, community and risk).
P_PK, P_FULL_NAME, P_NAME_BIRTH, P_ID_ENC, P_BIDX, P_PHONE_ENC, P_PHONE_BIDX = map(
    PERSON_COLUMNS.index,
    ("id", "full_name", "name_birth_key", "id_number_enc", "id_number_bidx", "phone_enc",
     "phone_bidx"),
)  # fmt: skip
P_REGION_CODE, P_ADDRESS = map(PERSON_COLUMNS.index, ("region_code", "address"))
R_PERSON, R_REGION_CODE, R_ORIGIN, R_DEPARTURE, R_ARRIVAL = map(
    REGISTRATION_COLUMNS.index,
    ("person", "region_code", "origin_code", "departure_date", "arrival_date"),
)
R_TRANSPORT, R_TRANSPORT_NUMBER, R_RISK_COMPUTED, R_RISK_CATEGORY = map(
    REGISTRATION_COLUMNS.index,
    ("transport", "transport_number", "risk_computed", "risk_category"),
)


def to_plain(records: list[Record]) -> list[tuple[Any, ...]]:
    """Records as marshal takes them (exact tuples), for the pipe between the processes."""
    return [tuple(r) for r in records]


def from_plain(rows: list[tuple[Any, ...]]) -> list[Record]:
    """``to_plain``'s rows as records again: a rejected row has two fields."""
    prepared, rejected = Prepared._make, Rejected._make
    return [rejected(r) if len(r) == 2 else prepared(r) for r in rows]
