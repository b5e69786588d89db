"""Self-registration pages: the public form behind a community's QR code, the community's queue,
and the QR posters."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core import ratelimit
from lianfang.core.clientaddr import client_address
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.pdf import render_pdf
from lianfang.core.permissions import PUBLIC
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.views import paginate, requires
from lianfang.people.forms import AcceptForm, RejectForm, SelfRegisterForm
from lianfang.people.models import SelfRegistrationLink, SelfReport, SelfReportStatus
from lianfang.people.permissions import REGISTER
from lianfang.people.selfreg import selectors as selfreg_selectors
from lianfang.people.selfreg import services as selfreg_services
from lianfang.regions.models import Region

SUBMITS_PER_HOUR = 10


def _buildings(community: Region) -> list[tuple[str, str]]:
    return [(b.code, b.name) for b in community.children.filter(is_active=True).order_by("code")]


@requires(PUBLIC)
def public_form(request: ActorRequest, token: str) -> HttpResponse:
    link = selfreg_selectors.active_link(token)
    form = SelfRegisterForm(request.POST or None, buildings=_buildings(link.region))
    if request.method == "POST" and form.is_valid():
        try:
            # Only an accepted submission counts toward the address's limit (a resident
            # correcting a mistake must not use it up); one over the limit is rolled back.
            with transaction.atomic():
                selfreg_services.selfreport_submit(link=link, data=form.cleaned_data)
                ratelimit.charge(
                    "selfreg",
                    client_address(request) or "-",
                    limit=SUBMITS_PER_HOUR,
                    window_seconds=3600,
                    message=_("提交过于频繁，请稍后再试。"),
                )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            return redirect("selfreg_done", token=token)
    response = render(request, "people/selfreg_form.html", {"form": form, "community": link.region})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@requires(PUBLIC)
def public_done(request: ActorRequest, token: str) -> HttpResponse:
    link = selfreg_selectors.active_link(token)
    return render(request, "people/selfreg_done.html", {"community": link.region})


def _public_url(request: ActorRequest, link: SelfRegistrationLink) -> str:
    return request.build_absolute_uri(reverse("selfreg_form", args=[link.token]))


@requires(REGISTER)
def links(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    rows = []
    for community, link in selfreg_selectors.communities_with_links(actor):
        url = _public_url(request, link) if link else ""
        rows.append(
            {
                "community": community,
                "link": link,
                "url": url,
                "qr": segno.make(url, error="m").svg_data_uri(scale=4) if url else "",
            }
        )
    return render(request, "people/selfreg_links.html", {"rows": rows})


@requires(REGISTER)
@require_POST
def link_issue(request: ActorRequest, code: str) -> HttpResponse:
    actor = request.actor
    community = get_visible_or_404(
        Region.objects.all(), actor, REGISTER, code=code, level="community"
    )
    renew = request.POST.get("renew") == "1"
    try:
        selfreg_services.link_for(actor=actor, community=community, renew=renew)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已生成新的申报二维码，旧二维码已失效。") if renew else _("已生成申报二维码。"),
        )
    return redirect("people:selfreg_links")


@requires(REGISTER)
def poster(request: ActorRequest, code: str) -> HttpResponse:
    actor = request.actor
    community = get_visible_or_404(
        Region.objects.all(), actor, REGISTER, code=code, level="community"
    )
    link = selfreg_services.link_for(actor=actor, community=community)
    url = _public_url(request, link)
    pdf = render_pdf(
        "people/selfreg_poster.html",
        {
            "community": community,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=10),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="selfreg-{community.code}.pdf"'
    return response


@requires(REGISTER)
def queue(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", SelfReportStatus.PENDING)
    qs = (
        SelfReport.objects.visible_to(actor, REGISTER)
        .filter(status=status)
        .order_by("submitted_at")
    )
    page, query = paginate(request, qs)
    return render(
        request,
        "people/selfreg_queue.html",
        {"page": page, "query": query, "status": status, "statuses": SelfReportStatus.choices},
    )


def _report(request: ActorRequest, report_id: str) -> SelfReport:
    return get_visible_or_404(SelfReport.objects.all(), request.actor, REGISTER, pk=report_id)


@requires(REGISTER)
def report_detail(request: ActorRequest, report_id: str) -> HttpResponse:
    actor = request.actor
    report = _report(request, report_id)
    community = Region.objects.get(code=report.region_code)
    context: dict[str, Any] = {"report": report, "reject_form": RejectForm()}
    accept_form = AcceptForm(request.POST or None, regions=_buildings(community))
    if (
        request.method == "POST"
        and request.POST.get("action") == "accept"
        and accept_form.is_valid()
    ):
        try:
            person = selfreg_services.selfreport_accept(
                actor=actor, report=report, corrections=accept_form.cleaned_data
            )
        except DomainError as exc:
            apply_domain_error(exc, accept_form)
        else:
            messages.success(request, _("已核实入档。"))
            return redirect("people:detail", person_id=person.pk)
    if request.method == "POST" and request.POST.get("action") == "reject":
        reject_form = RejectForm(request.POST)
        context["reject_form"] = reject_form
        if reject_form.is_valid():
            try:
                selfreg_services.selfreport_reject(
                    actor=actor, report=report, reason=reject_form.cleaned_data["reason"]
                )
            except DomainError as exc:
                apply_domain_error(exc, reject_form)
            else:
                messages.success(request, _("已驳回，申报内容已删除。"))
                return redirect("people:selfreg_queue")
    if report.status == SelfReportStatus.PENDING:
        payload = selfreg_selectors.payload_of(report)
        context["answers"] = payload["screening"]
        context["building"] = dict(_buildings(community)).get(
            payload["person"].get("region_code", ""), ""
        )
        context["address"] = payload["person"].get("address", "")
    context["accept_form"] = accept_form
    return render(request, "people/selfreg_report.html", context)
