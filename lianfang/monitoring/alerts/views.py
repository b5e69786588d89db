"""Alert pages: the list, acknowledging and closing. Thin: services do the work."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.views import paginate, requires
from lianfang.monitoring.alerts import selectors, services
from lianfang.monitoring.alerts.forms import CloseAlertForm
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertStatus,
)
from lianfang.monitoring.permissions import (
    RECORD_CHECKS,
    VIEW_MONITORING,
)


@requires(VIEW_MONITORING)
def alerts(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    level = request.GET.get("level", "")
    page, query = paginate(request, selectors.alerts(actor, status=status, kind=kind, level=level))
    return render(
        request,
        "monitoring/alerts.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "kind": kind,
            "kinds": AlertKind.choices,
            "statuses": [("open", _("未关闭")), *AlertStatus.choices],
            "close_form": CloseAlertForm(prefix="close"),
            "can_handle": actor.can(RECORD_CHECKS),
        },
    )


def _after_alert(request: ActorRequest) -> HttpResponse:
    return redirect(
        "monitoring:today" if request.POST.get("next") == "today" else "monitoring:alerts"
    )


@require_POST
@requires(RECORD_CHECKS)
def alert_acknowledge(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    actor = request.actor
    alert = get_visible_or_404(Alert.objects.all(), actor, RECORD_CHECKS, pk=pk)
    try:
        services.alert_acknowledge(actor=actor, alert=alert)
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已知悉，请尽快处置。"))
    return _after_alert(request)


@require_POST
@requires(RECORD_CHECKS)
def alert_close(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    actor = request.actor
    alert = get_visible_or_404(Alert.objects.all(), actor, RECORD_CHECKS, pk=pk)
    form = CloseAlertForm(request.POST, prefix="close")
    form.is_valid()
    try:
        services.alert_close(actor=actor, alert=alert, action=form.cleaned_data.get("action", ""))
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("预警已关闭。"))
    return _after_alert(request)
