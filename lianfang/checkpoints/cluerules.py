"""The checkpoints' discipline rule: hand-overs a community left unacknowledged until they
reached the district (推诿扯皮、落实不力). Records name the checkpoint and the times, never the
traveller."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.checkpoints.models import Handover, HandoverLevel
from lianfang.core import cluerules


def _span(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time(), tzinfo=tz)
    return start, datetime.combine(last, time(), tzinfo=tz) + timedelta(days=1)


def find(first: date, last: date, threshold: int) -> list[cluerules.Finding]:
    from lianfang.regions.models import Region

    rows = (
        Handover.objects.filter(
            created_at__range=_span(first, last), level=HandoverLevel.DISTRICT, routed=True
        )
        .values_list("region_code", "checkpoint__name", "created_at", "due_at", "acknowledged_at")
        .order_by("region_code", "created_at")
    )
    by_unit: dict[str, list[str]] = {}
    latest: dict[str, date] = {}
    for code, checkpoint, created, due, acked in rows:
        local = timezone.localtime
        latest[code] = timezone.localdate(created)
        line = _("%(at)s %(cp)s移交，接收时限 %(due)s，%(ack)s，已升级至区") % {
            "at": f"{local(created):%m-%d %H:%M}",
            "cp": checkpoint,
            "due": f"{local(due):%m-%d %H:%M}",
            "ack": _("%(t)s 才接收") % {"t": f"{local(acked):%m-%d %H:%M}"}
            if acked
            else _("未接收"),
        }
        by_unit.setdefault(code, []).append(line)
    names = dict(Region.objects.filter(code__in=list(by_unit)).values_list("code", "name"))
    out = []
    for code, records in by_unit.items():
        if len(records) < threshold:
            continue
        name = names.get(code, code)
        facts = _(
            "%(unit)s在 %(first)s 至 %(last)s 有 %(n)s 件卡口移交超过接收时限、层层升级至区仍未"
            "及时接收（阈值：至少 %(t)s 件）。"
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
            key="handovers_unacknowledged",
            label=gettext_lazy("卡口移交升级至区仍未接收"),
            kind_code="desertion",
            threshold=1,
            window_days=7,
            find=find,
            threshold_label=gettext_lazy("升级至区的移交件数"),
        )
    )
