"""Health-check pages: the grid worker's day, a staff check and a correction on a member, and
the resident's self check-in page (personal link, no login, nothing personal beyond the masked
name). Thin: services do the work."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.permissions import PUBLIC
from lianfang.core.scoping import Actor, ActorRequest
from lianfang.core.views import requires
from lianfang.monitoring.checks import selectors, selfcheck, services, tokens
from lianfang.monitoring.checks.forms import SelfCheckForm
from lianfang.monitoring.checks.rules import TEMPERATURE_LIMITS
from lianfang.monitoring.models import (
    CheckSource,
    Observation,
    cached_policy,
)
from lianfang.monitoring.permissions import (
    RECORD_CHECKS,
)
from lianfang.monitoring.policies import slot_at, slots_of
from lianfang.monitoring.quarantines.detail_views import on_member


@requires(RECORD_CHECKS)
def today(request: ActorRequest) -> HttpResponse:
    """The grid worker's phone page: who is due in which slot, who is missing, fevers."""
    actor = request.actor
    rows = selectors.today_list(actor, RECORD_CHECKS)
    show = request.GET.get("show", "")
    if show == "missing":
        rows = [r for r in rows if r.missing]
    elif show == "due":
        rows = [r for r in rows if any(s["state"] == "due" for s in r.slots)]
    elif show == "fever":
        rows = [r for r in rows if r.fever]
    return render(
        request,
        "monitoring/today.html",
        {
            "rows": rows,
            "show": show,
            "today": timezone.localdate(),
            "temperature_limits": TEMPERATURE_LIMITS,
        },
    )


@require_POST
@requires(RECORD_CHECKS)
def member_check(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A staff check: temperature and symptoms taken by a grid worker or doctor."""

    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        services.check_record(
            observation=member,
            source=CheckSource.STAFF,
            actor=actor,
            temperature=data["temperature"],
            method=data.get("method", ""),
            symptoms=data.get("symptoms", []),
            note=data.get("note", ""),
            client_key=data.get("client_key") or None,
        )
        return _("已录入体温。")

    return on_member(request, pk, "check", RECORD_CHECKS, perform)


@require_POST
@requires(RECORD_CHECKS)
def member_correct(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A correction: a new check that replaces a wrong one (which stays on record)."""

    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        wrong = member.checks.filter(pk=data["corrects"]).first()
        if wrong is None:
            raise Http404
        services.check_record(
            observation=member,
            source=CheckSource.STAFF,
            actor=actor,
            temperature=data["temperature"],
            corrects=wrong,
            correction_reason=data["correction_reason"],
        )
        return _("已更正，原记录保留。")

    return on_member(request, pk, "correct", RECORD_CHECKS, perform)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    # The token is in the URL: never send it to another site (same-origin keeps the Origin header
    # that CSRF checks need; "no-referrer" makes browsers send "Origin: null").
    response["Referrer-Policy"] = "same-origin"
    return response


@requires(PUBLIC)
def checkin_page(request: ActorRequest, token: str) -> HttpResponse:
    member = tokens.observation_by_token(token)
    if member is None:
        return _private(render(request, "monitoring/checkin_gone.html", status=404))
    policy = cached_policy(member.quarantine.policy_id)
    form = SelfCheckForm(
        request.POST or None,
        symptoms=policy.symptoms,
        initial={"client_key": uuid.uuid4().hex},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = selfcheck.self_check_submit(
                token=token,
                temperature=form.cleaned_data["temperature"],
                symptoms=form.cleaned_data.get("symptoms", []),
                client_key=form.cleaned_data.get("client_key") or None,
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            if result is None:  # ended between showing the form and submitting it
                return _private(render(request, "monitoring/checkin_gone.html", status=404))
            check = result[0]
            done = reverse("checkin_done", args=[token])
            return redirect(f"{done}?r={'fever' if check.fever or check.symptoms else 'ok'}")
    now = timezone.now()
    slot = slot_at(policy, now)
    context = {
        "form": form,
        "name": tokens.masked_name(member),
        "slot": slot,
        "slots": slots_of(policy, timezone.localdate()),
        "end_date": member.quarantine.end_date,
        "token": token,
    }
    return _private(render(request, "monitoring/checkin.html", context))


@requires(PUBLIC)
def checkin_done(request: ActorRequest, token: str) -> HttpResponse:
    member = tokens.observation_by_token(token)
    if member is None:
        return _private(render(request, "monitoring/checkin_gone.html", status=404))
    context = {
        "name": tokens.masked_name(member),
        "alarm": request.GET.get("r") == "fever",
        "url": reverse("checkin_page", args=[token]),
    }
    return _private(render(request, "monitoring/checkin_done.html", context))
