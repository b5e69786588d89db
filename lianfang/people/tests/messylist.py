"""A pushed arrival list as an office worker makes it in Excel, for the import's tests: a title
merged over the columns, a date line, a header of two rows (a group "返程信息" merged over four
columns, the others merged down), wordy headers with "（必填）" and line breaks, dates in every
form people write them, a blank row, a template's pre-numbered empty line, a subtotal, a numeric
ID cell, a repeated row, signature and footer lines. ``EXPECTED`` says what each row must become."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import xlsxwriter

from lianfang.people.tests.factories import resident_id

TITLE = "关于做好从湖北等地返兰人员排查登记的人员名单"
DATE_LINE = "填报单位：建宁路社区                    填报日期：2020年2月8日"
TOP = [
    "序号",
    "姓  名",
    "身份证号码\n（必填）",
    "联系电话",
    "返程信息",
    "",
    "",
    "",
    "现详细住址\n（必填）",
    "户籍地",
    "备注",
]
SUB = ["", "", "", "", "从何地来", "离开时间", "返兰时间", "如何返回", "", "", ""]
HEADER_ROWS = (3, 4)
UNRECOGNISED = ("户籍地", "备注")


def _person(seq: int) -> str:
    return resident_id(born="19850304", seq=seq)


NUMERIC_ID = 420902198503041234.0  # as Excel keeps an ID typed into a number cell
# (序号, name, ID, phone, origin, departure, arrival, transport, address, 户籍地, 备注)
ROWS: list[list[Any] | None] = [
    [
        1,
        "张 伟",
        _person(1),
        "13812345678",
        "湖北省武汉市",
        "2020.1.18",
        "2020.1.20",
        "火车",
        "建宁路社区建宁路1号楼3单元",
        "湖北武汉",
        "",
    ],
    [
        2,
        "李娜",
        _person(2),
        "",
        "武汉",
        "2020年1月19日",
        "2020年1月21日",
        "自驾",
        "建宁路社区",
        "",
        "居家",
    ],
    [
        3,
        "王芳",
        _person(3),
        "",
        "湖北省孝感市",
        "",
        "1月22日",
        "飞机",
        "建宁路社区2号楼",
        "",
        "",
    ],
    None,  # a blank row between people
    [4, "刘洋", _person(4), "", "420100", "", "1/22", "", "建宁路社区", "", ""],
    [
        5,
        "陈静",
        _person(5),
        "",
        "湖北省武汉市",
        "",
        43853,
        "客车",
        "建宁路社区",
        "",
        "",
    ],  # a serial
    [
        6,
        "杨帆",
        _person(6),
        "",
        "湖北省武汉市",
        "",
        datetime(2020, 1, 24, 15, 30),
        "",
        "建宁路社区",
        "",
        "",
    ],
    [7, "赵磊", _person(7), "", "武汉市", "", "2020-01-25 08:10", "", "建宁路社区", "", ""],
    [8, "黄敏", NUMERIC_ID, "", "武汉", "", "2020.1.25", "", "建宁路社区", "", ""],
    [
        9,
        "张 伟",
        _person(1),
        "13812345678",
        "湖北省武汉市",
        "2020.1.18",
        "2020.1.20",
        "火车",
        "建宁路社区建宁路1号楼3单元",
        "湖北武汉",
        "",
    ],
    [10, "周杰", _person(10), "", "湖北省武汉市", "", "2020.1.26", "", "某某小区5号", "", ""],
    [11],  # a template's pre-numbered line left empty
    ["合计", "10人", "", "", "", "", "", "", "", "", ""],
    [],
    ["制表人：王五", "", "", "审核人：赵六", "", "", "", "", "", "", ""],
    ["联系电话：0931-8888888", "", "", "", "", "", "", "", "", "", ""],
]
# Sheet row number → (outcome, reasons): what the import must make of each row.
EXPECTED = {
    5: ("created", ""),
    6: ("created", ""),
    7: ("created", ""),
    8: ("skipped", "blank_row"),
    9: ("created", ""),
    10: ("created", ""),
    11: ("created", ""),
    12: ("created", ""),
    13: ("rejected", "id_numeric_cell"),
    14: ("linked", "duplicate_row:5"),
    15: ("queued", "no_community_in_address"),
    16: ("skipped", "blank_row"),
    17: ("skipped", "subtotal_row"),
    18: ("skipped", "blank_row"),
    19: ("skipped", "note_row"),
    20: ("skipped", "note_row"),
}
ARRIVALS = {  # name → arrival date the import must read
    "张 伟": "2020-01-20",
    "李娜": "2020-01-21",
    "王芳": "2020-01-22",
    "刘洋": "2020-01-22",
    "陈静": "2020-01-23",
    "杨帆": "2020-01-24",
    "赵磊": "2020-01-25",
}


def xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("名单")
    wrap = book.add_format({"text_wrap": True, "bold": True})
    when = book.add_format({"num_format": "yyyy/m/d h:mm"})
    last = len(TOP) - 1
    sheet.merge_range(0, 0, 0, last, TITLE)
    sheet.merge_range(1, 0, 1, last, DATE_LINE)
    for c, title in enumerate(TOP):
        if c in (4, 5, 6, 7):
            continue
        sheet.merge_range(2, c, 3, c, title, wrap)
    sheet.merge_range(2, 4, 2, 7, TOP[4], wrap)
    for c in (4, 5, 6, 7):
        sheet.write_string(3, c, SUB[c], wrap)
    for r, row in enumerate(ROWS, start=4):
        for c, value in enumerate(row or []):
            if value == "" or value is None:
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, when)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_text() -> str:
    """The same list as Excel saves it as CSV: the number cells as Excel shows them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow([DATE_LINE])
    writer.writerow(TOP)
    writer.writerow(SUB)
    for row in ROWS:
        cells = []
        for value in row or []:
            if value == NUMERIC_ID:
                cells.append("4.20902E+17")
            elif isinstance(value, datetime):
                cells.append(value.strftime("%Y/%m/%d %H:%M"))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return out.getvalue()
