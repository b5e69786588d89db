"""Work-order figures for the daily report (registered in CasesConfig.ready): orders received
and done in a region, those open past their deadline, and the epidemic leads received and
verified. Counts include confidential orders (statistics only); the records behind a figure
start from the viewer's scope, where confidential orders stay the discipline office's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.cases import selectors
from lianfang.cases.models import Result, State, WorkOrder
from lianfang.cases.permissions import VIEW
from lianfang.core.indicators import FLOW, STOCK, Indicator, Window, register
from lianfang.core.regioncode import subtree_q

_OPEN = [State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS]


def _received(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(
        subtree_q("region_code", code), received_at__gte=w.start, received_at__lt=w.end
    )


def _done(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(subtree_q("region_code", code), done_at__gte=w.start, done_at__lt=w.end)


def _overdue(qs: Any, code: str, w: Window) -> Any:
    """Open at the window's end past their deadline (done later, or not yet)."""
    return qs.filter(
        Q(state__in=_OPEN) | Q(done_at__gte=w.end),
        subtree_q("region_code", code),
        due_at__lt=w.end,
        received_at__lt=w.end,
    ).exclude(state=State.MERGED)


def _leads(qs: Any, code: str, w: Window) -> Any:
    return _received(qs.filter(epidemic_lead=True), code, w)


def _verified(qs: Any, code: str, w: Window) -> Any:
    return _done(qs.filter(epidemic_lead=True, result=Result.REGISTERED), code, w)


def _row(o: WorkOrder) -> dict[str, str]:
    return {
        "title": f"{o.summary} {o.receipt}",
        "detail": f"{o.get_state_display()} · {timezone.localtime(o.received_at):%m-%d %H:%M}",
        "url": reverse("cases:detail", args=[o.pk]),
    }


def register_all() -> None:
    for key, label, kind, select, order in (
        ("workorders_received", _("受理举报与热线工单"), FLOW, _received, 60),
        ("workorders_done", _("办结工单"), FLOW, _done, 61),
        ("workorders_overdue", _("工单超期未办结"), STOCK, _overdue, 62),
        ("leads_received", _("收到疫情线索"), FLOW, _leads, 63),
        ("leads_verified", _("疫情线索核实登记"), FLOW, _verified, 64),
    ):
        register(_indicator(key, label, kind, select, order))


def _indicator(key: str, label: Any, kind: str, select: Any, order: int) -> Indicator:
    return Indicator(
        key=key,
        label=label,
        kind=kind,
        query=lambda c, w: select(WorkOrder.objects.all(), c, w),
        records=lambda a, c, w: select(WorkOrder.objects.filter(selectors.visibility(a)), c, w),
        perm=VIEW,
        present=_row,
        order=order,
    )
