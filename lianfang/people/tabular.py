"""Reading arrival lists (xlsx streamed by ``xlsxstream``; xls and ods via python-calamine; csv
streamed by the csv module) and mapping their columns. Chinese header synonyms are recognised
without a saved mapping."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput
from lianfang.people import xlsxstream

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


@dataclass
class TableInfo:
    """What the import needs before its first row: read once, cheaply, without the rows."""

    total: int  # data rows (blank rows may make it a little high)
    header: list[Any]
    formula_rows: set[int]  # spreadsheet row numbers holding formulas
    encoding: str = ""  # csv only


def unreadable(exc: Exception) -> InvalidInput:
    msg = _("无法读取表格文件：%(e)s") % {"e": type(exc).__name__}
    return InvalidInput("file_unreadable", msg, {"file": [msg]})


def _merged_header() -> InvalidInput:
    msg = _("表头有合并单元格，请取消合并后再导入。")
    return InvalidInput("header_merged", msg, {"file": [msg]})


def _csv_encoding(path: Path) -> tuple[str, int]:
    """The file's encoding (UTF-8, else GB 18030) and its number of non-blank lines, streamed."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    msg = _("无法识别 CSV 文件编码（请使用 UTF-8 或 GBK）。")
    raise InvalidInput("file_encoding", msg, {"file": [msg]})


def inspect(path: Path, *, scan: bool = True) -> TableInfo:
    """The header, the row count and the formula rows; refuses a merged header. xlsx and csv are
    streamed (``xlsxstream``, ``csv``); xls and ods (small legacy formats) go through calamine.
    ``scan=False`` (xlsx): the header only, ``total`` -1 — whoever reads the rows then scans the
    sheet itself (``check_scan``)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        encoding, lines = _csv_encoding(path)
        header = next(iter_rows(path, encoding), [])
        return TableInfo(max(0, lines - 1), list(header), set(), encoding)
    if suffix == ".xlsx":
        try:
            rows = xlsxstream.rows(path)
            header = next(rows, [])
            del rows  # closes the archive
        except xlsxstream.XlsxError as exc:
            raise unreadable(exc) from exc
        if not scan:
            return TableInfo(-1, list(header), set())
        found = check_scan(path)
        return TableInfo(max(0, found.rows - 1), list(header), found.formula_rows)
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        total = max(0, int(sheet.total_height) - 1)
        header = next(iter(sheet.iter_rows()), [])
    except Exception as exc:
        raise unreadable(exc) from exc
    if any(start[0] == 0 for start, _end in merged):
        raise _merged_header()
    return TableInfo(total, list(header), formula_rows(path))


def check_scan(path: Path) -> xlsxstream.Scan:
    """``xlsxstream.scan`` of an xlsx sheet; refuses a merged header."""
    try:
        found = xlsxstream.scan(path)
    except xlsxstream.XlsxError as exc:
        raise unreadable(exc) from exc
    if found.header_merged:
        raise _merged_header()
    return found


def iter_rows(path: Path, encoding: str = "") -> Iterator[list[Any]]:
    """Rows of the first sheet, header first, values as read (numbers stay numbers: an ID cell
    stored as a number has already lost digits and is rejected later, never repaired)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, encoding or _csv_encoding(path)[0])
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    except Exception as exc:
        raise unreadable(exc) from exc


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    try:
        yield from xlsxstream.rows(path)
    except xlsxstream.XlsxError as exc:  # found while streaming: the import fails with a message
        raise unreadable(exc) from exc


def _csv_rows(path: Path, encoding: str) -> Iterator[list[Any]]:
    with path.open(encoding=encoding, newline="") as fh:
        try:
            yield from csv.reader(fh)
        except csv.Error as exc:
            raise unreadable(exc) from exc


_ODS_ROW = re.compile(rb"<table:table-row([^>]*)>|table:formula=")
_ODS_REPEAT = re.compile(rb'table:number-rows-repeated="([0-9]+)"')


def formula_rows(path: Path) -> set[int]:
    """Row numbers (1-based, as in the spreadsheet) of an ods sheet whose cells hold formulas.
    The reader sees only a formula's cached result, which may be stale or empty: such rows are
    rejected with a reason, never imported silently. xlsx has its own scan
    (``xlsxstream.scan``); xls and csv have none to find (xls formulas come back as values: the
    outcome file cannot flag them)."""
    if path.suffix.lower() != ".ods":
        return set()
    try:
        rows: set[int] = set()
        with zipfile.ZipFile(path) as archive:
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
        return rows
    except (zipfile.BadZipFile, KeyError, OSError):
        return set()
