from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import requires
from lianfang.people import keyareas
from lianfang.people.forms import KeyAreaForm
from lianfang.people.permissions import MANAGE_KEY_AREAS


@requires(MANAGE_KEY_AREAS)
def key_areas(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = KeyAreaForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            keyareas.add(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已加入重点地区名单。"))
            return redirect("people:key_areas")
    return render(
        request,
        "people/key_areas.html",
        {"areas": keyareas.visible(actor), "form": form, "today": timezone.localdate()},
    )


@requires(MANAGE_KEY_AREAS)
@require_POST
def key_area_end(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    area = keyareas.visible(actor).filter(pk=pk).first()
    if area is None:
        messages.error(request, _("找不到该地区。"))
    else:
        try:
            keyareas.end(actor=actor, area=area, on=timezone.localdate())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已于今天结束。"))
    return redirect("people:key_areas")
