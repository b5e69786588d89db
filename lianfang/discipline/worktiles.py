"""Clues on the home page's work queue (``core/worktiles.py``): proposals waiting for a leader
(never their own), clues past their time to be disposed of, and new ones to dispose of. Counts
read through this app's selectors, from the actor's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianfang.core import worktiles
from lianfang.core.scoping import Actor
from lianfang.core.worktiles import WorkItem
from lianfang.discipline import selectors
from lianfang.discipline.permissions import APPROVE, VIEW


def office(actor: Actor) -> list[WorkItem]:
    register = reverse("discipline:register")
    items = [
        WorkItem(
            str(_("超过处置时限的问题线索")),
            selectors.overdue_open(actor).count(),
            register + "?overdue=1",
            urgent=True,
        ),
        WorkItem(
            str(_("待提出处置意见的问题线索")),
            selectors.visible(actor).filter(state="registered").count(),
            register + "?state=registered",
        ),
    ]
    if actor.can(APPROVE):
        items.insert(
            0,
            WorkItem(
                str(_("待审批的查看反映人身份申请")),
                selectors.reveals_to_decide(actor).count(),
                register,
                urgent=True,
            ),
        )
        items.insert(
            0,
            WorkItem(
                str(_("待审批的处置意见")),
                selectors.to_approve(actor).count(),
                register + "?state=proposed",
                urgent=True,
            ),
        )
    return items


def register_all() -> None:
    worktiles.register(
        "discipline.office",
        roles=("discipline_officer", "discipline_leader"),
        perm=VIEW,
        items=office,
        order=20,
    )
