"""The quarantine page, shared by every feature's action on it: the page with all its forms,
and the two runners that validate one form, call the feature's service and show the page
again with the errors (``on_quarantine`` for the quarantine, ``on_member`` for one member)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from lianfang.accounts import selectors as accounts_selectors
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import Actor, ActorRequest
from lianfang.monitoring.checks import rules
from lianfang.monitoring.checks.forms import CheckForm, CorrectForm
from lianfang.monitoring.checks.selectors import day_slots_status
from lianfang.monitoring.forms import ReasonForm
from lianfang.monitoring.models import (
    Alert,
    AlertStatus,
    ExitRequest,
    HealthCheck,
    Hospital,
    Observation,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
    Referral,
    Room,
    Site,
)
from lianfang.monitoring.permissions import (
    MANAGE_QUARANTINE,
    RECORD_CHECKS,
    REFER,
)
from lianfang.monitoring.quarantines import selectors, services
from lianfang.monitoring.quarantines.forms import (
    AdjustForm,
    ContactForm,
    ExposureForm,
    MemberReasonForm,
    RoomForm,
    TeamForm,
    TransferForm,
)
from lianfang.monitoring.referrals.forms import DecideExitForm, ExitForm, OutcomeForm, ReferForm
from lianfang.monitoring.releases.selectors import release_problems


def _members(q: Any, active_only: bool = True) -> list[tuple[str, str]]:
    qs = q.members.select_related("person").order_by("started_at")
    if active_only:
        qs = qs.filter(status=ObservationStatus.ACTIVE)
    return [(str(m.pk), m.person.full_name) for m in qs]


def page_forms(request: ActorRequest, q: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    actor = request.actor
    members = _members(q)
    sites = [
        (s.pk, s.name)
        for s in Site.objects.visible_to(actor, MANAGE_QUARANTINE).filter(is_active=True)
    ]
    rooms = (
        [
            (r.pk, f"{r.number}（{r.beds}）")
            for r in Room.objects.filter(site_id=q.site_id, is_active=True)
        ]
        if q.site_id
        else []
    )
    hospitals = [(h.pk, h.name) for h in Hospital.objects.filter(is_active=True)]

    def bound(name: str) -> Any:
        return data if which == name else None

    team_initial = {k: getattr(q, f"{k}_id") for k in services.TEAM_ROLES}

    return {
        "adjust_form": AdjustForm(bound("adjust"), prefix="adjust"),
        "exposure_form": ExposureForm(bound("exposure"), prefix="exposure", members=members),
        "contact_form": ContactForm(bound("contact"), prefix="contact", members=members),
        "end_form": MemberReasonForm(bound("end"), prefix="end", members=members),
        "transfer_form": TransferForm(
            bound("transfer"), prefix="transfer", members=members, sites=sites
        ),
        "room_form": RoomForm(bound("room"), prefix="room", members=members, rooms=rooms),
        "refer_form": ReferForm(bound("refer"), prefix="refer", hospitals=hospitals),
        "release_form": ReasonForm(bound("release"), prefix="release"),
        "exit_form": ExitForm(bound("exit"), prefix="exit"),
        "check_form": CheckForm(bound("check"), prefix="check", symptoms=q.policy.symptoms),
        "correct_form": CorrectForm(bound("correct"), prefix="correct"),
        "team_form": TeamForm(
            bound("team"), prefix="team", people=_team_choices(q), initial=team_initial
        ),
    }


def detail_page(
    request: ActorRequest, q: Any, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    members = list(q.members.select_related("person", "room").order_by("started_at"))
    today_day = timezone.localdate()
    recent = list(
        HealthCheck.objects.filter(observation__in=members)
        .select_related("observation__person", "recorded_by")
        .order_by("-taken_at")[:60]
    )
    by_member = {
        m.pk: day_slots_status(m, today_day, [c for c in recent if c.observation_id == m.pk])
        for m in members
    }
    context = {
        "q": q,
        "members": [(m, by_member.get(m.pk, [])) for m in members],
        "checks": recent,
        "events": q.events.select_related("actor", "observation__person").order_by("-at")[:50],
        "alerts": Alert.objects.filter(observation__in=members)
        .exclude(status=AlertStatus.CLOSED)
        .select_related("health_check"),
        "referrals": Referral.objects.filter(observation__in=members).select_related(
            "hospital", "observation__person"
        ),
        "exits": ExitRequest.objects.filter(observation__in=members).select_related(
            "observation__person"
        ),
        "problems": release_problems(q) if q.status == QuarantineStatus.ACTIVE else [],
        "can_manage": actor.can(MANAGE_QUARANTINE, q.region_code),
        "can_check": actor.can(RECORD_CHECKS, q.region_code),
        "can_refer": actor.can(REFER, q.region_code),
        "due": q.end_date <= today_day,
        "temperature_limits": rules.TEMPERATURE_LIMITS,
        "outcome_form": OutcomeForm(prefix="outcome"),
        "decide_form": DecideExitForm(prefix="decide"),
        **(forms or page_forms(request, q)),
    }
    return render(request, "monitoring/detail.html", context, status=status)


# A feature's action: the write for the validated form's data, returning the success message.
Perform = Callable[[Actor, Quarantine, dict[str, Any]], str]
MemberPerform = Callable[[Actor, Observation, dict[str, Any]], str]


def on_quarantine(
    request: ActorRequest, pk: uuid.UUID, name: str, perform: Perform
) -> HttpResponse:
    """Validate the page's ``name`` form and run ``perform``; on invalid input or a refusal the
    page comes back with the form's errors (and nothing changed)."""
    actor = request.actor
    q = selectors.quarantine(actor, pk, MANAGE_QUARANTINE)
    forms = page_forms(request, q, request.POST, name)
    form = forms[f"{name}_form"]
    if not form.is_valid():
        return detail_page(request, q, forms, status=422)
    try:
        note = perform(actor, q, form.cleaned_data)
    except DomainError as exc:
        apply_domain_error(exc, form)
        return detail_page(request, q, forms, status=422)
    messages.success(request, note)
    return redirect("monitoring:detail", pk=q.pk)


def _team_choices(q: Any) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {k: [] for k in services.TEAM_ROLES}
    for held, user_id, name in accounts_selectors.holders_at_or_above(q.region_code):
        for key, role in services.TEAM_ROLES.items():
            if (not role or held == role) and (user_id, name) not in out[key]:
                out[key].append((user_id, name))
    return out


def on_member(
    request: ActorRequest, pk: uuid.UUID, name: str, perm: str, perform: MemberPerform
) -> HttpResponse:
    """Like :func:`on_quarantine` for a member's form; ``next=today`` returns to the day list."""
    actor = request.actor
    member = selectors.observation(actor, perm, pk)
    q = member.quarantine
    forms = page_forms(request, q, request.POST, name)
    form = forms[f"{name}_form"]
    if not form.is_valid():
        return detail_page(request, q, forms, status=422)
    try:
        note = perform(actor, member, form.cleaned_data)
    except DomainError as exc:
        apply_domain_error(exc, form)
        return detail_page(request, q, forms, status=422)
    messages.success(request, note)
    if request.POST.get("next") == "today":
        return redirect("monitoring:today")
    return redirect("monitoring:detail", pk=q.pk)
