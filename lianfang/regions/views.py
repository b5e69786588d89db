"""Region pages: home (the actor's territory), a region's page, search, and management."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core import navigation, worktiles
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, requires
from lianfang.regions import selectors, services
from lianfang.regions.codes import child_level
from lianfang.regions.forms import MoveForm, RegionCreateForm, RenameForm
from lianfang.regions.models import Level
from lianfang.regions.permissions import MANAGE_REGIONS, VIEW_REGION

CHART_LEVELS = (Level.DISTRICT, Level.SUBDISTRICT)


def _chart(children: list[selectors.ChildCounts]) -> dict[str, Any]:
    return {
        "names": [c.region.name for c in children],
        "buildings": [c.buildings for c in children],
        "grid_workers": [c.grid_workers for c in children],
    }


@requires(VIEW_REGION)
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    tops = selectors.top_regions(actor)
    if not worktiles.has_queue(actor):
        if len(tops) == 1:
            return region_page(request, tops[0].code, is_home=True)
        return render(request, "regions/home_many.html", {"regions": tops})
    return render(
        request,
        "regions/home.html",
        {
            "region": tops[0] if len(tops) == 1 else None,
            "regions": tops,
            "items": worktiles.items_for(actor),
            "panels": worktiles.panels_for(actor),
        },
    )


@requires(VIEW_REGION)
def region_detail(request: ActorRequest, code: str) -> HttpResponse:
    return region_page(request, code)


def region_page(request: ActorRequest, code: str, *, is_home: bool = False) -> HttpResponse:
    actor = request.actor
    region = selectors.get_region(actor, code)
    children = selectors.children_with_counts(actor, region)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "is_home": is_home,
            "breadcrumbs": selectors.breadcrumbs(actor, region),
            "children": children,
            "totals": selectors.totals(actor, region),
            "staff": navigation.region_staff(actor, region),
            "chart": _chart(children) if children and region.level in CHART_LEVELS else None,
            "can_manage": actor.can(MANAGE_REGIONS, region.code),
        },
    )


def _region_list(request: ActorRequest, template: str) -> HttpResponse:
    qs = selectors.search(
        request.actor,
        request.GET.get("q", ""),
        level=request.GET.get("level", ""),
        active=request.GET.get("active", ""),
    )
    page, query = paginate(request, qs)
    return render(request, template, {"page": page, "query": query, "levels": Level.choices})


@requires(VIEW_REGION)
def search(request: ActorRequest) -> HttpResponse:
    return _region_list(request, "regions/search.html")


@requires(MANAGE_REGIONS)
def manage(request: ActorRequest) -> HttpResponse:
    return _region_list(request, "regions/manage.html")


@requires(MANAGE_REGIONS)
def manage_region(request: ActorRequest, code: str) -> HttpResponse:
    actor = request.actor
    region = selectors.get_region(actor, code)
    create_form, rename_form, move_form = (
        RegionCreateForm(),
        RenameForm(initial={"name": region.name}),
        MoveForm(),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        form: Any = None
        try:
            if action == "create":
                form = create_form = RegionCreateForm(request.POST)
                if form.is_valid():
                    child = services.create_region(
                        actor=actor, parent_code=region.code, **form.cleaned_data
                    )
                    messages.success(request, _("已新增 %(name)s。") % {"name": child.name})
                    return redirect("regions:manage_region", code=region.code)
            elif action == "rename":
                form = rename_form = RenameForm(request.POST)
                if form.is_valid():
                    services.rename_region(
                        actor=actor, region=region, name=form.cleaned_data["name"]
                    )
                    messages.success(request, _("已更名。"))
                    return redirect("regions:manage_region", code=region.code)
            elif action == "move":
                form = move_form = MoveForm(request.POST)
                if form.is_valid():
                    moved = services.move_building(
                        actor=actor, building=region, **form.cleaned_data
                    )
                    messages.success(
                        request, _("楼栋已移至新社区，新代码 %(code)s。") % {"code": moved.code}
                    )
                    return redirect("regions:manage_region", code=moved.code)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
            else:
                apply_domain_error(exc, form)
    level = child_level(region.level)
    return render(
        request,
        "regions/manage_region.html",
        {
            "region": region,
            "children": region.children.order_by("code"),
            "child_level": Level(level).label if level else None,
            "suggested_code": services.next_free_code(region) if level else "",
            "create_form": create_form,
            "rename_form": rename_form,
            "move_form": move_form,
            "is_building": region.level == Level.BUILDING,
            "staff": navigation.region_staff(actor, region),
        },
    )


@requires(MANAGE_REGIONS)
@require_POST
def set_active(request: ActorRequest, code: str) -> HttpResponse:
    actor = request.actor
    region = selectors.get_region(actor, code)
    try:
        services.set_region_active(
            actor=actor, region=region, active=request.POST.get("active") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已启用。") if region.is_active else _("已停用。"))
    return redirect("regions:manage_region", code=region.code)
