"""``handover_escalation`` (every 10 minutes): a hand-over not acknowledged by its deadline goes to
the sub-district (its officers are notified), and ``district_after_minutes`` later to the district
command office. Idempotent (the level only moves up) and catches up after downtime (it looks at
every open hand-over, however old)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lianfang.checkpoints.models import Handover, HandoverLevel, HandoverStatus
from lianfang.checkpoints.services import policy_for
from lianfang.core import notifications
from lianfang.core.scheduler import register_job

ROLE: dict[str, str] = {
    HandoverLevel.SUBDISTRICT: "subdistrict_officer",
    HandoverLevel.DISTRICT: "command_office",
}


def _notify(handovers: list[Handover], level: str) -> None:
    from lianfang.accounts import selectors as accounts_selectors

    if not handovers:
        return
    length = 9 if level == HandoverLevel.SUBDISTRICT else 6
    codes = {h.region_code[:length] for h in handovers}
    staff = accounts_selectors.holders_by_region(ROLE[level], codes)
    messages: list[notifications.Message] = []
    for h in handovers:
        text = _("【卡口移交超时】移交至 %(code)s 的人员超过时限未确认接收，请督促处理。") % {
            "code": h.region_code
        }
        messages.extend(
            notifications.Message(kind="handover.overdue", text=text, user_id=u, ref=str(h.pk))
            for u in sorted(staff.get(h.region_code[:length], ()))
        )
    notifications.send(messages)


def escalate_now(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    policy = policy_for(timezone.localdate(now))
    moved = {"subdistrict": 0, "district": 0}
    with transaction.atomic():
        to_sub = list(
            Handover.objects.select_for_update().filter(
                status=HandoverStatus.PENDING, level=HandoverLevel.COMMUNITY, due_at__lte=now
            )
        )
        Handover.objects.filter(pk__in=[h.pk for h in to_sub]).update(
            level=HandoverLevel.SUBDISTRICT, escalated_at=now
        )
        later = now - timedelta(minutes=policy.district_after_minutes)
        to_district = list(
            Handover.objects.select_for_update().filter(
                status=HandoverStatus.PENDING, level=HandoverLevel.SUBDISTRICT, due_at__lte=later
            )
        )
        Handover.objects.filter(pk__in=[h.pk for h in to_district]).update(
            level=HandoverLevel.DISTRICT, escalated_at=now
        )
    moved["subdistrict"], moved["district"] = len(to_sub), len(to_district)
    _notify(to_sub, HandoverLevel.SUBDISTRICT)
    _notify(to_district, HandoverLevel.DISTRICT)
    return moved


@task()
def handover_escalation(slot: str) -> dict[str, int]:
    return escalate_now()


register_job(
    "checkpoints_handover_escalation",
    "*/10 * * * *",
    lambda s: handover_escalation.enqueue(slot=s),
)
