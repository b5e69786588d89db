"""Transfer pages: propose from a person's page, the receiving community's inbox, history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, requires
from lianfang.people import selectors as people_selectors
from lianfang.people.permissions import REGISTER
from lianfang.people.transfers import selectors as transfer_selectors
from lianfang.people.transfers import services as transfer_services


@requires(REGISTER)
@require_POST
def propose(request: ActorRequest, person_id: str) -> HttpResponse:
    actor = request.actor
    person = people_selectors.get_person(actor, person_id)
    try:
        transfer_services.transfer_propose(
            actor=actor,
            person=person,
            to_community_code=request.POST.get("to_community_code", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已提出转移，等待接收社区确认。"))
    return redirect("people:detail", person_id=person.pk)


@requires(REGISTER)
def inbox(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    page, query = paginate(request, transfer_selectors.visible(actor))
    incoming = list(transfer_selectors.incoming(actor))
    buildings = transfer_selectors.receiving_buildings(incoming)
    for t in page.object_list:
        t.shown = transfer_selectors.shows_person(actor, t)
        t.can_cancel = transfer_selectors.can_cancel(actor, t)
    return render(
        request,
        "people/transfers.html",
        {
            "page": page,
            "query": query,
            "incoming": [(t, buildings[t.to_region_code]) for t in incoming],
            "to_agree": list(transfer_selectors.requests_to_agree(actor)),
        },
    )


@requires(REGISTER)
@require_POST
def request_transfer(request: ActorRequest) -> HttpResponse:
    """From the registration form: ask the community holding a document to transfer the person
    here (the document travels in the POST body, never in a URL)."""
    actor = request.actor
    try:
        transfer_services.transfer_request(
            actor=actor,
            doc_type=request.POST.get("doc_type", ""),
            id_number=request.POST.get("id_number", ""),
            region_code=request.POST.get("region_code", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.as_text())
        return redirect("people:create")
    messages.success(request, _("已申请转入，等待原登记社区同意。"))
    return redirect("people:transfers")


@requires(REGISTER)
@require_POST
def decide(request: ActorRequest, transfer_id: str) -> HttpResponse:
    actor = request.actor
    transfer = transfer_selectors.visible(actor).filter(pk=transfer_id).first()
    if transfer is None:
        messages.error(request, _("找不到该转移。"))
        return redirect("people:transfers")
    action = request.POST.get("action")
    try:
        if action == "accept":
            transfer_services.transfer_accept(
                actor=actor,
                transfer=transfer,
                region_code=request.POST.get("region_code", ""),
                address=request.POST.get("address", ""),
            )
            messages.success(request, _("已接收，该人员已转入本社区。"))
        elif action == "refuse":
            transfer_services.transfer_refuse(
                actor=actor, transfer=transfer, note=request.POST.get("note", "")
            )
            messages.success(request, _("已拒收。"))
        elif action == "agree":
            transfer_services.transfer_agree(actor=actor, transfer=transfer)
            messages.success(request, _("已同意，等待对方社区接收。"))
        elif action == "decline":
            transfer_services.transfer_decline(
                actor=actor, transfer=transfer, note=request.POST.get("note", "")
            )
            messages.success(request, _("已拒绝转入申请。"))
        elif action == "cancel":
            transfer_services.transfer_cancel(actor=actor, transfer=transfer)
            messages.success(request, _("已撤回。"))
    except DomainError as exc:
        messages.error(request, exc.as_text())
    return redirect("people:transfers")
