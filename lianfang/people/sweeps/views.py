"""Sweep pages: start and list sweeps, coverage, the grid worker's building page (one tap per
door), the revisit list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import requires
from lianfang.people.forms import SweepForm
from lianfang.people.models import Sweep, VisitOutcome
from lianfang.people.permissions import MANAGE_SWEEPS, REGISTER, VIEW_PEOPLE
from lianfang.people.sweeps import selectors as sweep_selectors
from lianfang.people.sweeps import services as sweep_services
from lianfang.regions.models import Level, Region


def _sweep(request: ActorRequest, sweep_id: str) -> Sweep:
    sweep = sweep_selectors.open_sweeps(request.actor).filter(pk=sweep_id).first()
    if sweep is None:
        sweep = Sweep.objects.visible_to(request.actor, VIEW_PEOPLE).filter(pk=sweep_id).first()
    if sweep is None:
        raise Http404
    return sweep


@requires(VIEW_PEOPLE)
def sweep_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    regions = [
        (r.code, f"{r.get_level_display()} · {r.name}")
        for r in Region.objects.visible_to(actor, MANAGE_SWEEPS)
        .filter(is_active=True, level__in=[Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY])
        .order_by("code")
    ]
    form = SweepForm(
        request.POST or None,
        regions=regions,
        initial={"start_date": timezone.localdate(), "end_date": timezone.localdate()},
    )
    if request.method == "POST" and actor.can(MANAGE_SWEEPS) and form.is_valid():
        try:
            sweep = sweep_services.start_sweep(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("排查已发起。"))
            return redirect("people:sweep_detail", sweep_id=sweep.pk)
    closed = Sweep.objects.visible_to(actor, VIEW_PEOPLE).filter(is_open=False)[:20]
    return render(
        request,
        "people/sweep_list.html",
        {
            "open": sweep_selectors.open_sweeps(actor),
            "closed": closed,
            "form": form,
            "can_start": actor.can(MANAGE_SWEEPS),
        },
    )


@requires(VIEW_PEOPLE)
def sweep_detail(request: ActorRequest, sweep_id: str) -> HttpResponse:
    actor = request.actor
    sweep = _sweep(request, sweep_id)
    code = request.GET.get("region") or sweep.region_code
    region = Region.objects.visible_to(actor, VIEW_PEOPLE).filter(code=code).first()
    if region is None or not region.code.startswith(sweep.region_code):
        # A grid worker sees their own buildings rather than the sweep's whole area.
        region = None
    my_buildings = (
        sweep_selectors.my_buildings(actor, sweep)
        if actor.can(REGISTER) and (region is None or region.level == Level.COMMUNITY)
        else []
    )
    community = region.code if region is not None and region.level == Level.COMMUNITY else ""
    can_assign = bool(community) and sweep.is_open and actor.can(MANAGE_SWEEPS, community)
    return render(
        request,
        "people/sweep_detail.html",
        {
            "sweep": sweep,
            "region": region,
            "rows": sweep_selectors.coverage(actor, sweep, region)
            if region is not None and region.level != Level.COMMUNITY
            else [],
            "buildings": my_buildings,
            "revisit": sweep_selectors.revisit_list(actor, sweep)[:200],
            "can_close": sweep.is_open and actor.can(MANAGE_SWEEPS, sweep.region_code),
            "assignments": sweep_selectors.assignments(sweep, community) if can_assign else [],
            "assignees": sweep_selectors.assignable(sweep, community) if can_assign else [],
        },
    )


@requires(MANAGE_SWEEPS)
@require_POST
def sweep_assign(request: ActorRequest, sweep_id: str) -> HttpResponse:
    """Give the ticked buildings to one grid or community worker of the community."""
    actor = request.actor
    sweep = _sweep(request, sweep_id)
    codes = request.POST.getlist("building_codes")
    try:
        n = sweep_services.sweep_assign(
            actor=actor,
            sweep=sweep,
            building_codes=codes,
            assignee_id=int(request.POST.get("assignee_id") or 0),
        )
    except (DomainError, ValueError) as exc:
        messages.error(
            request, exc.as_text() if isinstance(exc, DomainError) else _("请选择人员。")
        )
    else:
        messages.success(request, _("已分派 %(n)s 个楼栋。") % {"n": n})
    community = codes[0][:12] if codes else sweep.region_code
    return redirect(reverse("people:sweep_detail", args=[sweep.pk]) + f"?region={community}")


@requires(REGISTER)
def sweep_building(request: ActorRequest, sweep_id: str, code: str) -> HttpResponse:
    actor = request.actor
    sweep = _sweep(request, sweep_id)
    building = (
        Region.objects.visible_to(actor, REGISTER).filter(code=code, level=Level.BUILDING).first()
    )
    if building is None or not code.startswith(sweep.region_code):
        raise Http404
    if request.method == "POST":
        try:
            sweep_services.record_visit(
                actor=actor,
                sweep=sweep,
                building_code=code,
                address=request.POST.get("address", ""),
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            if request.POST.get("outcome") == VisitOutcome.ARRIVALS_FOUND:
                query = urlencode({"region_code": code, "address": request.POST.get("address", "")})
                return redirect(reverse("people:create") + "?" + query)
        return redirect("people:sweep_building", sweep_id=sweep.pk, code=code)
    return render(
        request,
        "people/sweep_building.html",
        {
            "sweep": sweep,
            "building": building,
            "doors": sweep_selectors.doors(sweep, building),
            "outcomes": VisitOutcome.choices,
        },
    )


@requires(MANAGE_SWEEPS)
@require_POST
def sweep_close(request: ActorRequest, sweep_id: str) -> HttpResponse:
    sweep = _sweep(request, sweep_id)
    try:
        sweep_services.close_sweep(actor=request.actor, sweep=sweep)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("排查已结束。"))
    return redirect("people:sweep_detail", sweep_id=sweep.pk)
