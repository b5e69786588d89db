"""Work orders on the home page's work queue (``core/worktiles.py``): what the unit must sign for
and what is overdue; for the hotline, the follow-up calls due and the orders waiting to be
dispatched. Counts read through this app's selectors, from the actor's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianfang.cases import selectors
from lianfang.cases.permissions import HANDLE, INTAKE
from lianfang.core import worktiles
from lianfang.core.scoping import Actor
from lianfang.core.worktiles import WorkItem


def to_handle(actor: Actor) -> list[WorkItem]:
    board = reverse("cases:board")
    mine = selectors.handled_by(actor)
    return [
        WorkItem(
            str(_("超期的工单")),
            selectors.overdue(mine).count(),
            board + "?tab=overdue",
            urgent=True,
        ),
        WorkItem(
            str(_("待签收的工单")),
            mine.filter(state="dispatched").count(),
            board + "?tab=dispatched",
        ),
    ]


def hotline(actor: Actor) -> list[WorkItem]:
    board = reverse("cases:board")
    return [
        WorkItem(
            str(_("待回访的工单")), selectors.to_follow_up(actor).count(), board + "?tab=done"
        ),
        WorkItem(
            str(_("待派单的工单")), selectors.dispatch_queue(actor).count(), board + "?tab=received"
        ),
    ]


def register_all() -> None:
    worktiles.register(
        "cases.to_handle",
        roles=(
            "community_worker",
            "grid_worker",
            "subdistrict_officer",
            "sector_inspector",
            "discipline_officer",
            "discipline_leader",
        ),
        perm=HANDLE,
        items=to_handle,
        order=25,
    )
    worktiles.register(
        "cases.hotline", roles=("hotline_operator",), perm=INTAKE, items=hotline, order=10
    )
