"""The resident's self check-in page (personal link, no login, nothing personal beyond the
masked name) and the printed notices: the observation notice with the link's QR code, and the
release notice (解除医学观察告知书)."""

from __future__ import annotations

import uuid

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.access import log_access
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.pdf import render_pdf
from lianfang.core.permissions import PUBLIC
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import requires
from lianfang.monitoring import selectors, selfcheck, tokens
from lianfang.monitoring.forms import SelfCheckForm
from lianfang.monitoring.models import ObservationStatus, cached_policy
from lianfang.monitoring.permissions import MANAGE_QUARANTINE, VIEW_MONITORING
from lianfang.monitoring.policies import slot_at, slots_of


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
            result = selfcheck.submit(
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


@requires(MANAGE_QUARANTINE)
def observation_notice(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A printable notice for one member: dates, rules, the community's contact, and the QR code
    of the personal check-in link. Printing it is a read of personal data: logged."""
    actor = request.actor
    member = selectors.observation(actor, MANAGE_QUARANTINE, pk)
    if member.status != ObservationStatus.ACTIVE or not member.checkin_token_enc:
        raise Http404
    url = request.build_absolute_uri(reverse("checkin_page", args=[tokens.token_of(member)]))
    log_access(
        actor=actor,
        action="print_observation_notice",
        object_type="observation",
        object_id=str(member.pk),
        region_code=member.region_code,
        purpose=_("打印居家医学观察告知书"),
    )
    q = member.quarantine
    pdf = render_pdf(
        "monitoring/notice_pdf.html",
        {
            "member": member,
            "person": member.person,
            "q": q,
            "slots": q.policy.slots,
            "qr": segno.make(url, error="m").svg_data_uri(scale=8),
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{member.pk}.pdf"'
    return response


@requires(VIEW_MONITORING)
def release_notice(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """解除医学观察告知书 for a released member (person, dates, community, doctor)."""
    actor = request.actor
    member = selectors.observation(actor, VIEW_MONITORING, pk)
    if member.status != ObservationStatus.RELEASED:
        raise Http404
    q = member.quarantine
    log_access(
        actor=actor,
        action="print_release_notice",
        object_type="observation",
        object_id=str(member.pk),
        region_code=member.region_code,
        purpose=_("打印解除医学观察告知书"),
    )
    pdf = render_pdf(
        "monitoring/release_pdf.html",
        {
            "member": member,
            "person": member.person,
            "q": q,
            "community": q.region if len(q.region_code) == 12 else q.region.parent,
            "released": timezone.localtime(member.ended_at).date() if member.ended_at else None,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="release-{member.pk}.pdf"'
    return response
