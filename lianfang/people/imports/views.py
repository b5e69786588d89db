"""Import pages: upload, the mapping step (header row and columns, with samples), progress,
outcome file, routing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.views import paginate, requires
from lianfang.people.forms import ImportForm, MappingForm, RouteForm
from lianfang.people.imports import selectors as import_selectors
from lianfang.people.imports import services as import_services
from lianfang.people.models import ImportJob, ImportStatus, SavedMapping
from lianfang.people.permissions import IMPORT, ROUTE


@requires(IMPORT)
def import_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    saved_qs = SavedMapping.objects.visible_to(actor, IMPORT)
    form = ImportForm(
        request.POST or None, request.FILES or None, saved=[(str(m.pk), m.name) for m in saved_qs]
    )
    if request.method == "POST" and form.is_valid():
        mapping = None
        if form.cleaned_data["saved_mapping"]:
            chosen = saved_qs.filter(pk=form.cleaned_data["saved_mapping"]).first()
            mapping = chosen.mapping if chosen else None
        upload = form.cleaned_data["file"]
        try:
            job = import_services.import_start(
                actor=actor,
                name=upload.name,
                content=upload.read(),
                mapping=mapping,
                dry_run=form.cleaned_data["dry_run"],
                stage=True,
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            return redirect("people:import_detail", import_id=job.pk)
    page, query = paginate(
        request, ImportJob.objects.visible_to(actor, IMPORT).order_by("-created_at")
    )
    return render(request, "people/import_list.html", {"form": form, "page": page, "query": query})


def _header_row(request: ActorRequest) -> int | None:
    raw = request.GET.get("header") or request.POST.get("header_row") or ""
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 200 else None


def _mapping_step(request: ActorRequest, job: ImportJob) -> HttpResponse:
    actor = request.actor
    at = _header_row(request)
    if request.method == "POST" and "reread" in request.POST:  # another header row: show it
        url = reverse("people:import_detail", args=[job.pk])
        return redirect(f"{url}?header={at}" if at else url)
    try:
        preview = import_selectors.import_preview(job, at)
    except DomainError as exc:
        return render(request, "people/import_mapping.html", {"job": job, "error": exc.message})
    initial = {"header_row": preview.header.last}
    bound = request.method == "POST"
    form = MappingForm(
        request.POST if bound else None,
        initial=initial,
        rows=preview.rows,
        columns=preview.columns,
        mapping=preview.mapping,
    )
    if bound and form.is_valid():
        try:
            import_services.import_confirm(
                actor=actor,
                job=job,
                header_row=form.cleaned_data["header_row"],
                columns=form.cleaned_data["columns"],
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            save_as = form.cleaned_data["save_as"]
            if save_as:
                import_services.mapping_save(
                    actor=actor,
                    job=job,
                    name=save_as,
                    columns=form.cleaned_data["columns"],
                    titles={c.index: c.title for c in preview.columns},
                )
            messages.success(request, _("已开始导入，可在本页查看进度。"))
            return redirect("people:import_detail", import_id=job.pk)
    return render(
        request,
        "people/import_mapping.html",
        {"job": job, "preview": preview, "form": form},
    )


@requires(IMPORT)
def import_detail(request: ActorRequest, import_id: str) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects.all(), request.actor, IMPORT, pk=import_id)
    if job.status == ImportStatus.MAPPING:
        return _mapping_step(request, job)
    template = (
        "people/_import_progress.html"
        if request.headers.get("HX-Request")
        else "people/import_detail.html"
    )
    return render(request, template, {"job": job, "notes": import_selectors.notes_text(job)})


@requires(IMPORT)
def import_outcomes(request: ActorRequest, import_id: str) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects.all(), request.actor, IMPORT, pk=import_id)
    response = HttpResponse(
        import_selectors.outcomes_xlsx(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="import-outcomes-{import_selectors.timestamp()}.xlsx"'
    )
    return response


@requires(ROUTE)
def route_queue(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    page, query = paginate(request, import_selectors.queued_rows(actor))
    items = [import_selectors.queued_view(row) for row in page.object_list]
    form = RouteForm(regions=import_selectors.route_choices(actor))
    return render(
        request,
        "people/route_queue.html",
        {"page": page, "query": query, "items": items, "form": form},
    )


@requires(ROUTE)
@require_POST
def route_row(request: ActorRequest, row_id: int) -> HttpResponse:
    actor = request.actor
    row = import_selectors.queued_rows(actor).filter(pk=row_id).first()
    form = RouteForm(request.POST, regions=import_selectors.route_choices(actor))
    if row is None:
        messages.error(request, _("该行不在您的待分派队列中。"))
    elif not form.is_valid():
        messages.error(request, _("请选择要分派到的社区。"))
    else:
        try:
            person = import_services.import_row_route(
                actor=actor, row=row, region_code=form.cleaned_data["region_code"]
            )
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, _("已分派：%(name)s。") % {"name": person.full_name})
    return redirect("people:route_queue")
