"""The district's daily bulletin (日报简报): the communities' frozen snapshots grouped by
sub-district with subtotals and the district total, archived as generated; written as xlsx
(official-style table) and PDF (Chinese, with charts); and a public, de-identified version in
which no community's figure below ``MIN_CELL`` is shown exactly."""

from __future__ import annotations

import io
from datetime import date
from html import escape
from typing import Any

import xlsxwriter
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor
from lianfang.regions.models import Level, Region
from lianfang.reporting.models import Bulletin, DailyReport, ReportFigure, ShownStatus
from lianfang.reporting.permissions import BULLETIN
from lianfang.reporting.selectors import completeness, count_indicators

MIN_CELL = 5


def build(region: Region, day: date) -> dict[str, Any]:
    """The bulletin's table for ``day`` from the frozen snapshots (four queries in all)."""
    columns = [{"key": i.key, "label": str(i.short_label or i.label)} for i in count_indicators()]
    keys = [c["key"] for c in columns]
    figures: dict[str, dict[str, int]] = {}
    for code, key, value in ReportFigure.objects.filter(
        subtree_q("region_code", region.code), level=Level.COMMUNITY, day=day
    ).values_list("region_code", "key", "value"):
        figures.setdefault(code, {})[key] = value
    states = {
        r.region_code: r
        for r in DailyReport.objects.filter(
            subtree_q("region_code", region.code), level=Level.COMMUNITY, day=day
        ).only("region_code", "status", "late", "zero", "revision")
    }
    regions = list(
        Region.objects.filter(
            subtree_q("code", region.code),
            level__in=[Level.SUBDISTRICT, Level.COMMUNITY],
            is_active=True,
        )
        .order_by("code")
        .values_list("code", "name", "level")
    )
    groups: list[dict[str, Any]] = []
    for code, name, level in regions:
        if level == Level.SUBDISTRICT:
            groups.append(
                {"code": code, "name": name, "rows": [], "subtotal": dict.fromkeys(keys, 0)}
            )
            continue
        if not groups or not code.startswith(groups[-1]["code"]):
            continue
        report = states.get(code)
        row_figures = {k: figures.get(code, {}).get(k, 0) for k in keys}
        groups[-1]["rows"].append(
            {
                "code": code,
                "name": name,
                "status": report.shown_status if report else "draft",
                "corrected": bool(report and report.revision > 1),
                "figures": row_figures,
            }
        )
        for k in keys:
            groups[-1]["subtotal"][k] += row_figures[k]
    total = {k: sum(g["subtotal"][k] for g in groups) for k in keys}
    return {
        "day": day.isoformat(),
        "region": {"code": region.code, "name": region.name},
        "columns": columns,
        "groups": groups,
        "total": total,
        "completeness": completeness(region.code, day).as_dict(),
    }


