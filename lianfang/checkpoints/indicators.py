"""Checkpoint figures for the daily report (registered in CheckpointsConfig.ready): vehicles and
people checked at the checkpoints in a region, fevers found there, and the hand-overs the
region's communities received, acknowledged in time, or left overdue."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.checkpoints.models import Handover, HandoverStatus, Occupant, VehicleCheck
from lianfang.checkpoints.permissions import RECEIVE, VIEW_CHECKPOINTS
from lianfang.core.indicators import FLOW, STOCK, Indicator, Window, register
from lianfang.core.regioncode import subtree_q


def _checks(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(subtree_q("region_code", code), checked_at__gte=w.start, checked_at__lt=w.end)


def _people(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(
        subtree_q("region_code", code),
        check_record__checked_at__gte=w.start,
        check_record__checked_at__lt=w.end,
    )


def _made(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(subtree_q("region_code", code), created_at__gte=w.start, created_at__lt=w.end)


def _in_time(qs: Any, code: str, w: Window) -> Any:
    return qs.filter(
        subtree_q("region_code", code),
        acknowledged_at__gte=w.start,
        acknowledged_at__lt=w.end,
        acknowledged_at__lte=F("due_at"),
    )


def _overdue(qs: Any, code: str, w: Window) -> Any:
    """Open at the window's end past their deadline (acknowledged later, or not yet)."""
    return qs.filter(
        Q(status=HandoverStatus.PENDING) | Q(acknowledged_at__gte=w.end),
        subtree_q("region_code", code),
        due_at__lt=w.end,
    )


def _check_row(c: VehicleCheck) -> dict[str, str]:
    return {
        "title": c.plate,
        "detail": f"{c.checkpoint.name} · {timezone.localtime(c.checked_at):%m-%d %H:%M}",
        "url": reverse("checkpoints:board", args=[c.checkpoint_id]),
    }


def _occupant_row(o: Occupant) -> dict[str, str]:
    return {
        "title": o.full_name,
        "detail": f"{o.check_record.plate} · {o.get_outcome_display()}",
        "url": reverse("checkpoints:board", args=[o.check_record.checkpoint_id]),
    }


def _handover_row(h: Handover) -> dict[str, str]:
    return {
        "title": h.occupant.full_name,
        "detail": f"{h.get_status_display()} · {timezone.localtime(h.due_at):%m-%d %H:%M}",
        "url": reverse("checkpoints:inbox") + f"?status={h.status}",
    }


def register_all() -> None:
    register(
        Indicator(
            key="vehicles_checked",
            label=_("卡口检查车辆"),
            kind=FLOW,
            query=lambda c, w: _checks(VehicleCheck.objects.all(), c, w),
            records=lambda a, c, w: _checks(
                VehicleCheck.objects.visible_to(a, VIEW_CHECKPOINTS).select_related("checkpoint"),
                c,
                w,
            ),
            perm=VIEW_CHECKPOINTS,
            present=_check_row,
            order=50,
        )
    )
    register(
        Indicator(
            key="people_checked",
            label=_("卡口检查人员"),
            kind=FLOW,
            query=lambda c, w: _people(Occupant.objects.all(), c, w),
            records=lambda a, c, w: _people(
                Occupant.objects.visible_to(a, VIEW_CHECKPOINTS).select_related("check_record"),
                c,
                w,
            ),
            perm=VIEW_CHECKPOINTS,
            present=_occupant_row,
            order=51,
        )
    )
    register(
        Indicator(
            key="checkpoint_fevers",
            label=_("卡口发现发热"),
            kind=FLOW,
            query=lambda c, w: _people(Occupant.objects.filter(fever=True), c, w),
            records=lambda a, c, w: _people(
                Occupant.objects.visible_to(a, VIEW_CHECKPOINTS)
                .filter(fever=True)
                .select_related("check_record"),
                c,
                w,
            ),
            perm=VIEW_CHECKPOINTS,
            present=_occupant_row,
            order=52,
        )
    )
    for key, label, kind, select, order in (
        ("handovers_made", _("卡口移交本辖区人员"), FLOW, _made, 53),
        ("handovers_in_time", _("按时接收移交"), FLOW, _in_time, 54),
        ("handovers_overdue", _("移交超时未接收"), STOCK, _overdue, 55),
    ):
        register(_handover_indicator(key, label, kind, select, order))


def _handover_indicator(key: str, label: Any, kind: str, select: Any, order: int) -> Indicator:
    return Indicator(
        key=key,
        label=label,
        kind=kind,
        query=lambda c, w: select(Handover.objects.all(), c, w),
        records=lambda a, c, w: select(
            Handover.objects.visible_to(a, RECEIVE).select_related("occupant"), c, w
        ),
        perm=RECEIVE,
        present=_handover_row,
        order=order,
    )
