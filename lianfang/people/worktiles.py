"""The registry's items on the home page's work queue (``core/worktiles.py``): self-reports to
verify and import rows to route for the community and sub-district, and for the grid worker
today's buildings of the running sweeps with their progress. Every count starts from the
actor's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import worktiles
from lianfang.core.scoping import Actor
from lianfang.core.worktiles import WorkItem
from lianfang.people.imports import selectors as import_selectors
from lianfang.people.models import SelfReport, SelfReportStatus
from lianfang.people.permissions import REGISTER, ROUTE
from lianfang.people.sweeps import selectors as sweep_selectors


def self_reports(actor: Actor) -> list[WorkItem]:
    count = (
        SelfReport.objects.visible_to(actor, REGISTER)
        .filter(status=SelfReportStatus.PENDING)
        .count()
    )
    url = reverse("people:selfreg_queue") + f"?status={SelfReportStatus.PENDING}"
    return [WorkItem(str(_("待核实的自主申报")), count, url)]


def rows_to_route(actor: Actor) -> list[WorkItem]:
    count = import_selectors.queued_rows(actor).count()
    return [WorkItem(str(_("待分派的导入人员")), count, reverse("people:route_queue"))]


def sweep_buildings(actor: Actor) -> list[WorkItem]:
    """Today's buildings: those of the running sweeps (open, dated over today) given to the
    actor, each with the households visited of those known."""
    today = timezone.localdate()
    out = []
    for sweep in sweep_selectors.open_sweeps(actor).filter(
        start_date__lte=today, end_date__gte=today
    ):
        buildings = sweep_selectors.my_buildings(actor, sweep)
        progress = sweep_selectors.building_progress(sweep, buildings)
        for b in buildings:
            done, total = progress[b.code]
            url = reverse("people:sweep_building", kwargs={"sweep_id": sweep.pk, "code": b.code})
            out.append(WorkItem(b.name, done, url, total=total, note=sweep.name))
    return out


def register_all() -> None:
    worktiles.register(
        "people.sweep_buildings",
        roles=("grid_worker",),
        perm=REGISTER,
        items=sweep_buildings,
        order=5,
    )
    worktiles.register(
        "people.self_reports",
        roles=("community_worker",),
        perm=REGISTER,
        items=self_reports,
        order=30,
    )
    worktiles.register(
        "people.rows_to_route",
        roles=("community_worker", "subdistrict_officer"),
        perm=ROUTE,
        items=rows_to_route,
        order=31,
    )
