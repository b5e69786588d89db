"""Command-office pages for centralised sites with their rooms and occupancy, and the fever
clinic list. Thin: services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.views import query_date, requires
from lianfang.monitoring.models import Hospital, Site
from lianfang.monitoring.permissions import CONFIGURE
from lianfang.monitoring.sites import selectors, services
from lianfang.monitoring.sites.forms import HospitalForm, SiteForm
from lianfang.regions.models import Level, Region


@requires(CONFIGURE)
def site_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    regions = [
        (r.code, r.name)
        for r in Region.objects.visible_to(actor, CONFIGURE)
        .filter(level__in=[Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY], is_active=True)
        .order_by("code")
    ]
    form = SiteForm(request.POST or None, regions=regions, prefix="site")
    day = query_date(request.GET.get("day"))
    hospital_form = HospitalForm(request.POST or None, prefix="hospital")
    if request.method == "POST":
        which = request.POST.get("which")
        try:
            if which == "site" and form.is_valid():
                services.site_create(actor=actor, **form.cleaned_data)
                messages.success(request, _("已新增隔离点。"))
                return redirect("monitoring:sites")
            if which == "hospital" and hospital_form.is_valid():
                services.hospital_create(actor=actor, **hospital_form.cleaned_data)
                messages.success(request, _("已新增发热门诊。"))
                return redirect("monitoring:sites")
        except DomainError as exc:
            apply_domain_error(exc, form if which == "site" else hospital_form)
    return render(
        request,
        "monitoring/sites.html",
        {
            "occupancy": selectors.site_occupancy(actor, day),
            "day": day or timezone.localdate(),
            "hospitals": Hospital.objects.order_by("-is_active", "name"),
            "form": form
            if request.POST.get("which") == "site"
            else SiteForm(regions=regions, prefix="site"),
            "hospital_form": hospital_form
            if request.POST.get("which") == "hospital"
            else HospitalForm(prefix="hospital"),
        },
    )


@require_POST
@requires(CONFIGURE)
def site_rooms(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    site = get_visible_or_404(Site.objects.all(), actor, CONFIGURE, pk=pk)
    try:
        count = services.site_rooms_add(actor=actor, site=site, rooms=request.POST.get("rooms", ""))
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已新增 %(n)s 个房间。") % {"n": count})
    return redirect("monitoring:sites")


@require_POST
@requires(CONFIGURE)
def hospital_toggle(request: ActorRequest, pk: int) -> HttpResponse:
    hospital = get_object_or_404(Hospital, pk=pk)
    services.hospital_set_active(
        actor=request.actor, hospital=hospital, active=not hospital.is_active
    )
    messages.success(request, _("已更新发热门诊状态。"))
    return redirect("monitoring:sites")
