"""Checkpoints' items on the home page's work queue (``core/worktiles.py``): hand-overs the
community must acknowledge, and for the sub-district the escalated ones and those waiting to be
routed. Counts read through this app's selectors, from the actor's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianfang.checkpoints import selectors
from lianfang.checkpoints.models import HandoverLevel
from lianfang.checkpoints.permissions import RECEIVE, ROUTE
from lianfang.core import worktiles
from lianfang.core.scoping import Actor
from lianfang.core.worktiles import WorkItem


def to_acknowledge(actor: Actor) -> list[WorkItem]:
    inbox = reverse("checkpoints:inbox")
    return [
        WorkItem(
            str(_("已超时未确认的卡口移交")),
            selectors.handovers(actor, status="overdue").count(),
            inbox + "?status=overdue",
            urgent=True,
        ),
        WorkItem(
            str(_("待确认接收的卡口移交")),
            selectors.handovers(actor, status="pending").count(),
            inbox + "?status=pending",
        ),
    ]


def escalated(actor: Actor) -> list[WorkItem]:
    count = (
        selectors.handovers(actor, status="overdue").exclude(level=HandoverLevel.COMMUNITY).count()
    )
    return [
        WorkItem(
            str(_("已升级的卡口移交")),
            count,
            reverse("checkpoints:inbox") + "?status=overdue",
            urgent=True,
        )
    ]


def to_route(actor: Actor) -> list[WorkItem]:
    count = selectors.to_route(actor).count()
    return [WorkItem(str(_("待分派的卡口移交")), count, reverse("checkpoints:route_queue"))]


def register_all() -> None:
    worktiles.register(
        "checkpoints.to_acknowledge",
        roles=("community_worker",),
        perm=RECEIVE,
        items=to_acknowledge,
        order=20,
    )
    worktiles.register(
        "checkpoints.escalated",
        roles=("subdistrict_officer",),
        perm=RECEIVE,
        items=escalated,
        order=20,
    )
    worktiles.register(
        "checkpoints.to_route",
        roles=("subdistrict_officer",),
        perm=ROUTE,
        items=to_route,
        order=21,
    )
