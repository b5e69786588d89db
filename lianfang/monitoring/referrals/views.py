"""Referral pages (转诊): the list, pending ones first for the doctor's feedback, each linked to
its observation's page; referring a member and recording the outcome; exit requests (外出报备)
and their decision. Thin: services do the work, selectors the reading."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.scoping import Actor, ActorRequest, get_visible_or_404
from lianfang.core.views import paginate, requires
from lianfang.monitoring.models import (
    ExitRequest,
    Observation,
    Referral,
    ReferralOutcome,
)
from lianfang.monitoring.permissions import (
    MANAGE_QUARANTINE,
    RECORD_CHECKS,
    REFER,
    VIEW_MONITORING,
)
from lianfang.monitoring.quarantines.detail_views import on_member
from lianfang.monitoring.referrals import selectors, services
from lianfang.monitoring.referrals.forms import DecideExitForm, OutcomeForm
from lianfang.people import selectors as people_selectors

SEARCH_KEY = "monitoring_referral_q"


def _search_text(request: ActorRequest) -> str:
    # A name (or an ID number) never travels in a URL: the form posts it into the session.
    return str(request.session.get(SEARCH_KEY, "")) if request.GET.get("qs") == "1" else ""


@requires(VIEW_MONITORING)
def referral_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        request.session[SEARCH_KEY] = request.POST.get("q", "").strip()[:60]
        params = {"qs": "1", "outcome": request.POST.get("outcome", "pending")}
        return redirect(reverse("monitoring:referrals") + "?" + urlencode(params))
    outcome = request.GET.get("outcome", ReferralOutcome.PENDING)
    text = _search_text(request)
    qs = selectors.referrals(
        actor,
        pending=outcome == ReferralOutcome.PENDING,
        outcome=outcome,
        persons=people_selectors.persons(actor, q=text) if text else None,
    )
    page, query = paginate(request, qs)
    return render(
        request,
        "monitoring/referrals.html",
        {
            "page": page,
            "query": query,
            "outcome": outcome,
            "outcomes": [("all", _("全部")), *ReferralOutcome.choices],
            "search_text": text,
            "can_refer": actor.can(REFER),
        },
    )


@require_POST
@requires(REFER)
def member_refer(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        services.referral_create(
            actor=actor,
            observation=member,
            hospital_id=data["hospital"],
            transport=data["transport"],
            reason=data["reason"],
        )
        return _("已登记转诊。")

    return on_member(request, pk, "refer", REFER, perform)


@require_POST
@requires(RECORD_CHECKS)
def member_exit(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        services.exit_request_create(actor=actor, observation=member, data=data)
        return _("已登记外出报备，等待社区审批。")

    return on_member(request, pk, "exit", RECORD_CHECKS, perform)


@require_POST
@requires(REFER)
def referral_outcome(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    actor = request.actor
    referral = get_visible_or_404(
        Referral.objects.select_related("observation"), actor, REFER, pk=pk
    )
    form = OutcomeForm(request.POST, prefix="outcome")
    if not form.is_valid():
        messages.error(request, _("请选择转诊结果。"))
        return redirect("monitoring:detail", pk=referral.observation.quarantine_id)
    try:
        proposed = services.referral_outcome_record(
            actor=actor, referral=referral, **form.cleaned_data
        )
    except DomainError as exc:
        messages.error(request, exc.as_text())
        return redirect("monitoring:detail", pk=referral.observation.quarantine_id)
    if proposed:
        messages.warning(
            request,
            _("同户人员 %(n)s 人尚未观察，请为其发起医学观察。") % {"n": len(proposed)},
        )
        return redirect("monitoring:start", person_id=proposed[0].pk)
    messages.success(request, _("已登记转诊结果。"))
    return redirect("monitoring:detail", pk=referral.observation.quarantine_id)


def _decide_exit(request: ActorRequest, pk: uuid.UUID, *, approve: bool) -> HttpResponse:
    actor = request.actor
    item = get_visible_or_404(
        ExitRequest.objects.select_related("observation"), actor, MANAGE_QUARANTINE, pk=pk
    )
    form = DecideExitForm(request.POST, prefix="decide")
    form.is_valid()
    try:
        services.exit_request_decide(
            actor=actor,
            request=item,
            approve=approve,
            note=form.cleaned_data.get("decision_note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已审批外出报备。"))
    return redirect("monitoring:detail", pk=item.observation.quarantine_id)


@require_POST
@requires(MANAGE_QUARANTINE)
def exit_approve(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    return _decide_exit(request, pk, approve=True)


@require_POST
@requires(MANAGE_QUARANTINE)
def exit_refuse(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """Refusing needs a reason (``decide-decision_note``); without one nothing changes."""
    return _decide_exit(request, pk, approve=False)
