"""Import pages: upload (with dry run and column mapping), progress, outcome file, routing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import get_visible_or_404
from lianfang.core.views import paginate, requires
from lianfang.people import imports
from lianfang.people.forms import ImportForm, RouteForm
from lianfang.people.models import ImportJob, SavedMapping
from lianfang.people.permissions import IMPORT, ROUTE


@requires(IMPORT)
def import_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    saved_qs = SavedMapping.objects.visible_to(actor, IMPORT)
    form = ImportForm(
        request.POST or None, request.FILES or None, saved=[(str(m.pk), m.name) for m in saved_qs]
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if form.cleaned_data["saved_mapping"]:
            chosen = saved_qs.filter(pk=form.cleaned_data["saved_mapping"]).first()
            mapping = {**(chosen.mapping if chosen else {}), **mapping}
        upload = form.cleaned_data["file"]
        try:
            job = imports.start_import(
                actor=actor,
                name=upload.name,
                content=upload.read(),
                mapping=mapping or None,
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            if form.cleaned_data["save_as"] and mapping:
                SavedMapping.objects.update_or_create(
                    region_code=job.region_code,
                    name=form.cleaned_data["save_as"],
                    defaults={"mapping": mapping, "created_by_id": actor.user_id},
                )
            messages.success(request, _("已开始导入，可在本页查看进度。"))
            return redirect("people:import_detail", import_id=job.pk)
    page, query = paginate(
        request, ImportJob.objects.visible_to(actor, IMPORT).order_by("-created_at")
    )
    return render(request, "people/import_list.html", {"form": form, "page": page, "query": query})


@requires(IMPORT)
def import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects.all(), request.actor, IMPORT, pk=import_id)  # type: ignore[attr-defined]
    template = (
        "people/_import_progress.html"
        if request.headers.get("HX-Request")
        else "people/import_detail.html"
    )
    return render(request, template, {"job": job, "reasons": imports.REASON_TEXT})


@requires(IMPORT)
def import_outcomes(request: HttpRequest, import_id: str) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects.all(), request.actor, IMPORT, pk=import_id)  # type: ignore[attr-defined]
    response = HttpResponse(
        imports.outcomes_xlsx(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="import-outcomes-{imports.timestamp()}.xlsx"'
    )
    return response


@requires(ROUTE)
def route_queue(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, imports.queued_rows(request.actor))  # type: ignore[attr-defined]
    return render(
        request, "people/route_queue.html", {"page": page, "query": query, "form": RouteForm()}
    )


@requires(ROUTE)
@require_POST
def route_row(request: HttpRequest, row_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    row = imports.queued_rows(actor).filter(pk=row_id).first()
    form = RouteForm(request.POST)
    if row is None:
        messages.error(request, _("该行不在您的待分派队列中。"))
    elif not form.is_valid():
        messages.error(request, _("请填写区划代码。"))
    else:
        try:
            person = imports.route_row(
                actor=actor, row=row, region_code=form.cleaned_data["region_code"]
            )
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, _("已分派：%(name)s。") % {"name": person.full_name})
    return redirect("people:route_queue")