@transaction.atomic
def generate(*, actor: Actor, region: Region, day: date) -> Bulletin:
    if not actor.can(BULLETIN, region.code) or region.level != Level.DISTRICT:
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以生成全区日报简报。"))
    if day >= timezone.localdate():
        raise InvalidInput("day_not_closed", _("只能为已结束的日期生成简报。"))
    data = build(region, day)
    data["generated_at"] = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    number = (
        Bulletin.objects.filter(region=region, day=day).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return Bulletin.objects.create(
        region=region,
        region_code=region.code,
        day=day,
        number=number,
        data=data,
        generated_at=timezone.now(),
        generated_by_id=actor.user_id,
    )


def status_text(status: str) -> str:
    try:
        return str(ShownStatus(status).label)
    except ValueError:
        return status


def to_xlsx(data: dict[str, Any]) -> bytes:
    """An official-style table: title, date, communities grouped by sub-district with a bold
    subtotal row each, and the district total."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("日报"))
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#DDEBF7",
        }
    )
    cell = book.add_format({"border": 1})
    num = book.add_format({"border": 1, "num_format": "0"})
    sub = book.add_format({"border": 1, "bold": True, "bg_color": "#F2F2F2"})
    tot = book.add_format({"border": 1, "bold": True, "bg_color": "#FCE4D6"})
    cols = data["columns"]
    width = 3 + len(cols)
    sheet.merge_range(
        0, 0, 0, width - 1, _("%(name)s疫情防控日报") % {"name": data["region"]["name"]}, title
    )
    c = data["completeness"]
    sheet.merge_range(
        1,
        0,
        1,
        width - 1,
        _(
            "报告日期：%(day)s　应报 %(expected)s　已报 %(submitted)s"
            "（按时 %(on_time)s，迟报 %(late)s）　漏报 %(missing)s"
        )
        % {"day": data["day"], **c},
    )
    header = [_("街道"), _("社区"), _("报送状态"), *[col["label"] for col in cols]]
    for i, h in enumerate(header):
        sheet.write_string(3, i, h, head)
    sheet.set_row(3, 36)
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, width - 1, 11)
    r = 4
    for g in data["groups"]:
        for row in g["rows"]:
            sheet.write_string(r, 0, g["name"], cell)
            sheet.write_string(r, 1, row["name"], cell)
            status = status_text(row["status"]) + (_("（已更正）") if row["corrected"] else "")
            sheet.write_string(r, 2, status, cell)
            for i, col in enumerate(cols):
                sheet.write_number(r, 3 + i, row["figures"][col["key"]], num)
            r += 1
        sheet.write_string(r, 0, g["name"], sub)
        sheet.write_string(r, 1, _("小计"), sub)
        sheet.write_string(r, 2, "", sub)
        for i, col in enumerate(cols):
            sheet.write_number(r, 3 + i, g["subtotal"][col["key"]], sub)
        r += 1
    sheet.write_string(r, 0, data["region"]["name"], tot)
    sheet.write_string(r, 1, _("合计"), tot)
    sheet.write_string(r, 2, "", tot)
    for i, col in enumerate(cols):
        sheet.write_number(r, 3 + i, data["total"][col["key"]], tot)
    sheet.freeze_panes(4, 3)
    book.close()
    return out.getvalue()


def bar_svg(labels: list[str], values: list[int], *, width: int = 640, bar: int = 18) -> str:
    """A horizontal bar chart as inline SVG (no script, no external resource) for the PDF."""
    top = max([*values, 1])
    height = 10 + len(values) * (bar + 8)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * (bar + 8)
        w = int((width - 260) * value / top)
        parts.append(
            f'<text x="0" y="{y + bar - 4}" font-size="12">{escape(label)}</text>'
            f'<rect x="200" y="{y}" width="{w}" height="{bar}" fill="#0d6efd"/>'
            f'<text x="{205 + w}" y="{y + bar - 4}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_pdf(data: dict[str, Any]) -> bytes:
    from lianfang.core.pdf import render_pdf

    cols = data["columns"]
    totals_chart = bar_svg([c["label"] for c in cols], [data["total"][c["key"]] for c in cols])
    key = cols[0]["key"] if cols else ""
    groups_chart = bar_svg(
        [g["name"] for g in data["groups"]], [g["subtotal"].get(key, 0) for g in data["groups"]]
    )
    return render_pdf(
        "reporting/bulletin_pdf.html",
        {
            "data": data,
            "totals_chart": totals_chart,
            "groups_chart": groups_chart,
            "first_label": cols[0]["label"] if cols else "",
            "status_text": {k: str(v) for k, v in ShownStatus.choices},
        },
    )


def public_version(data: dict[str, Any]) -> dict[str, Any]:
    """Counts only: the district total and the sub-district subtotals; a community's figure
    below ``MIN_CELL`` (and above zero) is shown as "<5", never exactly; no statuses, no codes
    below sub-district level."""

    def suppress(v: int) -> str:
        return str(v) if v == 0 or v >= MIN_CELL else f"<{MIN_CELL}"

    return {
        "day": data["day"],
        "region": data["region"]["name"],
        "columns": [c["label"] for c in data["columns"]],
        "total": [data["total"][c["key"]] for c in data["columns"]],
        "groups": [
            {
                "name": g["name"],
                "subtotal": [suppress(g["subtotal"][c["key"]]) for c in data["columns"]],
                "rows": [
                    {
                        "name": r["name"],
                        "figures": [suppress(r["figures"][c["key"]]) for c in data["columns"]],
                    }
                    for r in g["rows"]
                ],
            }
            for g in data["groups"]
        ],
        "min_cell": MIN_CELL,
    }
