"""An import job from start to end (``run``): the file inspected, its header and columns, its
rows read in batches and written, several batches per transaction; a failed job says why."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import sql
from lianfang.core.errors import InvalidInput
from lianfang.people.imports import fastsql, header, reading, tabular, writer
from lianfang.people.imports.parse import RowParser
from lianfang.people.models import ImportJob, ImportStatus
from lianfang.regions.selectors import Router

TRANSACTION_ROWS = 250_000  # rows per commit
# An xlsx this large (~15,000 rows of an arrival list) is scanned by the reading process, while
# this one builds the key filter: the scan is a sixth of a second per 100,000 rows.
SCAN_IN_CHILD_BYTES = 512 * 1024


def run(job_id: Any) -> ImportJob:
    """The job from its queued state to done or failed (with the reason a worker reads). One
    sequence of steps, each a few lines: it reads best as one function."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.MAPPING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        path = Path(job.file_path)
        large = (
            path.suffix.lower() == ".xlsx"
            and path.is_file()
            and path.stat().st_size >= SCAN_IN_CHILD_BYTES
        )
        info = tabular.inspect(path, scan=not large, header_row=job.header_row)
        if not any(any(c not in (None, "") for c in row) for row in info.head):
            raise InvalidInput("empty_file", _("文件是空的：没有任何内容。"))
        found = info.found
        assert found is not None
        mapping = mapping_of(job, info)
        year = header.list_year(info.head, found, mapping)
        parser = RowParser(
            mapping,
            Router.for_territory(job.region_code),
            job.created_by_id,
            timezone.localdate(),
            year=year,
        )
        notes = {
            "header_rows": [found.first, found.last],
            "header_found": found.found or job.header_row is not None,
            "year": parser.year,
            "year_from": "list" if year else "today",
        }
        ImportJob.objects.filter(pk=job.pk).update(notes=notes)
        if info.total >= 0:  # else the reading process sends it (a large xlsx)
            ImportJob.objects.filter(pk=job.pk).update(total=info.total)
        now = sql.db_datetime(timezone.now())
        risk_of = parser.risk_of
        batches = reading.batches(job, info, parser, now, writer.recorded_rows(job))
        first_rows: dict[str, int] = {}
        with fastsql.BulkSession() as session, _no_cyclic_gc():
            finished = False
            while not finished:
                # Several batches per transaction: every commit writes each index page the
                # batches touched, and random keys touch most of them (ADR 0008).
                finished, written = True, 0
                with transaction.atomic():
                    contended = session.contended()
                    for records, found_before in batches:
                        counts = writer.write_batch(
                            job,
                            records,
                            risk_of,
                            contended=contended,
                            found=found_before,
                            first_rows=first_rows,
                        )
                        written += sum(counts.values())
                        if written >= TRANSACTION_ROWS:
                            finished = False
                            break
        if parser.yearless:
            notes["yearless"] = sorted(set(parser.yearless))[:5]
            ImportJob.objects.filter(pk=job.pk).update(notes=notes)
        total = writer.recorded_count(job)
        people = total - ImportJob.objects.get(pk=job.pk).skipped
        if people <= 0:
            raise InvalidInput(
                "no_rows",
                _("表头（第 %(row)s 行）下面没有人员行，没有导入任何人。") % {"row": found.last},
            )
    except InvalidInput as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=exc.message[:300], finished_at=timezone.now()
        )
        return ImportJob.objects.get(pk=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, total=total, finished_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job.pk)


def mapping_of(job: ImportJob, info: tabular.TableInfo) -> dict[str, int]:
    """Field → column: as the worker confirmed it in the mapping step, else recognised from the
    header (a saved mapping's header texts first)."""
    if job.columns:
        columns = {
            f: int(i) for f, i in job.columns.items() if f in header.SYNONYMS and str(i).isdigit()
        }
        return header.require(columns)
    return tabular.detect_mapping(info.header, job.mapping)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Batches are tuples of strings: the cyclic collector would walk them again and again for
    nothing. Reference counting still frees every batch once written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
