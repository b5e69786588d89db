"""Command-office pages for policy versions, with the previewed bulk "apply to running
quarantines" (sites and fever clinics are ``sites.views``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.symptoms import SYMPTOMS
from lianfang.core.views import requires
from lianfang.monitoring import policies
from lianfang.monitoring.forms import PolicyForm, ReasonForm
from lianfang.monitoring.models import Policy
from lianfang.monitoring.permissions import CONFIGURE


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
            policy = policies.policy_create(actor=request.actor, data=form.cleaned_data)
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
