"""The header of a list as people make it in Excel: found by its content (title rows, a date
line, a header of two rows, a header not in row 1), its columns recognised by meaning (wordy and
local variants, notes such as "（必填）", line breaks), and what the worker sees before the
import runs (columns not recognised with a sample of their values, warnings). Per-file work: it
reads the first rows only (``HEAD_ROWS``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.core.errors import InvalidInput

HEAD_ROWS = 200  # rows read for the header, the samples and the list's own year
HEADER_SEARCH = 30  # the header is looked for among the first rows only

# Exact names (after ``norm``), then by meaning (``_RULES``).
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
    "serial": ("序号", "编号", "序", "serial"),
}
REQUIRED = ("full_name", "id_number")
# Columns whose absence the worker is warned of before the import runs.
EXPECTED = ("arrival_date", "address", "origin")
FIELD_LABELS = {
    "full_name": gettext_lazy("姓名"),
    "id_number": gettext_lazy("身份证号码"),
    "phone": gettext_lazy("手机号"),
    "origin": gettext_lazy("来源地"),
    "departure_date": gettext_lazy("离开日期"),
    "arrival_date": gettext_lazy("到达日期"),
    "address": gettext_lazy("现住址"),
    "transport": gettext_lazy("交通方式"),
    "transport_number": gettext_lazy("车次/航班/车牌"),
    "serial": gettext_lazy("序号"),
}

# By meaning, in this order (the first that matches wins): "出发地" is a place, "出发时间" a
# date; "如何返回" a way of travel, "返兰时间" a date.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("serial", re.compile(r"^(序号|编号|序|no\.?)$")),
    ("id_number", re.compile(r"身份证|证件号|身份号码|证件编号")),
    ("transport_number", re.compile(r"车次|航班|车牌|班次|车号")),
    ("transport", re.compile(r"交通方式|交通工具|出行方式|返回方式|如何返|怎么返|乘坐|返程方式")),
    ("departure_date", re.compile(r"(离开|出发|启程|动身|离).*(时间|日期)")),
    ("arrival_date", re.compile(r"(到达|抵达|抵|返|回|来|进入|到).*(时间|日期)|^(时间|日期)$")),
    ("origin", re.compile(r"从何|何地|哪里来|来源|来自|出发地|始发|来.*前.*(地|址)|途经地")),
    ("address", re.compile(r"^(?!.*户籍).*(住址|地址|居住地|现住|住所|居住)")),
    ("full_name", re.compile(r"^(?!.*(联系人|家属|户主|紧急)).*(姓名|名字)")),
    ("phone", re.compile(r"手机|电话|联系方式")),
)
_NOTES = re.compile(r"[（(【\[<《][^）)】\]>》]*[）)】\]>》]")
_NOISE = re.compile(r"[\s*:：_＊·.。、]")
_EXACT = {name.lower(): fieldname for fieldname, names in SYNONYMS.items() for name in names}


def norm(header: Any) -> str:
    """A header cell's words: no notes in brackets ("（必填）"), spaces, line breaks, colons."""
    text = str(header if header is not None else "")
    return _NOISE.sub("", _NOTES.sub("", text)).lower()


def classify(header: Any) -> str | None:
    """The field a header cell names, by its exact name or by its meaning; None if none."""
    words = norm(header)
    if not words or len(words) > 30:
        return None
    if words in _EXACT:
        return _EXACT[words]
    for fieldname, pattern in _RULES:
        if pattern.search(words):
            return fieldname
    return None


def _fields(cells: Sequence[Any]) -> set[str]:
    return {f for f in map(classify, cells) if f}


def _looks_like_data(cells: Sequence[Any]) -> bool:
    """A row holding an ID-like or a long number is data, not a header."""
    return any(
        (isinstance(c, int | float) and not isinstance(c, bool) and abs(c) > 10**9)
        or (isinstance(c, str) and len(re.sub(r"\D", "", c)) >= 11)
        for c in cells
    )


def _combined(upper: Sequence[Any], lower: Sequence[Any]) -> list[Any]:
    """Two header rows as one: a column's lower cell names it (the upper one is a group such as
    "返程信息" merged over several columns), else its upper cell (merged down over both)."""
    width = max(len(upper), len(lower))
    out: list[Any] = []
    for i in range(width):
        low = lower[i] if i < len(lower) else None
        up = upper[i] if i < len(upper) else None
        out.append(low if norm(low) else up)
    return out


@dataclass
class Header:
    """The header taken: its rows (1-based, ``first``..``last``) and a text per column."""

    first: int
    last: int
    cells: list[Any]
    found: bool  # recognised by its content (else the first row, for want of a better)


def find_header(head: Sequence[Sequence[Any]], at: int | None = None) -> Header:
    """The header among the first rows: the row naming most known columns (a name or an ID
    column among them), joined with the row below or above when the two name more together.
    ``at`` (1-based): the row the worker chose instead."""
    rows = list(head[:HEADER_SEARCH])
    if not rows:
        return Header(1, 1, [], False)
    if at is not None and 1 <= at <= len(head):
        index = at - 1
        found = True
    else:
        scores = [
            len(_fields(r)) if (_fields(r) & set(REQUIRED)) and not _looks_like_data(r) else 0
            for r in rows
        ]
        best = max(scores)
        found = best >= 2
        index = scores.index(best) if found else 0
    cells = list(head[index])
    first = last = index + 1
    alone = len(_fields(cells))
    candidates = []
    if index + 1 < len(head) and not _looks_like_data(head[index + 1]):
        candidates.append((index + 1, index + 2, _combined(cells, head[index + 1])))
    if index > 0 and not _looks_like_data(head[index - 1]):
        candidates.append((index, index + 1, _combined(head[index - 1], cells)))
    for top, bottom, joined in candidates:
        if len(_fields(joined)) > alone:
            first, last, cells, alone = top, bottom, joined, len(_fields(joined))
    return Header(first, last, cells, found)


