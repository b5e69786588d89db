"""Key rotation: re-encrypt every encrypted column under the active key id. Idempotent (values
already under the active key are skipped) and batched (each batch commits), so it can be
interrupted and run again."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lianfang.core import crypto
from lianfang.people.imports import records
from lianfang.people.models import ImportRow, Person, SelfReport
from lianfang.people.selfreg import selectors as selfreg_selectors
from lianfang.people.services import ID_LABEL, PHONE_LABEL

# model, [(column, label)]
ENCRYPTED: list[tuple[Any, list[tuple[str, str]]]] = [
    (Person, [("id_number_enc", ID_LABEL), ("phone_enc", PHONE_LABEL)]),
    (SelfReport, [("payload_enc", selfreg_selectors.PAYLOAD_LABEL)]),
    (ImportRow, [("payload_enc", records.PAYLOAD_LABEL)]),
]


def rotate(batch: int = 1000) -> dict[str, int]:
    active = crypto.keyring().active_kid
    counts: dict[str, int] = {}
    for model, columns in ENCRYPTED:
        changed = 0
        last_pk: Any = None
        while True:
            qs = model.objects.order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            rows = list(qs.only("pk", *[c for c, _ in columns])[:batch])
            if not rows:
                break
            last_pk = rows[-1].pk
            dirty = []
            for row in rows:
                touched = False
                for column, label in columns:
                    value = getattr(row, column)
                    if value and crypto.key_id(value) != active:
                        setattr(row, column, crypto.encrypt(crypto.decrypt(value, label), label))
                        touched = True
                if touched:
                    dirty.append(row)
            with transaction.atomic():
                model.objects.bulk_update(dirty, [c for c, _ in columns], batch_size=500)
            changed += len(dirty)
        counts[model.__name__] = changed
    return counts
