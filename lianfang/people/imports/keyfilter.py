"""Which keys of an import may already exist: a bitmap over hashes of the registry's keys
(document blind indexes, import keys, name-and-birth keys, phone blind indexes) and of the keys
met earlier in the same file. "No" is certain; "maybe" means the writer looks the key up. Most
rows of an arrival list are new people, so most lookups are skipped (ADR 0008).

Built by the writing process (which holds the database connection) and asked by the reading
process: the hashes are deterministic (two CRC-32s of the key), unlike Python's salted
``hash``. Keys written by somebody else after the filter was built
are not in it; the writer notices the conflicts that matter (a unique index) and redoes the
batch with every lookup (``writer.write_batch``)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from zlib import crc32

from lianfang.people.imports import fastsql

DOCUMENT, IMPORT_KEY, NAME_BIRTH, PHONE = 1, 2, 4, 8
ALL = DOCUMENT | IMPORT_KEY | NAME_BIRTH | PHONE
_SALT = {
    DOCUMENT: 0,
    IMPORT_KEY: 0x9E3779B97F4A7C15,
    NAME_BIRTH: 0xC2B2AE3D27D4EB4F,
    PHONE: 0x165667B19E3779F9,
}
MIN_BITS, MAX_BITS = 1 << 20, 1 << 30  # 128 KB … 128 MB


class KeyFilter:
    def __init__(self, expected_keys: int) -> None:
        bits = (max(expected_keys, 1) * 16).bit_length()  # ≥ 16 bits a key: ~6 % false "maybe"
        size = min(max(1 << bits, MIN_BITS), MAX_BITS)
        self.mask = size - 1
        self.bits = bytearray(size >> 3)

    def add_all(self, kind: int, keys: Iterable[str]) -> None:
        mask, bits = self.mask, self.bits
        for key in keys:
            if key:
                i = _hash(kind, key) & mask
                bits[i >> 3] |= 1 << (i & 7)

    def maybe(self, kind: int, key: str) -> bool:
        """Was this key (maybe) seen? Then add it: later rows with it must look it up."""
        i = _hash(kind, key) & self.mask
        byte, bit = self.bits[i >> 3], 1 << (i & 7)
        if byte & bit:
            return True
        self.bits[i >> 3] = byte | bit
        return False

    def probes_of(
        self,
        bidxs: Sequence[str],
        import_keys: Sequence[str],
        name_births: Sequence[str],
        phones: Sequence[str],
    ) -> list[int]:
        """``maybe`` of each row's four keys (empty ones left out), as ``ALL``'s bits, for a batch
        given as the columns of its keys and asked column by column: the reading process asks
        this for every row, so the hashing is spelled out here. A key
        seen before — in the registry or in an earlier row, as the same kind — always answers
        "maybe"; only the false "maybe"s (another key's bit) can differ from asking row by row."""
        mask, bits = self.mask, self.bits
        found = [0] * len(bidxs)
        for kind, column in (
            (DOCUMENT, bidxs),
            (IMPORT_KEY, import_keys),
            (NAME_BIRTH, name_births),
            (PHONE, phones),
        ):
            salt = _SALT[kind]
            for row, key in enumerate(column):
                if key:
                    raw = key.encode()
                    i = ((crc32(raw) | crc32(raw, 0x5BD1E995) << 32) ^ salt) & mask
                    byte, bit = bits[i >> 3], 1 << (i & 7)
                    if byte & bit:
                        found[row] |= kind
                    else:
                        bits[i >> 3] = byte | bit
        return found


def _hash(kind: int, key: str) -> int:
    raw = key.encode()
    return (zlib.crc32(raw) | zlib.crc32(raw, 0x5BD1E995) << 32) ^ _SALT[kind]


def from_registry() -> KeyFilter:
    """Every key the registry holds now, read in one pass per table."""
    persons, registrations = fastsql.registry_size()
    # Keys of the file come on top: room for as many again.
    keys = KeyFilter(2 * (3 * persons + registrations) + 4_000_000)
    for table, rows in fastsql.registry_keys():
        if table == "person":
            keys.add_all(DOCUMENT, (r[0] for r in rows))
            keys.add_all(NAME_BIRTH, (r[1] for r in rows))
            keys.add_all(PHONE, (r[2] for r in rows))
        else:
            keys.add_all(IMPORT_KEY, (r[0] for r in rows))
    return keys
