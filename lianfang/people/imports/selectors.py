"""Import jobs, the reads: the mapping step's preview, row outcomes and their texts, the outcome
file, the "to route" queue."""

from __future__ import annotations

import heapq
import io
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.core import crypto
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import mask_name
from lianfang.core.scoping import Actor
from lianfang.people.imports import header, jobs, rowranges, tabular
from lianfang.people.imports.cells import text
from lianfang.people.imports.records import PAYLOAD_LABEL
from lianfang.people.models import (
    ImportBatch,
    ImportJob,
    ImportRow,
    ImportStatus,
    RowOutcome,
)
from lianfang.people.permissions import ROUTE

REASON_TEXT = {
    "name_missing": gettext_lazy("缺少姓名"),
    "name_too_long": gettext_lazy("姓名超过 50 个字符"),
    "name_has_digit": gettext_lazy("姓名含数字，请核对"),
    "address_too_long": gettext_lazy("住址超过 100 个字符"),
    "transport_number_too_long": gettext_lazy("车次/航班/车牌超过 30 个字符"),
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
    "community_ambiguous": gettext_lazy("住址可对应本辖区的多个社区，待分派"),
    "already_imported": gettext_lazy("此前已导入，未重复登记"),
    "registered_elsewhere": gettext_lazy("此人已在其他辖区登记，已转交其所在辖区处理"),
    "duplicate_row": gettext_lazy("与本名单第 %(row)s 行重复，按该行处理"),
    "blank_row": gettext_lazy("空行，已跳过"),
    "subtotal_row": gettext_lazy("合计或小计行，已跳过"),
    "note_row": gettext_lazy("标题、落款或说明行（不是人员），已跳过"),
    "routed": gettext_lazy("已分派"),
    "formula_cell": gettext_lazy(
        "该行含公式单元格（只能读到缓存结果），请复制后“粘贴为数值”再导入"
    ),
}


def import_preview(job: ImportJob, header_row: int | None = None) -> header.Preview:
    """The mapping step of a staged job: the header taken (or the row the worker chose), each
    column with its field and a sample of its values, warnings."""
    info = tabular.inspect(Path(job.file_path), scan=False, header_row=header_row)
    return header.preview(info.head, at=header_row, saved=job.mapping)


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


def reason_text(code: str) -> str:
    """A reason code in words; ``duplicate_row:5`` names its row."""
    name, _sep, arg = code.partition(":")
    text = str(REASON_TEXT.get(name, name))
    return text % {"row": arg} if arg else text


def notes_text(job: ImportJob) -> list[str]:
    """What the import decided on its own, in sentences for the worker."""
    notes, out = job.notes or {}, []
    rows = notes.get("header_rows")
    if rows:
        where = (
            _("第 %(a)s 行") % {"a": rows[0]}
            if rows[0] == rows[1]
            else _("第 %(a)s–%(b)s 行") % {"a": rows[0], "b": rows[1]}
        )
        out.append(
            _("表头：%(where)s（按内容识别）。") % {"where": where}
            if notes.get("header_found")
            else _("表头：%(where)s（未能按内容识别，请核对）。") % {"where": where}
        )
    if notes.get("yearless"):
        basis = _("名单中其他日期") if notes.get("year_from") == "list" else _("导入日期")
        out.append(
            _("未写年份的日期（如 %(examples)s）按 %(year)s 年处理（依据：%(basis)s）。")
            % {"examples": "、".join(notes["yearless"][:3]), "year": notes["year"], "basis": basis}
        )
    if job.skipped:
        out.append(
            _("%(n)s 行不是人员（空行、合计、落款等），已跳过，未计为错误。") % {"n": job.skipped}
        )
    return out


def _row_labels(job: ImportJob) -> Iterator[tuple[int, str, str]]:
    """(row number, the list's own 序号, masked name) of each row below the header, read again
    from the stored file; nothing if it cannot be read."""
    path = Path(job.file_path)
    try:
        info = tabular.inspect(path, scan=False, header_row=job.header_row)
        mapping = jobs.mapping_of(job, info)
    except (InvalidInput, OSError):
        return
    serial, name = mapping.get("serial"), mapping.get("full_name")
    rows = tabular.iter_rows(path, info.encoding)
    try:
        for number, cells in enumerate(islice(rows, info.first_row - 1, None), info.first_row):
            own = text(cells[serial]) if serial is not None and serial < len(cells) else ""
            full = text(cells[name]) if name is not None and name < len(cells) else ""
            yield number, own, mask_name(full)
    except InvalidInput:
        return


def outcomes_xlsx(job: ImportJob) -> bytes:
    """The outcome file, in Chinese: every row with the list's own number, the masked name, the
    result and the reason in words (codes in a column of their own); a failed job's says why."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet(_("导入结果"))
    bold = book.add_format({"bold": True})
    titles = [_("行号"), _("序号"), _("姓名"), _("结果"), _("说明"), _("原因代码")]
    for col, title in enumerate(titles):
        sheet.write_string(0, col, title, bold)
    labels = dict(RowOutcome.choices)
    i = 0
    if job.status == ImportStatus.FAILED:
        i += 1
        sheet.write_string(i, 3, str(_("导入失败")))
        sheet.write_string(i, 4, job.error or str(_("导入失败，原因未知。")))
    names = _row_labels(job)
    label = next(names, None)
    for row_number, outcome, reasons in row_outcomes(job):
        while label is not None and label[0] < row_number:
            label = next(names, None)
        own, name = (
            (label[1], label[2]) if label is not None and label[0] == row_number else ("", "")
        )
        codes = [c for c in reasons.split(",") if c]
        i += 1
        sheet.write_number(i, 0, row_number)
        sheet.write_string(i, 1, own)
        sheet.write_string(i, 2, name)
        sheet.write_string(i, 3, str(labels.get(outcome, outcome)))
        sheet.write_string(i, 4, "；".join(reason_text(c) for c in codes))
        sheet.write_string(i, 5, ",".join(codes))
    notes = book.add_worksheet(_("说明"))
    for j, line in enumerate([job.file_name, *notes_text(job)]):
        notes.write_string(j, 0, line)
    book.close()
    return buffer.getvalue()


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


def route_choices(actor: Actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """The communities the actor may route to, grouped under their sub-districts (a tree of
    two levels, for a select's groups)."""
    from lianfang.regions.models import Level, Region

    regions = Region.objects.visible_to(actor, ROUTE).filter(is_active=True)
    communities = regions.filter(level=Level.COMMUNITY).select_related("parent").order_by("code")
    groups: dict[str, list[tuple[str, str]]] = {}
    for community in communities:
        parent = community.parent.name if community.parent else ""
        groups.setdefault(parent, []).append((community.code, community.name))
    return list(groups.items())


def queued_view(row: ImportRow) -> dict[str, Any]:
    """What the queue page shows of a queued row: its masked name and the address as written
    (decrypted for the page, never stored in clear)."""
    try:
        data = json.loads(crypto.decrypt(row.payload_enc, PAYLOAD_LABEL))
    except (crypto.DecryptionError, ValueError):
        data = {}
    return {
        "row": row,
        "name": mask_name(data.get("full_name", "")),
        "address": data.get("address", ""),
        "reason": reason_text(row.reasons.split(",")[0]) if row.reasons else "",
    }


def timestamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")
