"""Monitoring's items on the home page's work queue (``core/worktiles.py``): open alerts for the
community and the grid worker, escalated ones for the sub-district, pending referrals for the
doctor. Each count reads through the features' selectors, from the actor's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianfang.core import worktiles
from lianfang.core.scoping import Actor
from lianfang.core.worktiles import WorkItem
from lianfang.monitoring.alerts import selectors as alert_selectors
from lianfang.monitoring.models import AlertLevel
from lianfang.monitoring.permissions import REFER, VIEW_MONITORING
from lianfang.monitoring.referrals import selectors as referral_selectors


def open_alerts(actor: Actor) -> list[WorkItem]:
    count = alert_selectors.alerts(actor, status="open").count()
    url = reverse("monitoring:alerts") + "?status=open"
    return [WorkItem(str(_("未关闭预警")), count, url, urgent=True)]


def escalated_alerts(actor: Actor) -> list[WorkItem]:
    count = alert_selectors.alerts(actor, status="open", level=AlertLevel.COMMUNITY).count()
    url = reverse("monitoring:alerts") + f"?status=open&level={AlertLevel.COMMUNITY}"
    return [WorkItem(str(_("已升级的未关闭预警")), count, url, urgent=True)]


def pending_referrals(actor: Actor) -> list[WorkItem]:
    count = referral_selectors.referrals(actor, pending=True).count()
    url = reverse("monitoring:referrals") + "?outcome=pending"
    return [WorkItem(str(_("待反馈的转诊")), count, url)]


def register_all() -> None:
    worktiles.register(
        "monitoring.open_alerts",
        roles=("community_worker", "grid_worker"),
        perm=VIEW_MONITORING,
        items=open_alerts,
        order=10,
    )
    worktiles.register(
        "monitoring.escalated_alerts",
        roles=("subdistrict_officer",),
        perm=VIEW_MONITORING,
        items=escalated_alerts,
        order=12,
    )
    worktiles.register(
        "monitoring.pending_referrals",
        roles=("doctor",),
        perm=REFER,
        items=pending_referrals,
        order=15,
    )
