"""The first sheet of an xlsx file, streamed: rows come out as they are decompressed, so a
million-row list never sits in memory (python-calamine loads the whole sheet: ~600 MB for a
million rows of six cells). ADR 0008.

The sheet XML is tokenised with one regular expression per chunk: the common cell forms (a value
``<v>``, an inline string ``<is><t>``) are read straight from its groups; anything else (rich text,
formulas with their cached value) goes through a slower general branch. Values come out like
python-calamine's: strings, ints and floats, ``bool``, ``date``/``datetime`` for numbers in a date
format, ``None`` for empty cells. Gaps between row numbers come out as empty rows, so a row's
position is its spreadsheet row number.

``scan`` is a cheaper pass over the same XML (byte searches, no tokenising) for what must be known
before the first row is imported: the number of rows, the rows holding formulas, and whether the
header row has merged cells (listed after the data)."""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# A row start, or a cell: (row number) | (column letters, other attributes, <v> value,
# inline text, anything else inside the cell). Attribute order: every writer we know puts r first.
_TOKEN = re.compile(
    rb"<row\b(?:[^>]*?\sr=\"([0-9]+)\")?[^>]*?>"
    rb"|<c(?=[\s>/])(?:\s+r=\"([A-Z]{1,3})[0-9]+\")?([^>]*?)"
    rb"(?:/>|>(?:<v>([^<]*)</v>|<is><t(?:\s[^>]*)?>([^<]*)</t></is>|(.*?))</c>)",
    re.S,
)
_ATTR_T = re.compile(rb'\bt="([A-Za-z]+)"')
_ATTR_S = re.compile(rb'\bs="([0-9]+)"')
_ATTR_R = re.compile(rb'\br="([A-Z]{1,3})[0-9]+"')
_V = re.compile(rb"<v>([^<]*)</v>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>", re.S)
_T_EMPTY = re.compile(rb"<t(?:\s[^>]*)?/>")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SI = re.compile(rb"<si>(?:<t(?:\s[^>]*)?>([^<]*)</t></si>|(.*?)</si>)|<si/>", re.S)
_MERGE = re.compile(rb'<mergeCell\s+ref="[A-Z]{1,3}([0-9]+)')
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]{0,3}[0-9]*:?[A-Z]{0,3}([0-9]+)"')
_CELL_ROW = re.compile(rb'<c\s+r="[A-Z]{1,3}([0-9]+)"')
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="([0-9]+)"')

# Built-in number formats that show dates (ECMA-376 §18.8.30, with the East Asian ones).
_DATE_FORMAT_IDS = frozenset(
    [*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)]
)
_DATE_TOKENS = re.compile(r"[dmyhs]", re.I)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class XlsxError(ValueError):
    """The file is not a readable xlsx workbook."""


@dataclass
class Scan:
    """What must be known before the first row is imported."""

    rows: int = 0  # the last row number (the header included)
    formula_rows: set[int] = field(default_factory=set)
    header_merged: bool = False


@dataclass
class _Book:
    sheet: str
    shared_strings: str | None
    styles: str | None
    date1904: bool


def _col_index(letters: bytes, cache: dict[bytes, int] = {}) -> int:  # noqa: B006 - a memo
    try:
        return cache[letters]
    except KeyError:
        n = 0
        for ch in letters:
            n = n * 26 + ch - 64
        cache[letters] = n - 1
        return n - 1


def _text(raw: bytes) -> str:
    if b"&" not in raw and b"_x" not in raw:
        return raw.decode("utf-8")
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _rich_text(inner: bytes) -> str:
    """The text of an ``<si>`` or ``<is>`` with runs, leaving out phonetic guides (``<rPh>``)."""
    if b"<rPh" in inner:
        inner = _PHONETIC.sub(b"", inner)
    return "".join(_text(t) for t in _T.findall(inner))


