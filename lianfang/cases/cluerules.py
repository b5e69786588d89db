"""The tip-offs' discipline rule: work orders a unit let run past escalation (群众诉求处置不力).
Confidential orders are the discipline office's own and never counted here; records give the
order's category and place summary, never the reporter."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.cases.models import WorkOrder
from lianfang.core import cluerules


def find(first: date, last: date, threshold: int) -> list[cluerules.Finding]:
    from lianfang.regions.models import Region

    tz = timezone.get_current_timezone()
    span = (
        datetime.combine(first, time(), tzinfo=tz),
        datetime.combine(last, time(), tzinfo=tz) + timedelta(days=1),
    )
    rows = (
        WorkOrder.objects.filter(escalated_at__range=span, confidential=False)
        .values_list("region_code", "summary", "received_at", "escalated_at")
        .order_by("region_code", "escalated_at")
    )
    by_unit: dict[str, list[str]] = {}
    latest: dict[str, date] = {}
    for code, summary, received, escalated in rows:
        local = timezone.localtime
        latest[code] = timezone.localdate(escalated)
        by_unit.setdefault(code, []).append(
            _("%(r)s 受理的“%(s)s”工单，%(e)s 超期升级")
            % {"r": f"{local(received):%m-%d}", "s": summary, "e": f"{local(escalated):%m-%d}"}
        )
    names = dict(Region.objects.filter(code__in=list(by_unit)).values_list("code", "name"))
    out = []
    for code, records in by_unit.items():
        if len(records) < threshold:
            continue
        name = names.get(code, code)
        facts = _(
            "%(unit)s在 %(first)s 至 %(last)s 有 %(n)s 件群众诉求工单超期未办、被升级督办"
            "（阈值：至少 %(t)s 件）。"
        ) % {
            "unit": name,
            "first": f"{first:%m-%d}",
            "last": f"{last:%m-%d}",
            "n": len(records),
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
            key="orders_overdue_escalated",
            label=gettext_lazy("群众诉求工单多次超期升级"),
            kind_code="neglect",
            threshold=3,
            window_days=7,
            find=find,
            threshold_label=gettext_lazy("超期升级的工单件数"),
        )
    )
