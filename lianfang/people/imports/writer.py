"""Writing a batch of records: link each row to the person its document finds, or create the
person; add its registration unless the same row was imported before; record every row's
outcome. Never blocks on a decision:

- an exact document match links the row to the existing person;
- a new person sharing a phone, or a pinyin name and birth date, with another becomes a
  duplicate candidate;
- a bad row is rejected with reason codes (``parse``);
- a row whose address names no community of the importer's territory waits in the "to route"
  queue (encrypted) until a sub-district or district user assigns it.

Each batch commits persons, registrations and row outcomes together; a resumed import skips rows
that already have an outcome (``recorded_rows``), so a killed import resumes and a re-run ends in
the same state. The same row imported again adds nothing (registration ``import_key``)."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from lianfang.core import crypto, sql
from lianfang.people.imports import fastsql, keyfilter, rowranges
from lianfang.people.imports.cells import payload
from lianfang.people.imports.parse import RiskMemo
from lianfang.people.imports.records import (
    AMBIGUOUS,
    P_ADDRESS,
    P_BIDX,
    P_FULL_NAME,
    P_ID_ENC,
    P_NAME_BIRTH,
    P_PHONE_BIDX,
    P_PHONE_ENC,
    P_PK,
    P_REGION_CODE,
    PERSON_COLUMNS,
    R_ARRIVAL,
    R_DEPARTURE,
    R_ORIGIN,
    R_PERSON,
    R_REGION_CODE,
    R_RISK_CATEGORY,
    R_RISK_COMPUTED,
    R_TRANSPORT,
    R_TRANSPORT_NUMBER,
    REGISTRATION_COLUMNS,
    ROW_COLUMNS,
    SKIP_REASONS,
    Prepared,
    Record,
    Rejected,
)
from lianfang.people.models import (
    DuplicateCandidate,
    ImportBatch,
    ImportJob,
    ImportRow,
    Person,
    Registration,
    RowOutcome,
)
from lianfang.people.services import ID_LABEL, PHONE_LABEL

__all__ = ["recorded_count", "recorded_rows", "write_batch"]


def recorded_rows(job: ImportJob) -> set[int]:
    """Row numbers that already have an outcome (a resumed import skips them)."""
    rows = set(ImportRow.objects.filter(job=job).values_list("row_number", flat=True))
    for created, linked in ImportBatch.objects.filter(job=job).values_list(
        "created_rows", "linked_rows"
    ):
        rows.update(rowranges.unpack(created))
        rows.update(rowranges.unpack(linked))
    return rows


def recorded_count(job: ImportJob) -> int:
    batches = ImportBatch.objects.filter(job=job).values_list("created_rows", "linked_rows")
    return ImportRow.objects.filter(job=job).count() + sum(
        rowranges.count(created) + rowranges.count(linked) for created, linked in batches
    )


def write_batch(
    job: ImportJob,
    records: list[Record],
    risk_of: RiskMemo | None = None,
    *,
    contended: bool = True,
    found: dict[str, tuple[str, str]] | None = None,
    first_rows: dict[str, int] | None = None,
) -> dict[str, int]:
    """Link, create and record one batch. The caller leaves out rows already recorded (a resumed
    import skips them: ``recorded_rows``). Lookups are made for the keys the
    reading process could not rule out (a record's probes); if a key it ruled out was written
    meanwhile by somebody else, a unique index says so and the batch is written again with every
    lookup: for that, a ``contended`` batch is written in a savepoint. The caller may say the
    batch is not contended when nobody else can have written since the key filter was built
    (``fastsql.BulkSession.contended``): on SQLite a savepoint copies every page the batch
    touches. ``found``: persons the batch's documents found beforehand in the committed registry
    (``reading._found_beforehand``); the documents not among them are asked here. ``first_rows``:
    the import key → row number of the rows this file created or linked so far (a row repeated
    later in the file is linked to its first, and its outcome names it)."""
    first_rows = {} if first_rows is None else first_rows
    if not contended:
        return _write_batch(job, records, risk_of or RiskMemo(), found, first_rows)
    try:
        with transaction.atomic():
            return _write_batch(job, records, risk_of or RiskMemo(), found, first_rows)
    except IntegrityError:
        if all(isinstance(r, Rejected) or r.probes == keyfilter.ALL for r in records):
            raise
    for r in records:  # the rolled-back batch's rows are not "earlier in this file"
        if isinstance(r, Prepared) and first_rows.get(r.import_key) == r.row:
            del first_rows[r.import_key]
    everything = [
        r if isinstance(r, Rejected) else r._replace(probes=keyfilter.ALL) for r in records
    ]
    with transaction.atomic():
        return _write_batch(job, everything, risk_of or RiskMemo(), found, first_rows)


def _write_batch(
    job: ImportJob,
    records: list[Record],
    risk_of: RiskMemo,
    found: dict[str, tuple[str, str]] | None,
    first_rows: dict[str, int],
) -> dict[str, int]:
    prior = fastsql.no_scans()
    batch = _Batch(job, records, risk_of, found, first_rows)
    for r in records:
        if isinstance(r, Rejected):
            batch.reject(r)
        elif not r.probes & keyfilter.DOCUMENT and r.person:
            batch.create(r)
        else:
            batch.decide(r)
    batch.write()
    fastsql.restore_scans(prior)
    return batch.counts


class _Batch:
    """One batch's decisions, then its writes. ``create`` is the path of most rows (a new person
    the key filter is sure of); ``decide`` looks at what the lookups found."""

    def __init__(
        self,
        job: ImportJob,
        records: list[Record],
        risk_of: RiskMemo,
        found: dict[str, tuple[str, str]] | None,
        first_rows: dict[str, int],
    ) -> None:
        self.job, self.size, self.risk_of, self.first_rows = job, len(records), risk_of, first_rows
        self.job_pk, self.dry, self.territory = sql.db_uuid(job.pk), job.dry_run, job.region_code
        self.counts = dict.fromkeys(RowOutcome.values, 0)
        prepared = [r for r in records if isinstance(r, Prepared)]
        wanted = {p.bidx for p in prepared if p.probes & keyfilter.DOCUMENT}
        # Persons created by earlier batches of this file are found here too (same connection);
        # those found beforehand in the committed registry (``found``) are not asked again.
        self.existing = existing = dict(found or {})
        existing.update(fastsql.by_document_keys(wanted - existing.keys()))
        # A row imported before has its registration under the person its document finds: asked
        # only for those persons (a new person has no registrations yet), as (person, key) pairs.
        self.keys_done = fastsql.imported_pairs(
            {
                (sql.db_uuid(existing[p.bidx][0]), p.import_key)
                for p in prepared
                if p.probes & keyfilter.IMPORT_KEY and p.bidx in existing
            }
        )
        self.new_people: dict[str, tuple[Any, ...]] = {}
        self.probed: dict[int, list[tuple[Any, ...]]] = {
            keyfilter.NAME_BIRTH: [],
            keyfilter.PHONE: [],
        }
        self.registrations: list[tuple[Any, ...]] = []
        self.outcomes: list[tuple[Any, ...]] = []  # rows with a remark (queued, rejected, …)
        self.plain: dict[str, list[int]] = {RowOutcome.CREATED: [], RowOutcome.LINKED: []}

    def _remark(
        self, r: Record, outcome: str, reason: str, person: Any = None, answers: str = ""
    ) -> None:
        """A row outcome written as a row of its own (its reason says more than its kind)."""
        self.outcomes.append((self.job_pk, r.row, outcome, reason, person, answers))
        self.counts[outcome] += 1

    def reject(self, r: Rejected) -> None:
        outcome = RowOutcome.SKIPPED if r.reasons in SKIP_REASONS else RowOutcome.REJECTED
        self._remark(r, outcome, r.reasons)

    def _new_person(self, r: Prepared) -> tuple[Any, ...]:
        person = self.new_people[r.bidx] = r.person
        for kind, checks in self.probed.items():
            if r.probes & kind:
                checks.append(person)
        return person

    def _done(self, r: Prepared, outcome: str, pair: tuple[str, str]) -> None:
        self.keys_done.add(pair)
        self.first_rows[r.import_key] = r.row
        self.plain[outcome].append(r.row)
        self.counts[outcome] += 1

    def create(self, r: Prepared) -> None:
        """Nobody has the document (the key filter is sure of a "no"): the row's new person and
        its registration as the reading process built them."""
        person = self._new_person(r)
        self._done(r, RowOutcome.CREATED, (person[P_PK], r.import_key))
        self.registrations.append(r.registration)

    def decide(self, r: Prepared) -> None:
        first = self.first_rows.get(r.import_key)
        if first is not None:  # the same row earlier in this file: linked to what it did
            self._remark(r, RowOutcome.LINKED, f"duplicate_row:{first}")
            return
        registration = r.registration
        person_id, region_code = self.existing.get(r.bidx, (None, ""))
        outcome = RowOutcome.LINKED
        # A person of another territory is never written to by this import: the row waits in
        # the queue of the person's territory, and its outcome does not say where that is.
        elsewhere = person_id is not None and not region_code.startswith(self.territory)
        if person_id is None:
            person = self.new_people.get(r.bidx)
            if person is None and not r.person:
                ambiguous = registration[R_REGION_CODE] == AMBIGUOUS
                reason = "community_ambiguous" if ambiguous else "no_community_in_address"
                self._remark(r, RowOutcome.QUEUED, reason, None, "" if self.dry else r.payload)
                return
            if person is None:
                person = self._new_person(r)
                outcome = RowOutcome.CREATED
            person_id, region_code = person[P_PK], person[P_REGION_CODE]
        person_id = sql.db_uuid(person_id)
        pair = (person_id, r.import_key)
        shown = None if self.dry else person_id
        if pair in self.keys_done:
            self._remark(r, RowOutcome.LINKED, "already_imported", shown)
            return
        if elsewhere:
            answers = "" if self.dry else _answers(r)
            self._remark(r, RowOutcome.QUEUED, "registered_elsewhere", shown, answers)
            return
        self._done(r, outcome, pair)
        if region_code != registration[R_REGION_CODE] or person_id != registration[R_PERSON]:
            registration = self._moved(registration, person_id, region_code)
        self.registrations.append(registration)

    def _moved(
        self, registration: tuple[Any, ...], person_id: str, region_code: str
    ) -> tuple[Any, ...]:
        """The registration under the person found, in that person's community (and risk)."""
        category = self.risk_of(
            registration[R_ORIGIN],
            registration[R_ARRIVAL] or registration[R_DEPARTURE],
            region_code,
        )
        row = list(registration)
        row[R_PERSON], row[R_REGION_CODE] = person_id, region_code
        row[R_RISK_COMPUTED] = row[R_RISK_CATEGORY] = category
        return tuple(row)

    def write(self) -> None:
        job = self.job
        if not self.dry:
            # In key order: the unique document index and the registrations' person index then
            # take their inserts page after page (random keys otherwise touch a page each).
            people = sorted(self.new_people.values(), key=itemgetter(P_BIDX))
            sql.insert(Person, PERSON_COLUMNS, people, ready=True)
            self.registrations.sort(key=itemgetter(R_PERSON))
            sql.insert(Registration, REGISTRATION_COLUMNS, self.registrations, ready=True)
            probed = self.probed
            _candidates(
                probed[keyfilter.NAME_BIRTH], P_NAME_BIRTH, "name_birth_key", "same_name_birth"
            )
            _candidates(probed[keyfilter.PHONE], P_PHONE_BIDX, "phone_bidx", "same_phone")
        sql.insert(ImportRow, ROW_COLUMNS, self.outcomes, ready=True)
        created, linked = self.plain[RowOutcome.CREATED], self.plain[RowOutcome.LINKED]
        if created or linked:
            ImportBatch.objects.create(
                job_id=job.pk,
                created_rows=rowranges.pack(created),
                linked_rows=rowranges.pack(linked),
            )
        counts = self.counts
        ImportJob.objects.filter(pk=job.pk).update(
            done=F("done") + self.size,
            created=F("created") + counts["created"],
            linked=F("linked") + counts["linked"],
            queued=F("queued") + counts["queued"],
            rejected=F("rejected") + counts["rejected"],
            skipped=F("skipped") + counts["skipped"],
        )


