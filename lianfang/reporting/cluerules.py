"""The daily report's discipline rule: a community with repeated missing or late reports in a
window (瞒报谎报迟报漏报), from the supervision items of the report."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.core import cluerules
from lianfang.reporting.models import DailyReport, ReportStatus


def find(first: date, last: date, threshold: int) -> list[cluerules.Finding]:
    rows = (
        DailyReport.objects.filter(day__range=(first, last), level="community")
        .filter(Q(status=ReportStatus.MISSING) | Q(late=True))
        .values_list("region_code", "region__name", "day", "status")
        .order_by("region_code", "day")
    )
    by_unit: dict[str, tuple[str, list[str]]] = {}
    latest: dict[str, date] = {}
    for code, name, day, status in rows:
        latest[code] = day
        what = _("漏报") if status == ReportStatus.MISSING else _("迟报")
        by_unit.setdefault(code, (name, []))[1].append(f"{day:%Y-%m-%d} {what}")
    out = []
    for code, (name, records) in by_unit.items():
        if len(records) < threshold:
            continue
        missing = sum(1 for r in records if r.endswith(str(_("漏报"))))
        facts = _(
            "%(unit)s在 %(first)s 至 %(last)s 的日报告中漏报 %(m)s 次、迟报 %(l)s 次"
            "（阈值：%(n)s 日内至少 %(t)s 次）。"
        ) % {
            "unit": name,
            "first": f"{first:%m-%d}",
            "last": f"{last:%m-%d}",
            "m": missing,
            "l": len(records) - missing,
            "n": (last - first).days + 1,
            "t": threshold,
        }
        out.append(
            cluerules.Finding(
                key=code,
                latest=latest[code],
                unit_code=code,
                subject_unit=name,
                facts=facts,
                records=records,
            )
        )
    return out


def register() -> None:
    cluerules.register(
        cluerules.ClueRule(
            key="reports_missing_late",
            label=gettext_lazy("日报告多次漏报、迟报"),
            kind_code="concealment",
            threshold=2,
            window_days=7,
            find=find,
            threshold_label=gettext_lazy("漏报和迟报次数"),
        )
    )
