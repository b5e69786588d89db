"""Reading arrival lists (xlsx, xls, ods via python-calamine; csv via the csv module) and mapping
their columns. Chinese header synonyms are recognised without a saved mapping."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput

MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = {".xlsx", ".xls", ".ods", ".csv"}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "full_name": ("姓名", "名字", "人员姓名", "name", "full_name"),
    "id_number": ("身份证号码", "身份证号", "证件号码", "证件号", "身份证", "id_number"),
    "phone": ("手机号", "手机号码", "联系电话", "电话", "联系方式", "phone"),
    "origin": ("来源地", "来自", "出发地", "来源地区", "来源地区划代码", "origin"),
    "departure_date": ("离开日期", "出发日期", "离开来源地日期", "departure_date"),
    "arrival_date": ("到达日期", "抵达日期", "返回日期", "到达时间", "抵兰日期", "arrival_date"),
    "address": ("现住址", "住址", "居住地址", "现居住地址", "地址", "address"),
    "transport": ("交通方式", "transport"),
    "transport_number": (
        "车次/航班/车牌",
        "车次航班",
        "车次",
        "航班号",
        "车牌号",
        "transport_number",
    ),
}
REQUIRED = ("full_name", "id_number")


def _norm(header: Any) -> str:
    return re.sub(r"[\s*:：]", "", str(header or "")).lower()


def detect_mapping(headers: list[Any], saved: dict[str, str] | None = None) -> dict[str, int]:
    """Field → column index. A saved mapping (field → header text) wins over synonyms."""
    normalised = [_norm(h) for h in headers]
    mapping: dict[str, int] = {}
    for fieldname, header in (saved or {}).items():
        if fieldname in SYNONYMS and _norm(header) in normalised:
            mapping[fieldname] = normalised.index(_norm(header))
    for fieldname, names in SYNONYMS.items():
        if fieldname in mapping:
            continue
        for name in names:
            if _norm(name) in normalised:
                mapping[fieldname] = normalised.index(_norm(name))
                break
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        labels = {"full_name": "姓名", "id_number": "身份证号码"}
        msg = _("找不到必需的列：%(cols)s。请检查表头（不能有合并单元格）或提供列映射。") % {
            "cols": "、".join(labels[m] for m in missing)
        }
        raise InvalidInput("header_unrecognised", msg, {"mapping": [msg]})
    return mapping


def check_file(name: str, data_head: bytes, size: int) -> str:
    ext = Path(name).suffix.lower()
    if ext not in EXTENSIONS:
        msg = _("只支持 xlsx、xls、ods、csv 文件。")
        raise InvalidInput("file_type", msg, {"file": [msg]})
    if size > MAX_BYTES:
        msg = _("文件超过 50 MB，请拆分后导入。")
        raise InvalidInput("file_too_large", msg, {"file": [msg]})
    zip_magic = data_head.startswith(b"PK")
    ole_magic = data_head.startswith(b"\xd0\xcf\x11\xe0")
    if (ext in (".xlsx", ".ods") and not zip_magic) or (ext == ".xls" and not ole_magic):
        msg = _("文件内容与扩展名不符，可能已损坏。")
        raise InvalidInput("file_corrupt", msg, {"file": [msg]})
    if ext == ".csv" and (zip_magic or ole_magic or b"\x00" in data_head):
        msg = _("文件内容不是 CSV 文本。")
        raise InvalidInput("file_corrupt", msg, {"file": [msg]})
    return ext


def iter_rows(path: Path) -> Iterator[list[Any]]:
    """Rows of the first sheet, header first, values as read (numbers stay numbers: an ID cell
    stored as a number has already lost digits and is rejected later, never repaired)."""
    return open_table(path)[1]


def open_table(path: Path) -> tuple[int, Iterator[list[Any]]]:
    """(data rows without the header, the rows header first), reading the file once. Blank rows
    may make the count a little high; an import's final total is its number of outcomes."""
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            msg = _("无法识别 CSV 文件编码（请使用 UTF-8 或 GBK）。")
            raise InvalidInput("file_encoding", msg, {"file": [msg]})
        total = max(0, sum(1 for line in text.splitlines() if line.strip()) - 1)
        return total, csv.reader(io.StringIO(text))
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        total = max(0, int(sheet.total_height) - 1)
        rows = sheet.iter_rows()
    except Exception as exc:
        msg = _("无法读取表格文件：%(e)s") % {"e": type(exc).__name__}
        raise InvalidInput("file_unreadable", msg, {"file": [msg]}) from exc
    if any(start[0] == 0 for start, _end in merged):
        msg = _("表头有合并单元格，请取消合并后再导入。")
        raise InvalidInput("header_merged", msg, {"file": [msg]})
    return total, rows


_XLSX_FORMULA = re.compile(rb'<c r="[A-Z]{1,3}([0-9]+)"[^>]*>\s*<f[ >/]')
_ODS_ROW = re.compile(rb"<table:table-row([^>]*)>|table:formula=")
_ODS_REPEAT = re.compile(rb'table:number-rows-repeated="([0-9]+)"')


def formula_rows(path: Path) -> set[int]:
    """Row numbers (1-based, as in the spreadsheet) whose cells hold formulas. The reader sees
    only a formula's cached result, which may be stale or empty: such rows are rejected with a
    reason, never imported silently. xlsx and ods are scanned as a stream; xls and csv have none
    to find (xls formulas come back as values: the outcome file cannot flag them)."""
    suffix = path.suffix.lower()
    rows: set[int] = set()
    try:
        with zipfile.ZipFile(path) as archive:
            if suffix == ".xlsx":
                names = sorted(
                    n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
                )
                if not names:
                    return rows
                first = min(names, key=lambda n: int(re.findall(r"\d+", n)[-1]))
                tail = b""
                with archive.open(first) as fh:
                    while chunk := fh.read(1 << 20):
                        data = tail + chunk
                        for m in _XLSX_FORMULA.finditer(data):
                            rows.add(int(m.group(1)))
                        tail = data[-256:]
            elif suffix == ".ods":
                row = 0
                content = archive.read("content.xml")
                first_table_end = content.find(b"</table:table>")
                end = first_table_end if first_table_end > 0 else len(content)
                for m in _ODS_ROW.finditer(content, 0, end):
                    if m.group(0).startswith(b"<table:table-row"):
                        repeat = _ODS_REPEAT.search(m.group(1))
                        row += int(repeat.group(1)) if repeat else 1
                    else:
                        rows.add(row)
    except (zipfile.BadZipFile, KeyError, OSError):
        return rows
    return rows
