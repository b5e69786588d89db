"""Quarantine pages: the community board, the lists (with the spreadsheet export), starting an
observation, the quarantine page and each action on it, a member's new check-in link, close
contacts, the printed observation notice. Thin: services do the work."""

from __future__ import annotations

import io
import uuid
from typing import Any

import segno
import xlsxwriter
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.access import log_access
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.pdf import render_pdf
from lianfang.core.scoping import Actor, ActorRequest
from lianfang.core.views import paginate, requires
from lianfang.monitoring.checks.tokens import token_of
from lianfang.monitoring.models import (
    Kind,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
    Site,
)
from lianfang.monitoring.permissions import (
    MANAGE_QUARANTINE,
    RECORD_CHECKS,
    VIEW_MONITORING,
)
from lianfang.monitoring.quarantines import selectors, services
from lianfang.monitoring.quarantines.contacts import close_contacts_observe
from lianfang.monitoring.quarantines.detail_views import detail_page, on_quarantine
from lianfang.monitoring.quarantines.forms import ContactRowForm, StartForm
from lianfang.people import selectors as people_selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(VIEW_MONITORING)
def board(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "monitoring/board.html",
        {
            "board": selectors.board(actor),
            "children": selectors.children_overview(actor),
            "trend": _trend_chart(selectors.trend(actor)),
            "review": selectors.quarantines(actor, ending="overdue")[:20],
            "can_check": actor.can(RECORD_CHECKS),
        },
    )


def _trend_chart(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "names": data["names"],
        "series": [
            {"name": str(_("观察中（人）")), "type": "line", "data": data["active"]},
            {"name": str(_("测温次数")), "type": "bar", "data": data["checks"]},
            {"name": str(_("发热")), "type": "bar", "data": data["fevers"]},
            {"name": str(_("解除")), "type": "bar", "data": data["released"]},
        ],
    }


@requires(VIEW_MONITORING)
def quarantine_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    # No name search here: names must not travel in URLs (the registry's search posts them).
    filters = {k: request.GET.get(k, "") for k in ("status", "kind", "region", "ending")}
    qs = selectors.quarantines(actor, **filters)
    if request.GET.get("export") == "xlsx":
        return _export(qs)
    page, query = paginate(request, qs)
    return render(
        request,
        "monitoring/quarantine_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": Kind.choices,
            "statuses": QuarantineStatus.choices,
            "can_release": filters["ending"] in ("today", "overdue")
            and actor.can(MANAGE_QUARANTINE),
        },
    )


def _export(qs: Any) -> HttpResponse:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("医学观察"))
    head = [
        _("姓名"),
        _("证件号码"),
        _("电话"),
        _("方式"),
        _("区划代码"),
        _("开始"),
        _("预计解除"),
        _("状态"),
    ]
    for c, h in enumerate(head):
        sheet.write_string(0, c, str(h))
    r = 1
    for q in qs:
        for m in q.members.all():
            values = [
                m.person.full_name,
                m.person.id_number_masked,
                m.person.phone_masked,
                q.get_kind_display(),
                q.region_code,
                str(q.start_date),
                str(q.end_date),
                m.get_status_display(),
            ]
            for c, v in enumerate(values):
                sheet.write_string(r, c, str(v))
            r += 1
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="quarantines.xlsx"'
    return response


@requires(MANAGE_QUARANTINE)
def start(request: ActorRequest, person_id: uuid.UUID) -> HttpResponse:
    """Start observation from a registry person: their household's members are offered too."""
    actor = request.actor
    person = people_selectors.get_person(actor, person_id)
    household = (
        list(person.household.members.filter(status="active").order_by("created_at"))
        if person.household is not None
        else [person]
    )
    people = [(str(p.pk), f"{p.full_name} {p.id_number_masked}") for p in household]
    sites = [
        (s.pk, s.name)
        for s in Site.objects.visible_to(actor, MANAGE_QUARANTINE).filter(is_active=True)
    ]
    initial = {"start_date": timezone.localdate(), "person_ids": [str(person.pk)]}
    form = StartForm(request.POST or None, people=people, sites=sites, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            q = services.quarantine_start(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已开始医学观察，预计 %(d)s 解除。") % {"d": q.end_date})
            return redirect("monitoring:detail", pk=q.pk)
    return render(
        request,
        "monitoring/start.html",
        {"form": form, "person": person, "category": people_selectors.latest_category(person)},
    )


@requires(VIEW_MONITORING)
def detail(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    return detail_page(request, selectors.quarantine(request.actor, pk))


# --- actions on a quarantine: one view each, all need MANAGE_QUARANTINE on its region ---------


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_adjust(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        q = services.quarantine_adjust(
            actor=actor, quarantine=q, days=data["days"], reason=data["reason"]
        )
        return _("已调整，预计 %(d)s 解除。") % {"d": q.end_date}

    return on_quarantine(request, pk, "adjust", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_exposure(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        q = services.exposure_record(
            actor=actor,
            quarantine=q,
            observation_id=data["observation"],
            exposure_date=data["exposure_date"],
            reason=data["reason"],
        )
        return _("已重新起算，预计 %(d)s 解除。") % {"d": q.end_date}

    return on_quarantine(request, pk, "exposure", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_contact(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.contact_record(
            actor=actor,
            quarantine=q,
            observation_id=data.get("observation") or None,
            who=data.get("who", ""),
            how=data["how"],
            result=data["result"],
        )
        return _("已记录联系情况。")

    return on_quarantine(request, pk, "contact", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_end(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.observation_end_early(
            actor=actor, quarantine=q, observation_id=data["observation"], reason=data["reason"]
        )
        return _("已提前结束该成员的观察。")

    return on_quarantine(request, pk, "end", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_transfer(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        target = services.observation_transfer(
            actor=actor,
            quarantine=q,
            observation_id=data["observation"],
            reason=data["reason"],
            to_site_id=data.get("to_site_id"),
            to_region_code=(data.get("to_region_code") or "").strip(),
        )
        return _("已转出，新的观察预计 %(d)s 解除。") % {"d": target.end_date}

    return on_quarantine(request, pk, "transfer", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_room(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.room_assign(
            actor=actor, quarantine=q, observation_id=data["observation"], room_id=data["room"]
        )
        return _("已分配房间。")

    return on_quarantine(request, pk, "room", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_team(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.quarantine_set_team(actor=actor, quarantine=q, **data)
        return _("已调整责任人。")

    return on_quarantine(request, pk, "team", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def member_token(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A new self check-in link for the member; the old one stops working."""
    actor = request.actor
    member = selectors.observation(actor, MANAGE_QUARANTINE, pk)
    try:
        services.checkin_link_issue(actor=actor, observation=member)
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已重新生成自报链接，旧链接失效。"))
    return redirect("monitoring:detail", pk=member.quarantine_id)


CONTACT_ROWS = 5
MAX_CONTACT_ROWS = 30


def _rows(value: str | None) -> int:
    """How many contact rows the form shows (1–30; anything else: the default)."""
    try:
        return max(1, min(MAX_CONTACT_ROWS, int(value or CONTACT_ROWS)))
    except ValueError:
        return CONTACT_ROWS


@requires(MANAGE_QUARANTINE)
def contacts(request: ActorRequest, person_id: uuid.UUID) -> HttpResponse:
    """Close contacts of a (suspected or confirmed) person: register and observe them at once."""
    from lianfang.people.permissions import REGISTER

    actor = request.actor
    index = people_selectors.get_person(actor, person_id)
    regions = people_selectors.home_choices(actor, REGISTER)
    data = request.POST or None
    count = _rows(data.get("rows") if data is not None else request.GET.get("rows"))
    forms = [ContactRowForm(data, prefix=f"c{i}", regions=regions) for i in range(count)]
    errors: list[str] = []
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            outcomes = close_contacts_observe(
                actor=actor, index_person=index, rows=[f.cleaned_data for f in forms]
            )
        except DomainError as exc:
            errors.append(exc.message)
            for key, messages_ in exc.fields.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(forms):
                    form = forms[int(parts[1])]
                    field = parts[2] if parts[2] in form.fields else None
                    for m in messages_:
                        form.add_error(field, m)
        else:
            messages.success(
                request,
                _("已登记 %(n)s 名密切接触者并开始医学观察。") % {"n": len(outcomes)},
            )
            return redirect("monitoring:list")
    return render(
        request,
        "monitoring/contacts.html",
        {
            "index": index,
            "category": people_selectors.latest_category(index),
            "forms": forms,
            "rows": count,
            "more": min(MAX_CONTACT_ROWS, count + 5),
            "errors": errors,
        },
    )


@requires(MANAGE_QUARANTINE)
def observation_notice(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A printable notice for one member: dates, rules, the community's contact, and the QR code
    of the personal check-in link. Printing it is a read of personal data: logged."""
    actor = request.actor
    member = selectors.observation(actor, MANAGE_QUARANTINE, pk)
    if member.status != ObservationStatus.ACTIVE or not member.checkin_token_enc:
        raise Http404
    url = request.build_absolute_uri(reverse("checkin_page", args=[token_of(member)]))
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
