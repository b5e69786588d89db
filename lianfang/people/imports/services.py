"""Import jobs, the writes: start one (store the file, enqueue the task), confirm its columns,
save a mapping, route a queued row to its community."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from lianfang.core import crypto
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.people import services
from lianfang.people.imports import header, jobs, tabular
from lianfang.people.imports.cells import import_key
from lianfang.people.imports.records import PAYLOAD_LABEL
from lianfang.people.imports.tabular import check_file
from lianfang.people.models import (
    DocType,
    ImportJob,
    ImportRow,
    ImportStatus,
    RowOutcome,
    SavedMapping,
    Source,
)
from lianfang.people.permissions import IMPORT, ROUTE


def import_start(
    *,
    actor: Actor,
    name: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    stage: bool = False,
) -> ImportJob:
    """Store the file and enqueue its import; ``stage``: first the mapping step (the header row
    and the columns, confirmed by the worker: ``import_confirm``) — the file must then be
    readable now, and a damaged one is refused at once."""
    prefixes = actor.prefixes(IMPORT)
    if not prefixes or actor.user_id is None:
        raise PermissionDeniedError("forbidden", _("您无权导入名单。"))
    ext = check_file(name, content[:8], len(content))
    if mapping is not None and not isinstance(mapping, dict):
        raise InvalidInput(
            "mapping_invalid", _("列映射格式错误。"), {"mapping": [_("列映射格式错误。")]}
        )
    job_id = uuid.uuid4()
    folder = settings.VAR_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job_id}{ext}"
    path.write_bytes(content)
    if stage:
        try:
            info = tabular.inspect(path, scan=False)
            if not any(any(c not in (None, "") for c in row) for row in info.head):
                msg = _("文件是空的：没有任何内容。")
                raise InvalidInput("empty_file", msg, {"file": [msg]})
        except InvalidInput:
            path.unlink(missing_ok=True)
            raise
    with transaction.atomic():
        job = ImportJob.objects.create(
            id=job_id,
            region_code=prefixes[0],
            created_by_id=actor.user_id,
            file_name=name[:200],
            file_path=str(path),
            file_sha256=hashlib.sha256(content).hexdigest(),
            mapping=mapping or {},
            dry_run=dry_run,
            status=ImportStatus.MAPPING if stage else ImportStatus.QUEUED,
        )
        if not stage:
            transaction.on_commit(lambda: run_import_task.enqueue(job_id=str(job.pk)))
    return job


def import_confirm(
    *, actor: Actor, job: ImportJob, header_row: int, columns: dict[str, int]
) -> ImportJob:
    """The worker's header row and columns (field → column index): the import is enqueued."""
    if not actor.can(IMPORT, job.region_code):
        raise PermissionDeniedError("forbidden", _("您无权导入名单。"))
    header.require(columns)
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.MAPPING).update(
            status=ImportStatus.QUEUED, header_row=header_row, columns=columns
        )
        if not updated:
            raise InvalidInput("not_mapping", _("该导入已开始，不能再修改列映射。"))
        transaction.on_commit(lambda: run_import_task.enqueue(job_id=str(job.pk)))
    job.refresh_from_db()
    return job


@transaction.atomic
def mapping_save(
    *,
    actor: Actor,
    job: ImportJob,
    name: str,
    columns: dict[str, int],
    titles: dict[int, str],
) -> SavedMapping:
    """Keep a job's columns (field → column index) by their titles under ``name`` for the job's
    region, so a later upload with the same headings is mapped at once; the same name replaces
    the earlier mapping."""
    if not actor.can(IMPORT, job.region_code):
        raise PermissionDeniedError("forbidden", _("您无权导入名单。"))
    saved, _created = SavedMapping.objects.update_or_create(
        region_code=job.region_code,
        name=name,
        defaults={
            "mapping": {f: titles[i] for f, i in columns.items() if titles.get(i)},
            "created_by_id": actor.user_id,
        },
    )
    return saved


@task()
def run_import_task(job_id: str) -> str:
    return jobs.run(job_id).status


def import_row_route(*, actor: Actor, row: ImportRow, region_code: str) -> Any:
    """Assign a queued row to a building or community: the person is registered as if imported
    there (their registration keeps the row's import key, so the same row imported again, or
    queued twice, is not registered twice), and the row's stored answers are erased."""
    if not actor.can(ROUTE, region_code):
        raise PermissionDeniedError("forbidden", _("您无权分派到该区域。"))
    with transaction.atomic():
        row = ImportRow.objects.select_for_update().select_related("job").get(pk=row.pk)
        if row.outcome != RowOutcome.QUEUED or not row.payload_enc:
            raise InvalidInput("not_queued", _("该行不在待分派队列中。"))
        data = json.loads(crypto.decrypt(row.payload_enc, PAYLOAD_LABEL))
        departure, arrival = data["departure_date"] or None, data["arrival_date"] or None
        key = import_key(
            data["id_number"],
            data["origin"],
            date.fromisoformat(departure) if departure else None,
            date.fromisoformat(arrival) if arrival else None,
        )
        found = services.find_existing(DocType.RESIDENT_ID, data["id_number"])
        if found is not None and found.registrations.filter(import_key=key).exists():
            row.outcome, row.reasons, row.person, row.payload_enc = (
                RowOutcome.LINKED,
                "already_imported",
                found,
                "",
            )
            row.save(update_fields=["outcome", "reasons", "person", "payload_enc"])
            return found
        person, _existing, registration = services.register_with_screening(
            actor=actor,
            person={
                "full_name": data["full_name"],
                "id_number": data["id_number"],
                "phone": data["phone"],
                "region_code": region_code,
                "address": data["address"],
            },
            screening={
                "source": Source.IMPORT,
                "origin": data["origin"],
                "departure_date": departure,
                "arrival_date": arrival,
                "transport": data["transport"],
                "transport_number": data["transport_number"],
            },
            require_phone=False,
        )
        registration.import_key = key
        registration.save(update_fields=["import_key"])
        row.outcome = RowOutcome.LINKED if _existing else RowOutcome.CREATED
        row.reasons = "routed"
        row.person = person
        row.payload_enc = ""
        row.save(update_fields=["outcome", "reasons", "person", "payload_enc"])
    return person
