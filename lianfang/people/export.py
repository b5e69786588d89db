"""xlsx export of a person list (XlsxWriter, constant memory). IDs and phones are always written
as text; masked unless the caller asked (and was allowed) to unmask, which is logged."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _

from lianfang.core import crypto
from lianfang.people.models import Person
from lianfang.people.services import ID_LABEL, PHONE_LABEL


def persons_xlsx(people: Iterable[Person], *, unmasked: bool) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet(_("人员名单"))
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"bold": True})
    columns = [
        _("姓名"),
        _("证件类型"),
        _("证件号码"),
        _("性别"),
        _("出生日期"),
        _("电话"),
        _("区划代码"),
        _("住址区域"),
        _("门牌/房号"),
    ]
    for col, title in enumerate(columns):
        sheet.write_string(0, col, title, head)
    sheet.set_column(2, 2, 22, text)
    sheet.set_column(5, 5, 16, text)
    for row, p in enumerate(people, start=1):
        id_number = crypto.decrypt(p.id_number_enc, ID_LABEL) if unmasked else p.id_number_masked
        phone = crypto.decrypt(p.phone_enc, PHONE_LABEL) if unmasked else p.phone_masked
        values = [
            p.full_name,
            p.get_doc_type_display(),
            id_number,
            p.get_gender_display(),
            p.birth_date.isoformat() if p.birth_date else "",
            phone,
            p.region_code,
            p.region.name,
            p.address,
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value), text)
    book.close()
    return buffer.getvalue()
