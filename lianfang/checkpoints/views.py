"""Checkpoint pages: the officer's phone page (one vehicle after another without a reload: the
form posts to the API), the live board per shift with shift take-over and hand-over, daily
statistics, the receiving community's inbox, the district's routing queue, the liaison export
and the sites. Thin: services and selectors do the work."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.checkpoints import selectors, services
from lianfang.checkpoints.forms import AckForm, CheckpointForm, CloseForm, RouteForm, ShiftForm
from lianfang.checkpoints.models import (
    FEVER_AT,
    AckResult,
    DutyRole,
    Outcome,
    Priority,
    Shift,
    VehicleType,
)
from lianfang.checkpoints.permissions import CHECK, MANAGE, RECEIVE, ROUTE, VIEW_CHECKPOINTS
from lianfang.core import divisions
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.symptoms import SYMPTOMS
from lianfang.core.views import paginate, query_date, requires
from lianfang.people.models import HealthCode
from lianfang.regions.models import Level, Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(VIEW_CHECKPOINTS)
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    rows = selectors.checkpoints_with_open_shift(actor)
    return render(
        request,
        "checkpoints/home.html",
        {"rows": rows, "can_check": actor.can(CHECK), "can_manage": actor.can(MANAGE)},
    )


def _told_apart(communities: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Communities whose names repeat in the district carry their sub-district's name, so that
    a traveller is not handed to the wrong one."""
    counts = Counter(name for _code, name in communities)
    repeated = [code[:9] for code, name in communities if counts[name] > 1]
    parents = dict(Region.objects.filter(code__in=repeated).values_list("code", "name"))
    return [
        (code, f"{name}（{parents[code[:9]]}）" if code[:9] in parents else name)
        for code, name in communities
    ]


