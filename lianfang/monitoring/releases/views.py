"""Release pages: bulk release of the due, a staff release on the quarantine page, the printed
release notice (解除医学观察告知书). Thin: services do the work."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.access import log_access
from lianfang.core.pdf import render_pdf
from lianfang.core.scoping import Actor, ActorRequest
from lianfang.core.views import requires
from lianfang.monitoring.models import (
    ObservationStatus,
    Quarantine,
)
from lianfang.monitoring.permissions import (
    MANAGE_QUARANTINE,
    VIEW_MONITORING,
)
from lianfang.monitoring.quarantines import selectors
from lianfang.monitoring.quarantines.detail_views import on_quarantine
from lianfang.monitoring.releases import services


@require_POST
@requires(MANAGE_QUARANTINE)
def bulk_release(request: ActorRequest) -> HttpResponse:
    released, problems = services.quarantine_release_due(
        actor=request.actor, quarantine_ids=request.POST.getlist("quarantine")
    )
    messages.success(request, _("已解除 %(n)s 户的医学观察。") % {"n": released})
    for problem in problems[:20]:
        messages.warning(request, _("未解除：%(p)s") % {"p": problem})
    return redirect(f"{reverse('monitoring:list')}?ending=overdue")


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_release(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        problems = services.quarantine_release(
            actor=actor, quarantine=q, reason=data["reason"], force=True
        )
        return _("已解除医学观察。") if not problems else "；".join(problems)

    return on_quarantine(request, pk, "release", perform)


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