def _answers(record: Prepared) -> str:
    """The encrypted answers of a prepared row, for the "to route" queue: the reading process
    made them for a row without a community; a row that found a person of another territory
    (rare) has them rebuilt here from its person and registration."""
    if record.payload:
        return str(record.payload)
    person, registration = record.person, record.registration
    return payload(
        person[P_FULL_NAME],
        crypto.decrypt(person[P_ID_ENC], ID_LABEL),
        crypto.decrypt(person[P_PHONE_ENC], PHONE_LABEL),
        registration[R_ORIGIN],
        registration[R_DEPARTURE] or None,
        registration[R_ARRIVAL] or None,
        registration[R_TRANSPORT],
        registration[R_TRANSPORT_NUMBER],
        person[P_ADDRESS],
    )


def _candidates(new_people: list[tuple[Any, ...]], index: int, column: str, reason: str) -> None:
    """Pairs of each probed new person with every other active person of its key. A key is
    shared by several new people of one batch (a family's phone): each is paired, not the last."""
    keyed: dict[str, list[tuple[Any, ...]]] = {}
    for p in new_people:
        if p[index]:
            keyed.setdefault(p[index], []).append(p)
    if not keyed:
        return
    seen: set[tuple[str, str]] = set()
    pairs = []
    for raw_pk, key in fastsql.same_key(column, keyed.keys()):
        # Compared and ordered as 32 hex digits: the same order as the dashed form's.
        pk = sql.db_uuid(raw_pk)
        for new in keyed[key]:
            if pk == new[P_PK]:
                continue
            a, b = sorted([pk, new[P_PK]])
            if (a, b) in seen:
                continue
            seen.add((a, b))
            pairs.append(
                DuplicateCandidate(
                    region_code=new[P_REGION_CODE], person_a_id=a, person_b_id=b, reason=reason
                )
            )
    DuplicateCandidate.objects.bulk_create(pairs, ignore_conflicts=True)