@requires(CHECK)
def check_page(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    cp = selectors.checkpoint(actor, pk)
    if not actor.can(CHECK, cp.region_code):
        return redirect("checkpoints:board", pk=cp.pk)
    district = cp.region_code[:6]
    communities = _told_apart(
        list(
            Region.objects.filter(code__startswith=district, level=Level.COMMUNITY, is_active=True)
            .order_by("code")
            .values_list("code", "name")
        )
    )
    return render(
        request,
        "checkpoints/check.html",
        {
            "checkpoint": cp,
            "shift": selectors.open_shift(cp),
            "vehicle_types": VehicleType.choices,
            "priorities": [p for p in Priority.choices if p[0]],
            "outcomes": Outcome.choices,
            "health_codes": HealthCode.choices,
            "symptoms": list(SYMPTOMS.items()),
            "communities": communities,
            "origins": divisions.origin_choices(),
            "key_areas": selectors.key_area_prefixes(timezone.localdate(), cp.region_code),
            "fever_at": FEVER_AT,
            "time_zone": settings.TIME_ZONE,
        },
    )


@requires(VIEW_CHECKPOINTS)
def board(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    cp = selectors.checkpoint(actor, pk)
    shift = selectors.open_shift(cp)
    return render(
        request,
        "checkpoints/board.html",
        {
            "checkpoint": cp,
            "shift": shift,
            "board": selectors.board(cp, shift),
            "can_check": actor.can(CHECK, cp.region_code),
            "open_form": ShiftForm(prefix="open"),
            "my_handovers": selectors.handovers_made_by(actor)[:20] if actor.can(CHECK) else [],
            "close_form": CloseForm(prefix="close"),
            "duties": DutyRole.choices,
        },
    )


@require_POST
@requires(CHECK)
def shift_open(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    cp = selectors.checkpoint(actor, pk)
    form = ShiftForm(request.POST, prefix="open")
    if form.is_valid():
        try:
            services.open_shift(
                actor=actor,
                checkpoint=cp,
                members=form.members_list(),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, _("已接班。"))
    return redirect("checkpoints:board", pk=cp.pk)


@require_POST
@requires(CHECK)
def shift_close(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    shift = get_visible_or_404(Shift.objects.all(), actor, CHECK, pk=pk)
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        messages.error(request, _("请填写交班说明。"))
    else:
        try:
            services.close_shift(actor=actor, shift=shift, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, _("已交班。"))
    return redirect("checkpoints:board", pk=shift.checkpoint_id)


@requires(VIEW_CHECKPOINTS)
def stats(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    day = query_date(request.GET.get("date")) or timezone.localdate()
    return render(
        request,
        "checkpoints/stats.html",
        {"day": day, "stats": selectors.daily_stats(actor, day), "can_manage": actor.can(MANAGE)},
    )


@requires(RECEIVE)
def inbox(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", "pending")
    qs = selectors.handovers(actor, status=status if status != "all" else "")
    page, query = paginate(request, qs)
    return render(
        request,
        "checkpoints/inbox.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "now": timezone.now(),
            "results": AckResult.choices,
            "can_route": actor.can(ROUTE),
        },
    )


@require_POST
@requires(RECEIVE)
def acknowledge(request: ActorRequest, pk: str) -> HttpResponse:
    actor = request.actor
    handover = selectors.handover_for_receiver(actor, pk)
    form = AckForm(request.POST, prefix="ack")
    if not form.is_valid():
        messages.error(request, _("请选择接收结果。"))
        return redirect("checkpoints:inbox")
    try:
        services.acknowledge(actor=actor, handover=handover, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已确认接收。"))
    return redirect("checkpoints:inbox")


@requires(ROUTE)
def route_queue(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    page, query = paginate(request, selectors.to_route(actor))
    return render(
        request,
        "checkpoints/route.html",
        {"page": page, "query": query, "form": RouteForm(prefix="route")},
    )


@require_POST
@requires(ROUTE)
def route(request: ActorRequest, pk: str) -> HttpResponse:
    actor = request.actor
    handover = selectors.to_route(actor).filter(pk=pk).first()
    if handover is None:
        raise Http404
    form = RouteForm(request.POST, prefix="route")
    if form.is_valid():
        try:
            services.route(actor=actor, handover=handover, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, _("已分派。"))
    return redirect("checkpoints:route_queue")


@requires(MANAGE)
def liaison(request: ActorRequest) -> HttpResponse:
    """Travellers bound outside the district, one sheet per destination city (for the liaison
    officer to send on). Masked IDs and phones only."""
    actor = request.actor
    day = query_date(request.GET.get("date")) or timezone.localdate()
    by_city: dict[str, list[Any]] = {}
    for o in selectors.outside_district(actor, day):
        code = divisions.normalise(o.check_record.destination)
        if code is None or code.startswith(o.check_record.checkpoint.region_code[:6]):
            continue
        city = code[:4] + "00"
        by_city.setdefault(city, []).append(o)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"bold": True})
    header = [
        _("检查时间"),
        _("卡口"),
        _("车牌号"),
        _("姓名"),
        _("证件号码"),
        _("手机号"),
        _("体温"),
        _("目的地"),
    ]
    for city, rows in sorted(by_city.items()) or [("", [])]:
        name = (divisions.name_of(city) or city or _("无"))[:28]
        sheet = book.add_worksheet(name)
        for i, h in enumerate(header):
            sheet.write_string(0, i, h, head)
        for r, o in enumerate(rows, start=1):
            c = o.check_record
            values = [
                timezone.localtime(c.checked_at).strftime("%Y-%m-%d %H:%M"),
                c.checkpoint.name,
                c.plate,
                o.full_name,
                o.id_number_masked,
                o.phone_masked,
                str(o.temperature or ""),
                divisions.name_of(c.destination) or c.destination,
            ]
            for i, v in enumerate(values):
                sheet.write_string(r, i, v, text)
        sheet.set_column(0, 7, 16)
    book.close()
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="liaison-{day.isoformat()}.xlsx"'
    return response


@requires(MANAGE)
def sites(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    communities = list(
        Region.objects.visible_to(actor, MANAGE)
        .filter(level=Level.COMMUNITY, is_active=True)
        .order_by("code")
        .values_list("code", "name")
    )
    form = CheckpointForm(request.POST or None, prefix="cp", communities=communities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["directions"] = data["directions"].split()
        try:
            services.create_checkpoint(actor=actor, data=data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已新增卡口。"))
            return redirect("checkpoints:home")
    return render(
        request,
        "checkpoints/sites.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )
