"""Registry pages (thin: services write, selectors read)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core import navigation
from lianfang.core.access import log_access
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, query_date, requires
from lianfang.people import export, selectors, services
from lianfang.people.forms import (
    ExportForm,
    MoveForm,
    OverrideForm,
    PersonEditForm,
    PersonForm,
    RegistrationForm,
    RevealForm,
)
from lianfang.people.models import RiskCategory, Source, Verification
from lianfang.people.permissions import (
    EXPORT_UNMASKED,
    OVERRIDE_RISK,
    REGISTER,
    REVEAL,
    VIEW_PEOPLE,
)

SEARCH_KEY = "people_search_q"
FILTERS = ("category", "region", "source", "arrived_from", "arrived_until", "verification")


def _search_text(request: ActorRequest) -> str:
    """The search text lives in the session, never in the URL: it may be an ID number or a phone
    (the search form posts it; the list reads it back while ``qs=1``)."""
    return str(request.session.get(SEARCH_KEY, "")) if request.GET.get("qs") == "1" else ""


def _filtered(request: ActorRequest) -> Any:
    g = request.GET
    return selectors.persons(
        request.actor,
        q=_search_text(request),
        category=g.get("category", ""),
        region=g.get("region", ""),
        source=g.get("source", ""),
        arrived_from=query_date(g.get("arrived_from")),
        arrived_until=query_date(g.get("arrived_until")),
        verification=g.get("verification", ""),
    )


@requires(VIEW_PEOPLE)
def person_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST" and "search" in request.POST:
        request.session[SEARCH_KEY] = request.POST.get("q", "").strip()[:60]
        params = {k: v for k, v in request.POST.items() if k in FILTERS and v}
        params["qs"] = "1"
        return redirect(reverse("people:list") + "?" + urlencode(params))
    page, query = paginate(request, _filtered(request))
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "query": query,
            "categories": RiskCategory.choices,
            "sources": Source.choices,
            "verifications": Verification.choices,
            "can_register": actor.can(REGISTER),
            "can_unmask": actor.can(EXPORT_UNMASKED),
            "export_form": ExportForm(),
            "search_text": _search_text(request),
        },
    )


@requires(VIEW_PEOPLE)
def person_export(request: ActorRequest) -> HttpResponse:
    """GET: masked xlsx of the filtered list. POST with a purpose: unmasked if permitted, logged."""
    actor = request.actor
    people = list(_filtered(request))
    unmasked = request.method == "POST"
    if unmasked:
        form = ExportForm(request.POST)
        if not actor.can(EXPORT_UNMASKED) or not form.is_valid():
            messages.error(request, _("导出未脱敏名单须有权限并填写用途。"))
            return redirect(request.get_full_path().replace("/export/", "/"))
        for region_code in sorted({p.region_code for p in people}) or [
            actor.prefixes(EXPORT_UNMASKED)[0]
        ]:
            count = sum(1 for p in people if p.region_code == region_code)
            log_access(
                actor=actor,
                action="export_unmasked",
                object_type="person_list",
                object_id="-",
                region_code=region_code,
                purpose=form.cleaned_data["purpose"],
                row_count=count,
            )
        people = [p for p in people if actor.can(EXPORT_UNMASKED, p.region_code)]
    data = export.persons_xlsx(people, unmasked=unmasked)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="persons-{stamp}.xlsx"'
    return response


@requires(REGISTER)
def person_create(request: ActorRequest) -> HttpResponse:
    """Door-to-door quick registration: the person and their screening answers in one form."""
    actor = request.actor
    regions = selectors.home_choices(actor, REGISTER)
    initial = {k: request.GET[k] for k in ("region_code", "address") if k in request.GET}
    person_form = PersonForm(request.POST or None, regions=regions, prefix="p", initial=initial)
    reg_form = RegistrationForm(request.POST or None, prefix="r")
    transfer_request = None
    if request.method == "POST" and person_form.is_valid() & reg_form.is_valid():
        try:
            person, existing, _reg = services.register_with_screening(
                actor=actor, person=person_form.cleaned_data, screening=reg_form.cleaned_data
            )
        except DomainError as exc:
            if exc.code == "registered_elsewhere":  # offer the request, knowing the document only
                # (read before add_error, which takes the field out of cleaned_data)
                transfer_request = {
                    k: person_form.cleaned_data.get(k, "")
                    for k in ("doc_type", "id_number", "region_code")
                }
            apply_domain_error(exc, person_form, reg_form)
        else:
            if existing:
                messages.info(request, _("该证件号码已登记，已为其追加本次排查信息。"))
            else:
                messages.success(request, _("已登记 %(name)s。") % {"name": person.full_name})
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"person_form": person_form, "reg_form": reg_form, "transfer_request": transfer_request},
    )


def _edit_form(person: Any, data: Any = None) -> PersonEditForm:
    initial = {
        k: getattr(person, k) for k in ("full_name", "workplace", "notes", "gender", "birth_date")
    }
    return PersonEditForm(
        data, initial=initial, derivable=person.doc_type == "resident_id", prefix="e"
    )


def _detail_context(request: ActorRequest, person: Any, **extra: Any) -> dict[str, Any]:
    actor = request.actor
    return {
        "person": person,
        "registrations": selectors.registrations_of(actor, person),
        "moves": person.moves.all()[:20],
        "can_register": actor.can(REGISTER, person.region_code),
        "can_reveal": actor.can(REVEAL, person.region_code),
        "can_override": actor.can(OVERRIDE_RISK, person.region_code),
        "actions": navigation.actions_for(actor, "person", person.region_code),
        "panels": navigation.panels_for(actor, "person", person),
        "reveal_form": extra.pop("reveal_form", RevealForm()),
        "reg_form": extra.pop("reg_form", RegistrationForm(prefix="r")),
        "override_form": OverrideForm(),
        "edit_form": extra.pop("edit_form", _edit_form(person)),
        "move_form": extra.pop(
            "move_form", MoveForm(regions=selectors.home_choices(actor, REGISTER), prefix="m")
        ),
        **extra,
    }


@requires(VIEW_PEOPLE)
def person_detail(request: ActorRequest, person_id: str) -> HttpResponse:
    person = selectors.get_person(request.actor, person_id)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@requires(REVEAL)
@require_POST
def person_reveal(request: ActorRequest, person_id: str, field_name: str) -> HttpResponse:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = {
                field_name: services.reveal(
                    actor=actor,
                    person_id=person.pk,
                    field_name=field_name,
                    purpose=form.cleaned_data["purpose"],
                )
            }
        except DomainError as exc:
            apply_domain_error(exc, form)
    response = render(
        request,
        "people/person_detail.html",
        _detail_context(request, person, reveal_form=form, revealed=revealed),
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(REGISTER)
@require_POST
def registration_add(request: ActorRequest, person_id: str) -> HttpResponse:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    form = RegistrationForm(request.POST, prefix="r")
    if form.is_valid():
        try:
            reg = services.add_registration(actor=actor, person=person, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(
                request, _("已追加排查登记：%(c)s。") % {"c": reg.get_risk_category_display()}
            )
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_detail.html",
        _detail_context(request, person, reg_form=form),
        status=422,
    )


@requires(OVERRIDE_RISK)
@require_POST
def registration_override(
    request: ActorRequest, person_id: str, registration_id: str
) -> HttpResponse:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    reg = selectors.registrations_of(actor, person).filter(pk=registration_id).first()
    form = OverrideForm(request.POST)
    if reg is None:
        messages.error(request, _("找不到该登记。"))
    elif not form.is_valid():
        messages.error(request, _("请选择类别并填写理由。"))
    else:
        try:
            services.override_risk(actor=actor, registration=reg, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("风险类别已调整。"))
    return redirect("people:detail", person_id=person.pk)


@requires(REGISTER)
@require_POST
def person_edit(request: ActorRequest, person_id: str) -> HttpResponse:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    form = _edit_form(person, request.POST)
    if form.is_valid():
        try:
            services.update_person(actor=actor, person=person, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已保存。"))
            return redirect("people:detail", person_id=person.pk)
    context = _detail_context(request, person, edit_form=form)
    return render(request, "people/person_detail.html", context, status=422)


@requires(REGISTER)
@require_POST
def person_move(request: ActorRequest, person_id: str) -> HttpResponse:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    form = MoveForm(request.POST, regions=selectors.home_choices(actor, REGISTER), prefix="m")
    if form.is_valid():
        try:
            services.move_person(actor=actor, person=person, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("住址已变更，原住址保留在历史中。"))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_detail.html",
        _detail_context(request, person, move_form=form),
        status=422,
    )
