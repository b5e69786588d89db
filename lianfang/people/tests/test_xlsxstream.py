"""The streaming xlsx reader reads what python-calamine reads (the reference), without loading
the sheet, and its scan finds formulas and a merged header."""

import io
import zipfile
from datetime import date, datetime

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from lianfang.people.imports import xlsxstream


def _book(path, fill, **options):
    book = xlsxwriter.Workbook(str(path), options)
    fill(book, book.add_worksheet())
    book.close()
    return path


def _calamine(path):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    return [_trim(r) for r in rows]


def _trim(row):
    """calamine pads every row to the sheet's width with ""; the stream leaves them out."""
    row = list(row)
    while row and row[-1] in ("", None):
        row.pop()
    return [None if v == "" else v for v in row]


def _stream(path):
    return [_trim(r) for r in xlsxstream.rows(path)]


def test_shared_strings_numbers_dates_booleans_and_gaps_read_like_calamine(tmp_path):
    def fill(book, sheet):
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        chinese_day = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        sheet.write_row(0, 0, ["姓名", "身份证号码", "到达日期", "人数", "核实"])
        sheet.write_string(1, 0, "张三 & <李四>")
        sheet.write_string(1, 1, "62010519800101001X")
        sheet.write_datetime(1, 2, datetime(2020, 1, 25), day)
        sheet.write_number(1, 3, 3)
        sheet.write_boolean(1, 4, True)
        sheet.write_string(2, 0, "王五")  # a blank cell in the middle, then a value
        sheet.write_number(2, 3, 2.5)
        sheet.write_datetime(2, 2, datetime(2020, 2, 1), chinese_day)
        sheet.write_string(5, 0, "赵六")  # rows 4 and 5 do not exist in the file
        sheet.write_datetime(5, 2, datetime(2020, 2, 3, 14, 30), moment)
        sheet.write_number(5, 1, 620105198001010010)  # an ID typed as a number

    path = _book(tmp_path / "a.xlsx", fill)
    rows = _stream(path)
    assert rows == _calamine(path)
    assert rows[1][:3] == ["张三 & <李四>", "62010519800101001X", date(2020, 1, 25)]
    assert rows[2][2] == date(2020, 2, 1)
    assert rows[3] == rows[4] == []
    assert rows[5][2] == datetime(2020, 2, 3, 14, 30)
    assert isinstance(rows[5][1], int | float)


def test_inline_strings_rich_text_and_formulas_keep_their_cached_values(tmp_path):
    def fill(book, sheet):
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, ["姓名", "备注"])
        sheet.write_rich_string(1, 0, "张", bold, "三", "丰")
        sheet.write_formula(1, 1, '="甲"&"乙"', None, "甲乙")
        sheet.write_string(2, 0, "换行\r\n之后")

    path = _book(tmp_path / "b.xlsx", fill, constant_memory=True)
    rows = _stream(path)
    assert rows == _calamine(path)
    assert rows[1] == ["张三丰", "甲乙"]
    assert rows[2] == ["换行\r\n之后"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(
                    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
                    min_size=1,
                    max_size=12,
                ).filter(lambda s: s.strip() == s and s != ""),
                st.integers(-(10**9), 10**9),
                st.floats(allow_nan=False, allow_infinity=False, width=32),
            ),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_any_cells_read_back_as_written(tmp_path, table, inline):
    def fill(book, sheet):
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)

    path = _book(tmp_path / f"p{inline}.xlsx", fill, constant_memory=inline)
    assert _stream(path) == _calamine(path)


def test_scan_finds_formula_rows_a_merged_header_and_the_row_count(tmp_path):
    def fill(book, sheet):
        sheet.merge_range(0, 0, 0, 1, "人员信息")
        sheet.write_string(1, 0, "甲")
        sheet.write_formula(3, 1, "=1+1", None, 2)

    scan = xlsxstream.scan(_book(tmp_path / "c.xlsx", fill))
    assert scan.formula_rows == {4}
    assert scan.header_merged
    assert scan.rows == 4

    def plain(book, sheet):
        sheet.merge_range(2, 0, 2, 1, "合并的数据行")
        sheet.write_string(0, 0, "姓名")

    assert not xlsxstream.scan(_book(tmp_path / "d.xlsx", plain)).header_merged


def _handmade(sheet_data: str, shared: str | None = None, after: str = "") -> bytes:
    """A minimal workbook as some generators write it (no r attributes, escapes, 1904 dates)."""
    buffer = io.BytesIO()
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><workbookPr date1904="1"/>'
            '<sheets><sheet name="S" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId7" Type="{rel}/worksheet" Target="/xl/worksheets/data.xml"/>'
            f'<Relationship Id="rId8" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<styleSheet {ns}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
            "</styleSheet>",
        )
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", f"<sst {ns}>{shared}</sst>")
        data = f"<sheetData>{sheet_data}</sheetData>" if sheet_data else "<sheetData/>"
        z.writestr("xl/worksheets/data.xml", f"<worksheet {ns}>{data}{after}</worksheet>")
    return buffer.getvalue()


def test_cells_without_references_escapes_phonetics_and_1904_dates(tmp_path):
    path = tmp_path / "h.xlsx"
    path.write_bytes(
        _handmade(
            '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c s="1"><v>0</v></c></row>'
            '<row><c t="inlineStr"><is><t xml:space="preserve"> 甲_x000D_乙 </t></is></c>'
            '<c t="str"><f>A1</f><v>&amp;&#20013;</v></c><c t="b"><v>0</v></c>'
            '<c t="e"><v>#N/A</v></c></row>',
            shared="<si><t>姓名</t></si><si><r><t>单</t></r><r><t>某</t></r>"
            "<rPh><t>シャン</t></rPh></si>",
        )
    )
    assert _stream(path) == [["姓名", "单某", date(1904, 1, 1)], [" 甲\r乙 ", "&中", False]]
    assert xlsxstream.scan(path).formula_rows == {2}  # numbered by counting the rows


def test_a_long_sheet_is_read_in_flat_memory(tmp_path):
    import tracemalloc

    def fill(book, sheet):
        for r in range(40_000):
            sheet.write_row(
                r, 0, [f"姓名{r}", f"62010519800101{r:04d}", "湖北省武汉市", "2020-01-25"]
            )

    path = _book(tmp_path / "long.xlsx", fill, constant_memory=True)
    tracemalloc.start()
    try:
        count = sum(1 for _ in xlsxstream.rows(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 40_000
    assert peak < 8 * 1024 * 1024  # the rows as lists would take ~20 MB: only pieces are held


def test_an_empty_sheet_has_no_rows_whatever_follows_its_data(tmp_path):
    path = tmp_path / "e.xlsx"
    after = '<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"/>'
    path.write_bytes(_handmade("", after=after + "</conditionalFormatting>"))
    assert list(xlsxstream.rows(path)) == []
