"""The duplicates queue: compare two records side by side (masked), merge or mark as different."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, requires
from lianfang.people.duplicates import selectors as duplicate_selectors
from lianfang.people.duplicates import services as duplicate_services
from lianfang.people.permissions import MERGE


@requires(MERGE)
def queue(request: ActorRequest) -> HttpResponse:
    page, query = paginate(request, duplicate_selectors.open_candidates(request.actor))
    return render(request, "people/duplicates.html", {"page": page, "query": query})


@requires(MERGE)
def detail(request: ActorRequest, candidate_id: str) -> HttpResponse:
    candidate = duplicate_selectors.open_candidates(request.actor).filter(pk=candidate_id).first()
    if candidate is None:
        messages.info(request, _("该疑似重复已处理或不在您的辖区。"))
        return redirect("people:duplicates")
    people = [candidate.person_a, candidate.person_b]
    regs = {p.pk: list(p.registrations.order_by("-registered_at")[:5]) for p in people}
    return render(
        request,
        "people/duplicate_detail.html",
        {"candidate": candidate, "people": [(p, regs[p.pk]) for p in people]},
    )


@requires(MERGE)
@require_POST
def decide(request: ActorRequest, candidate_id: str) -> HttpResponse:
    actor = request.actor
    candidate = duplicate_selectors.open_candidates(actor).filter(pk=candidate_id).first()
    if candidate is None:
        messages.error(request, _("该疑似重复已处理或不在您的辖区。"))
        return redirect("people:duplicates")
    try:
        if request.POST.get("action") == "not_duplicate":
            duplicate_services.not_duplicate(actor=actor, candidate=candidate)
            messages.success(request, _("已标记为不是同一人，今后不再提示。"))
        else:
            keep_id = request.POST.get("keep")
            keep = next(
                (p for p in (candidate.person_a, candidate.person_b) if str(p.pk) == keep_id), None
            )
            if keep is None:
                messages.error(request, _("请选择要保留的记录。"))
                return redirect("people:duplicate_detail", candidate_id=candidate.pk)
            duplicate_services.duplicate_merge(actor=actor, candidate=candidate, keep=keep)
            messages.success(request, _("已合并，所有登记都归入保留的记录。"))
            return redirect("people:detail", person_id=keep.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("people:duplicates")