def detect_mapping(headers: Sequence[Any], saved: dict[str, str] | None = None) -> dict[str, int]:
    """Field → column index. A saved mapping (field → header text) wins over recognition; each
    field takes the first column that names it."""
    normalised = [norm(h) for h in headers]
    mapping: dict[str, int] = {}
    for fieldname, header in (saved or {}).items():
        if fieldname in SYNONYMS and norm(header) in normalised:
            mapping[fieldname] = normalised.index(norm(header))
    taken = set(mapping.values())
    for i, h in enumerate(headers):
        found = classify(h)
        if found and found not in mapping and i not in taken:
            mapping[found] = i
            taken.add(i)
    return mapping


def require(mapping: dict[str, int]) -> dict[str, int]:
    """The mapping, if it has the columns no row can do without."""
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        msg = _("找不到必需的列：%(cols)s。请在列映射中指定表头所在的行或对应的列。") % {
            "cols": "、".join(str(FIELD_LABELS[m]) for m in missing)
        }
        raise InvalidInput("header_unrecognised", msg, {"mapping": [msg]})
    return mapping


_LONG_NUMBER = re.compile(r"\d+\.\d+[Ee]\+?\d+|\d{7,}[Xx]?")  # an ID, a phone, 4.20902E+17


def sample_text(value: Any) -> str:
    """A cell as a sample on the mapping page; a long run of digits (an ID, a phone) masked."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute) else value
    text = " ".join(str(value).split())[:40]
    return _LONG_NUMBER.sub(_masked, text)


def _masked(found: re.Match[str]) -> str:
    run = found.group(0)
    return run[:3] + "*" * (len(run) - 5) + run[-2:]


@dataclass
class Column:
    index: int
    title: str
    field: str | None
    samples: list[str]


@dataclass
class Preview:
    """What the mapping step shows: the header taken, every column with its field (or none)
    and a sample of its values, the first rows (to choose another header row), warnings."""

    header: Header
    mapping: dict[str, int]
    columns: list[Column]
    rows: list[tuple[int, str]]  # (row number, its first cells), for choosing the header
    warnings: list[str] = field(default_factory=list)

    @property
    def unrecognised(self) -> list[Column]:
        return [c for c in self.columns if c.field is None and (c.title or c.samples)]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def preview(
    head: Sequence[Sequence[Any]],
    *,
    at: int | None = None,
    saved: dict[str, str] | None = None,
    columns: dict[str, int] | None = None,
) -> Preview:
    header = find_header(head, at)
    mapping = dict(columns) if columns else detect_mapping(header.cells, saved)
    by_index = {i: f for f, i in mapping.items()}
    data = head[header.last :]
    width = max([len(header.cells), *(len(r) for r in data[:50])], default=0)
    out: list[Column] = []
    for i in range(width):
        cell = header.cells[i] if i < len(header.cells) else None
        title = " ".join(str(cell).split()) if cell is not None else ""
        samples = [sample_text(r[i]) for r in data if i < len(r) and sample_text(r[i])][:3]
        out.append(Column(i, title, by_index.get(i), samples))
    rows = [
        (n, " | ".join(sample_text(c) for c in r[:6] if sample_text(c))[:80])
        for n, r in enumerate(head[:HEADER_SEARCH], start=1)
    ]
    warnings = []
    if not header.found and at is None:
        warnings.append(_("没有找到表头行，暂按第 1 行处理：请选择表头所在的行。"))
    missing = [str(FIELD_LABELS[f]) for f in EXPECTED if f not in mapping]
    if missing:
        warnings.append(
            _("没有找到这些列：%(cols)s。导入后这些信息为空，请确认或在下方指定。")
            % {"cols": "、".join(missing)}
        )
    return Preview(header, mapping, out, rows, warnings)


_FULL_YEAR = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*\d{1,2}\s*[-/.月]")


def list_year(head: Sequence[Sequence[Any]], header: Header, mapping: dict[str, int]) -> int | None:
    """The year the list's own dates are written with (the most common among the first rows'
    arrival and departure dates, and the title's date line); None if none says it."""
    years: Counter[int] = Counter()
    for position in (mapping.get("arrival_date"), mapping.get("departure_date")):
        if position is None:
            continue
        for row in head[header.last :]:
            value = row[position] if position < len(row) else None
            if isinstance(value, date):  # a datetime too
                years[value.year] += 1
            elif isinstance(value, str) and (m := _FULL_YEAR.search(value)):
                years[int(m.group(1))] += 1
    if not years:
        for row in head[: header.first - 1]:  # a date line above the header: "2020年1月25日"
            for value in row:
                if isinstance(value, str) and (m := _FULL_YEAR.search(value)):
                    years[int(m.group(1))] += 1
    return years.most_common(1)[0][0] if years else None
