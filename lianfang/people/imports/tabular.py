"""Reading arrival lists (xlsx streamed by ``xlsxstream``; xls and ods via python-calamine; csv
streamed by the csv module). The header and its columns are found by ``header``."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput
from lianfang.people.imports import header as header_rules
from lianfang.people.imports import xlsxstream

MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = {".xlsx", ".xls", ".ods", ".csv"}

# Re-exported: the header's recognition lives in ``header``.
SYNONYMS, REQUIRED = header_rules.SYNONYMS, header_rules.REQUIRED


def detect_mapping(headers: list[Any], saved: dict[str, str] | None = None) -> dict[str, int]:
    """Field → column index (``header.detect_mapping``), refused without a name or an ID
    column."""
    return header_rules.require(header_rules.detect_mapping(headers, saved))


_MAGIC = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"),
)


def check_file(name: str, data_head: bytes, size: int) -> str:
    ext = Path(name).suffix.lower()
    if ext not in EXTENSIONS:
        msg = _("只支持 xlsx、xls、ods、csv 文件。")
        raise InvalidInput("file_type", msg, {"file": [msg]})
    if size > MAX_BYTES:
        msg = _("文件超过 50 MB，请拆分后导入。")
        raise InvalidInput("file_too_large", msg, {"file": [msg]})
    for magic, kind in _MAGIC:
        if data_head.startswith(magic):
            msg = _("这是一个 %(kind)s 文件，不是表格：请上传 xlsx、xls、ods 或 csv 名单。") % {
                "kind": kind
            }
            raise InvalidInput("file_type", msg, {"file": [msg]})
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
    header: list[Any]  # a text per column (a header of two rows joined)
    formula_rows: set[int]  # spreadsheet row numbers holding formulas
    encoding: str = ""  # csv only
    found: header_rules.Header | None = None  # the header's rows
    head: list[list[Any]] = field(default_factory=list)  # the first rows, header included

    @property
    def first_row(self) -> int:
        """The row number of the first row below the header."""
        return (self.found.last if self.found else 1) + 1


def unreadable(exc: Exception | None = None) -> InvalidInput:
    """A damaged file, said in words a worker understands (no library's name)."""
    msg = _(
        "文件已损坏或不是有效的表格，无法读取。请在 Excel 或 WPS 中打开并另存为 xlsx 后再导入。"
    )
    return InvalidInput("file_unreadable", msg, {"file": [msg]})


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


def _head(rows: Iterator[list[Any]]) -> list[list[Any]]:
    return [list(r) for r in islice(rows, header_rules.HEAD_ROWS)]


def inspect(path: Path, *, scan: bool = True, header_row: int | None = None) -> TableInfo:
    """The header (found by its content, or the row ``header_row``), the first rows, the row
    count and the formula rows. xlsx and csv are streamed (``xlsxstream``, ``csv``); xls and
    ods (small legacy formats) go through calamine. ``scan=False`` (xlsx): ``total`` -1 —
    whoever reads the rows then scans the sheet itself (``check_scan``)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        encoding, lines = _csv_encoding(path)
        head = _head(iter_rows(path, encoding))
        found = header_rules.find_header(head, header_row)
        return _info(max(0, lines - found.last), head, found, set(), encoding)
    if suffix == ".xlsx":
        try:
            rows = xlsxstream.rows(path)
            head = _head(rows)
            del rows  # closes the archive
        except xlsxstream.XlsxError as exc:
            raise unreadable(exc) from exc
        found = header_rules.find_header(head, header_row)
        if not scan:
            return _info(-1, head, found, set())
        scanned = check_scan(path)
        return _info(max(0, scanned.rows - found.last), head, found, scanned.formula_rows)
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        height = int(sheet.total_height)
        head = _head(iter(sheet.iter_rows()))
    except Exception as exc:
        raise unreadable(exc) from exc
    found = header_rules.find_header(head, header_row)
    return _info(max(0, height - found.last), head, found, formula_rows(path))


def _info(
    total: int,
    head: list[list[Any]],
    found: header_rules.Header,
    formulas: set[int],
    encoding: str = "",
) -> TableInfo:
    return TableInfo(total, found.cells, formulas, encoding, found, head)


def check_scan(path: Path) -> xlsxstream.Scan:
    """``xlsxstream.scan`` of an xlsx sheet. Merged cells are no longer refused: title rows
    are merged, and a header of two rows is joined (``header``)."""
    try:
        return xlsxstream.scan(path)
    except xlsxstream.XlsxError as exc:
        raise unreadable(exc) from exc


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
