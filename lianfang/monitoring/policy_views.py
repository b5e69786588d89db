"""Command-office pages: policy versions (with the previewed bulk "apply to running
quarantines"), centralised sites and rooms, fever clinics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.symptoms import SYMPTOMS
from lianfang.core.views import query_date, requires
from lianfang.monitoring import policies, selectors, sites
from lianfang.monitoring.forms import HospitalForm, PolicyForm, ReasonForm, SiteForm
from lianfang.monitoring.models import Hospital, Policy, Site
from lianfang.monitoring.permissions import CONFIGURE
from lianfang.regions.models import Level, Region


@requires(CONFIGURE)
def policy_list(request: ActorRequest) -> HttpResponse:
    latest = Policy.objects.order_by("-effective_from").first()
    initial: dict[str, Any] = {}
    if latest is not None:
        initial = {
            "observation_days": latest.observation_days,
            "start_basis": latest.start_basis,
            "fever_threshold": latest.fever_threshold,
            "fever_inclusive": latest.fever_inclusive,
            "slots": ", ".join(f"{a}-{b}" for a, b in latest.slots),
            "symptoms": latest.symptoms,
            "missed_grace_minutes": latest.missed_grace_minutes,
            "escalate_after_minutes": latest.escalate_after_minutes,
            "release_needs_normal_check": latest.release_needs_normal_check,
        }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy = policies.create_policy(actor=request.actor, data=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(
                request,
                _(
                    "已新增政策版本（%(d)s 起生效）。正在观察的人员仍按原政策，"
                    "如需调整请使用“适用于正在观察的人员”。"
                )
                % {"d": policy.effective_from},
            )
            return redirect("monitoring:policies")
    return render(
        request,
        "monitoring/policies.html",
        {
            "policies": Policy.objects.order_by("-effective_from"),
            "form": form,
            "symptom_names": SYMPTOMS,
        },
    )


@requires(CONFIGURE)
def policy_apply(request: ActorRequest, pk: int) -> HttpResponse:
    """Preview (GET) and apply (POST, with a reason) a policy to running quarantines."""
    actor = request.actor
    policy = get_object_or_404(Policy, pk=pk)  # policies are district-wide, not scoped
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = policies.apply_to_running(
                actor=actor, policy=policy, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(
                request, _("已将新政策适用于 %(n)s 个正在进行的医学观察。") % {"n": count}
            )
            return redirect("monitoring:policies")
    changes = policies.preview_apply(actor=actor, policy=policy)
    return render(
        request,
        "monitoring/policy_apply.html",
        {"policy": policy, "changes": changes, "form": form},
    )


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
                sites.create_site(actor=actor, **form.cleaned_data)
                messages.success(request, _("已新增隔离点。"))
                return redirect("monitoring:sites")
            if which == "hospital" and hospital_form.is_valid():
                sites.create_hospital(actor=actor, **hospital_form.cleaned_data)
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
        count = sites.add_rooms(actor=actor, site=site, rooms=request.POST.get("rooms", ""))
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已新增 %(n)s 个房间。") % {"n": count})
    return redirect("monitoring:sites")


@require_POST
@requires(CONFIGURE)
def hospital_toggle(request: ActorRequest, pk: int) -> HttpResponse:
    hospital = get_object_or_404(Hospital, pk=pk)
    sites.set_hospital_active(actor=request.actor, hospital=hospital, active=not hospital.is_active)
    messages.success(request, _("已更新发热门诊状态。"))
    return redirect("monitoring:sites")