def _locate(archive: zipfile.ZipFile) -> _Book:
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise XlsxError("no workbook")
    workbook = archive.read("xl/workbook.xml")
    rels: dict[str, tuple[str, str]] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        text = archive.read("xl/_rels/workbook.xml.rels")
        for m in re.finditer(rb"<Relationship\b([^>]*)/?>", text):
            attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
            target = attrs.get(b"Target", b"").decode()
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            rels[attrs.get(b"Id", b"").decode()] = (attrs.get(b"Type", b"").decode(), path)
    first = re.search(rb"<sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook)
    sheet = rels.get(first.group(1).decode(), ("", ""))[1] if first else ""
    if sheet not in names:
        sheets = [n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        if not sheets:
            raise XlsxError("no worksheet")
        sheet = min(sheets, key=lambda n: int(re.findall(r"\d+", n)[-1]))

    def part(kind: str, default: str) -> str | None:
        for rel_type, path in rels.values():
            if rel_type.endswith("/" + kind) and path in names:
                return path
        return default if default in names else None

    date1904 = re.search(rb"<workbookPr\b[^>]*\bdate1904=\"(1|true)\"", workbook) is not None
    return _Book(
        sheet,
        part("sharedStrings", "xl/sharedStrings.xml"),
        part("styles", "xl/styles.xml"),
        date1904,
    )


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    if name is None:
        return []
    out: list[str] = []
    tail = b""
    with archive.open(name) as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = tail + chunk
            end = data.rfind(b"</si>")
            empty = data.rfind(b"<si/>")
            end = max(end + 5 if end >= 0 else -1, empty + 5 if empty >= 0 else -1)
            if end < 0:
                tail = data
            else:
                for m in _SI.finditer(data, 0, end):
                    simple, rich = m.group(1), m.group(2)
                    if simple is not None:
                        out.append(_text(simple))
                    elif rich is not None:
                        out.append(_rich_text(rich))
                    else:
                        out.append("")
                tail = data[end:]
            if not chunk:
                return out


def _is_date_format(code: str) -> bool:
    code = _QUOTED.sub("", code)
    return code.lower() != "general" and _DATE_TOKENS.search(code) is not None


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> frozenset[int]:
    """Indexes of the cell formats (``s``) whose number format shows a date."""
    if name is None:
        return frozenset()
    styles = archive.read(name)
    custom = {
        int(m.group(1)): html.unescape(m.group(2).decode("utf-8"))
        for m in re.finditer(rb'<numFmt\s+numFmtId="([0-9]+)"\s+formatCode="([^"]*)"', styles)
    }
    xfs = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    if xfs is None:
        return frozenset()
    dates: set[int] = set()
    for i, m in enumerate(re.finditer(rb"<xf\b([^>]*?)/?>", xfs.group(1))):
        found = re.search(rb'numFmtId="([0-9]+)"', m.group(1))
        fmt = int(found.group(1)) if found else 0
        if fmt in _DATE_FORMAT_IDS or (fmt in custom and _is_date_format(custom[fmt])):
            dates.add(i)
    return frozenset(dates)


def _serial_date(serial: float, date1904: bool) -> date | datetime:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if not date1904 and serial < 60:
        serial += 1  # Excel's phantom 1900-02-29
    millis = round(serial * 86_400_000)  # Excel keeps times to the millisecond
    moment = base + timedelta(milliseconds=millis)
    return moment.date() if millis % 86_400_000 == 0 else moment


def _number(raw: bytes) -> int | float:
    try:
        return int(raw)
    except ValueError:
        return float(raw)


class _Reader:
    def __init__(self, strings: list[str], dates: frozenset[int], date1904: bool) -> None:
        self.strings, self.dates, self.date1904 = strings, dates, date1904

    def value(
        self, attrs: bytes, v: bytes | None, inline: bytes | None, other: bytes | None
    ) -> Any:
        kind = b"n"
        if b't="' in attrs:
            found = _ATTR_T.search(attrs)
            kind = found.group(1) if found else b"n"
        if inline is not None:
            return _text(inline)
        if other is not None:
            if kind == b"inlineStr":
                if _T_EMPTY.search(other) and b"</t>" not in other:
                    return ""
                return _rich_text(other)
            found_v = _V.search(other)
            v = found_v.group(1) if found_v else None
        if not v:
            return "" if kind in (b"str", b"inlineStr") else None
        if kind == b"s":
            return self.strings[int(v)]
        if kind in (b"str", b"inlineStr"):
            return _text(v)
        if kind == b"b":
            return v.strip() in (b"1", b"true")
        if kind == b"e":
            return None
        if kind == b"d":
            text = v.decode()
            return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        number = _number(v.strip())
        if self.dates and b's="' in attrs:
            style = _ATTR_S.search(attrs)
            if style and int(style.group(1)) in self.dates:
                return _serial_date(number, self.date1904)
        return number


def _sheet_chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The sheet's ``sheetData`` in pieces that end after a complete row."""
    started = False
    tail = b""
    with archive.open(name) as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = tail + chunk
            if not started:
                at = data.find(b"<sheetData")
                if at < 0:
                    tail = data[-64:] if chunk else b""
                    if not chunk:
                        return
                    continue
                if data.startswith(b"<sheetData/>", at):
                    return  # an empty sheet
                started, data = True, data[at:]
            stop = data.find(b"</sheetData>")
            if stop >= 0:
                yield data[:stop]
                return
            end = data.rfind(b"</row>")
            if end < 0 or not chunk:
                tail = data
                if not chunk:
                    yield data
                    return
                continue
            yield data[: end + 6]
            tail = data[end + 6 :]


def rows(path: Path | str) -> Iterator[list[Any]]:
    """The first sheet's rows, header first, as lists of values (trailing empty cells left out)."""
    try:
        archive = zipfile.ZipFile(path)
        book = _locate(archive)
        reader = _Reader(
            _shared_strings(archive, book.shared_strings),
            _date_styles(archive, book.styles),
            book.date1904,
        )
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise XlsxError(type(exc).__name__) from exc
    return _rows(archive, book, reader)


def _rows(archive: zipfile.ZipFile, book: _Book, reader: _Reader) -> Iterator[list[Any]]:
    try:
        yield from _cells(archive, book, reader)
    except (IndexError, KeyError, ValueError, OverflowError, EOFError, OSError, zlib.error) as exc:
        raise XlsxError(type(exc).__name__) from exc  # damaged or hand-made wrong: say so
    except zipfile.BadZipFile as exc:
        raise XlsxError("BadZipFile") from exc


def _cells(archive: zipfile.ZipFile, book: _Book, reader: _Reader) -> Iterator[list[Any]]:
    with archive:
        number = 0  # the row being filled
        cells: list[Any] = []
        column = -1
        value, strings, text = reader.value, reader.strings, _text
        columns: dict[bytes, int] = {}
        for data in _sheet_chunks(archive, book.sheet):
            for m in _TOKEN.finditer(data):
                given, letters, attrs, v, inline, other = m.groups()
                if attrs is None:  # a row
                    if number:
                        yield cells
                    following = int(given) if given else number + 1
                    while number and number + 1 < following:  # rows left out: empty
                        number += 1
                        yield []
                    number, cells, column = following, [], -1
                    continue
                if letters is None:
                    found = _ATTR_R.search(attrs)
                    column = _col_index(found.group(1)) if found else column + 1
                else:
                    try:
                        column = columns[letters]
                    except KeyError:
                        column = columns[letters] = _col_index(letters)
                if inline is not None:  # the common cases first
                    content: Any = text(inline)
                elif v is not None and attrs == b' t="s"':
                    content = strings[int(v)]
                else:
                    content = value(attrs, v, inline, other)
                if column == len(cells):
                    cells.append(content)
                elif column > len(cells):
                    cells.extend([None] * (column - len(cells)))
                    cells.append(content)
                else:
                    cells[column] = content
        if number:
            yield cells


def scan(path: Path | str) -> Scan:
    """Rows, formula rows and a merged header, from byte searches over the sheet XML."""
    result = Scan()
    try:
        with zipfile.ZipFile(path) as archive:
            book = _locate(archive)
            with archive.open(book.sheet) as fh:
                _scan(fh, result)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise XlsxError(type(exc).__name__) from exc
    return result


def _scan(fh: IO[bytes], result: Scan) -> None:
    tail = b""
    rows = 0  # row elements before the current piece
    dimension: int | None = None
    first = True
    while True:
        chunk = fh.read(CHUNK)
        data = tail + chunk
        end = data.rfind(b"</row>")
        if chunk and end < 0:
            tail = data  # no complete row yet (or past the data: the rest is small)
            continue
        cut = end + 6 if chunk else len(data)
        piece, tail = data[:cut], data[cut:]
        if first:
            found = _DIMENSION.search(piece)
            dimension = int(found.group(1)) if found else None
            first = False
        at = piece.find(b"<f")
        while at >= 0:
            if piece[at + 2 : at + 3] in (b">", b" ", b"/"):
                result.formula_rows.add(_row_at(piece, at, rows))
            at = piece.find(b"<f", at + 2)
        for found in _MERGE.finditer(piece):
            if int(found.group(1)) == 1:
                result.header_merged = True
        rows += piece.count(b"<row ") + piece.count(b"<row>") + piece.count(b"<row/>")
        if not chunk:
            break
    result.rows = max(rows, dimension or 0)


def _row_at(piece: bytes, at: int, rows_before: int) -> int:
    """The row number of the cell holding position ``at``: from the cell's reference, else the
    row's, else by counting the rows (a file that numbers none)."""
    cell = piece.rfind(b"<c ", 0, at)
    found = _CELL_ROW.match(piece, cell) if cell >= 0 else None
    if found:
        return int(found.group(1))
    row = piece.rfind(b"<row", 0, at)
    numbered = _ROW_NUMBER.match(piece, row) if row >= 0 else None
    if numbered:
        return int(numbered.group(1))
    return rows_before + piece.count(b"<row", 0, at)
