"""Import jobs: start (store the file, enqueue the task), progress, outcome file, routing of
queued rows."""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from lianfang.core import crypto
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.people import importer, rowranges, services
from lianfang.people.importparse import import_key
from lianfang.people.models import (
    DocType,
    ImportBatch,
    ImportJob,
    ImportRow,
    RowOutcome,
    Source,
)
from lianfang.people.permissions import IMPORT, ROUTE
from lianfang.people.tabular import check_file

REASON_TEXT = {
    "name_missing": gettext_lazy("缺少姓名"),
    "id_numeric_cell": gettext_lazy("身份证号单元格为数字格式（末位已丢失），请设为文本后重新导出"),
    "id_required": gettext_lazy("缺少身份证号"),
    "id_format": gettext_lazy("身份证号格式错误"),
    "id_checksum": gettext_lazy("身份证号校验位错误"),
    "id_birth_date_invalid": gettext_lazy("身份证号出生日期无效"),
    "phone_invalid": gettext_lazy("手机号无效"),
    "origin_unknown": gettext_lazy("来源地无法识别"),
    "departure_date_invalid": gettext_lazy("离开日期格式错误"),
    "arrival_date_invalid": gettext_lazy("到达日期格式错误"),
    "date_in_future": gettext_lazy("日期晚于今天"),
    "arrival_before_departure": gettext_lazy("到达日期早于离开日期"),
    "no_community_in_address": gettext_lazy("住址中找不到本辖区的社区，待分派"),
    "already_imported": gettext_lazy("此前已导入，未重复登记"),
    "registered_elsewhere": gettext_lazy("此人已在其他辖区登记，已转交其所在辖区处理"),
    "formula_cell": gettext_lazy(
        "该行含公式单元格（只能读到缓存结果），请复制后“粘贴为数值”再导入"
    ),
}


def start_import(
    *,
    actor: Actor,
    name: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> ImportJob:
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
        )
        transaction.on_commit(lambda: run_import_task.enqueue(job_id=str(job.pk)))
    return job


@task()
def run_import_task(job_id: str) -> str:
    return importer.run(job_id).status


def row_outcomes(job: ImportJob) -> Iterator[tuple[int, str, str]]:
    """(row number, outcome, reason codes) of every recorded row of the job, in row order: the
    rows with a remark (``ImportRow``) merged with the batches' plain rows (``ImportBatch``)."""
    remarked = (
        ImportRow.objects.filter(job=job)
        .order_by("row_number")
        .values_list("row_number", "outcome", "reasons")
        .iterator()
    )

    def plain(created: str, linked: str) -> Iterator[tuple[int, str, str]]:
        return heapq.merge(
            ((n, RowOutcome.CREATED.value, "") for n in rowranges.unpack(created)),
            ((n, RowOutcome.LINKED.value, "") for n in rowranges.unpack(linked)),
        )

    batches = ImportBatch.objects.filter(job=job).values_list("created_rows", "linked_rows")
    return heapq.merge(remarked, *(plain(c, li) for c, li in batches))


def outcomes_xlsx(job: ImportJob) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet(_("导入结果"))
    bold = book.add_format({"bold": True})
    for col, title in enumerate([_("行号"), _("结果"), _("原因代码"), _("说明")]):
        sheet.write_string(0, col, title, bold)
    labels = dict(RowOutcome.choices)
    for i, (row_number, outcome, reasons) in enumerate(row_outcomes(job), start=1):
        codes = [c for c in reasons.split(",") if c]
        sheet.write_number(i, 0, row_number)
        sheet.write_string(i, 1, f"{outcome} {labels.get(outcome, '')}")
        sheet.write_string(i, 2, ",".join(codes))
        sheet.write_string(i, 3, "；".join(str(REASON_TEXT.get(c, c)) for c in codes))
    book.close()
    return buffer.getvalue()


def route_row(*, actor: Actor, row: ImportRow, region_code: str) -> Any:
    """Assign a queued row to a building or community: the person is registered as if imported
    there (their registration keeps the row's import key, so the same row imported again, or
    queued twice, is not registered twice), and the row's stored answers are erased."""
    if not actor.can(ROUTE, region_code):
        raise PermissionDeniedError("forbidden", _("您无权分派到该区域。"))
    with transaction.atomic():
        row = ImportRow.objects.select_for_update().select_related("job").get(pk=row.pk)
        if row.outcome != RowOutcome.QUEUED or not row.payload_enc:
            raise InvalidInput("not_queued", _("该行不在待分派队列中。"))
        data = json.loads(crypto.decrypt(row.payload_enc, importer.PAYLOAD_LABEL))
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


def queued_rows(actor: Actor) -> Any:
    """Rows waiting to be routed, of imports made inside the actor's routing territory.
    Rows that found a person of another territory (``person`` set) wait in the queue of that
    person's territory instead. Dry runs queue nothing."""
    own = actor.scope_q(ROUTE, "job__region_code")
    theirs = actor.scope_q(ROUTE, "person__region_code")
    if own is None or theirs is None:
        return ImportRow.objects.none()
    return (
        ImportRow.objects.filter(
            (own & Q(person__isnull=True)) | theirs,
            outcome=RowOutcome.QUEUED,
            job__dry_run=False,
        )
        .select_related("job")
        .order_by("job__created_at", "row_number")
    )


def timestamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")
