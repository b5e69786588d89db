"""Staff pages for work orders: the board (what to sign, in hand, overdue, to dispatch), the
order's page with the actions its reader may take (one URL and view per action), and the
hotline desk. Views are thin: the services decide and refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianfang.cases import public_views, selectors, services, workflow
from lianfang.cases.forms import (
    DispatchForm,
    FollowupForm,
    NoteForm,
    ReplyForm,
    RevealForm,
    TipForm,
)
from lianfang.cases.models import Channel, MessageDirection, Result, State, WorkOrder
from lianfang.cases.permissions import CONFIGURE, DISPATCH, HANDLE, INTAKE, REVEAL_REPORTER, VIEW
from lianfang.core import crypto
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error, show_domain_error
from lianfang.core.identity import parse_phone
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, requires

TABS = [
    ("open", gettext_lazy("未办结")),
    ("dispatched", gettext_lazy("待签收")),
    ("received", gettext_lazy("待派单")),
    ("overdue", gettext_lazy("超期")),
    ("done", gettext_lazy("已办结")),
    ("all", gettext_lazy("全部")),
]


@requires(VIEW)
def board(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    tab = request.GET.get("tab", "open")
    filters: dict[str, Any] = {"category": request.GET.get("category", "")}
    if tab == "overdue":
        filters |= {"state": "open", "overdue": True}
    elif tab != "all":
        filters["state"] = tab
    if request.GET.get("q"):  # a receipt is looked for in every state, whatever the tab
        filters = {"q": request.GET["q"], "category": filters["category"]}
    page, query = paginate(request, selectors.search(actor, **filters))
    context = {
        "page": page,
        "query": query,
        "tab": tab,
        "tabs": TABS,
        "counts": selectors.board_counts(actor),
        "categories": selectors.categories_in_force(),
        "category": filters["category"],
        "search_text": request.GET.get("q", ""),
        "perms_desk": actor.can(INTAKE),
        "poster_code": next((g.region_code for g in actor.grants if len(g.region_code) == 12), ""),
    }
    return render(request, "cases/board.html", context)


def _forms(actor: Any, order: WorkOrder, key: str = "", data: Any = None) -> dict[str, Any]:
    """The action forms the reader may use on the order in its state; the one named ``key``
    bound to ``data`` (what was posted, shown again with its errors)."""

    def given(name: str) -> Any:
        return data if name == key else None

    handle = selectors.may_handle(actor, order)
    intake = selectors.may_intake(actor, order)
    state = order.state
    forms: dict[str, Any] = {}
    if (
        handle
        and order.epidemic_lead
        and state in (State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS)
    ):
        forms["lead"] = True
    if handle and workflow.allowed("accept", state):
        forms["accept"] = True
    if handle and workflow.allowed("return", state):
        forms["return"] = NoteForm(given("return"), prefix="return")
    if handle and workflow.allowed("start", state):
        forms["start"] = NoteForm(given("start"), prefix="start")
    if handle and workflow.allowed("reply", state):
        results = [(r, Result(r).label) for r in services.HANDLER_RESULTS]
        forms["reply"] = ReplyForm(given("reply"), prefix="reply", results=results)
    if handle and state in workflow.OPEN:
        forms["note"] = NoteForm(given("note"), prefix="note")
    pending = order.extensions.filter(state="pending").first()
    if handle and state in (State.ACCEPTED, State.IN_PROGRESS) and pending is None:
        from lianfang.cases.forms import ExtensionForm

        forms["extend"] = ExtensionForm(given("extend"), prefix="extend")
    if pending is not None and selectors.may_dispatch(actor, order):
        forms["decide"] = pending
    if selectors.may_dispatch(actor, order) and workflow.allowed("dispatch", state):
        forms["dispatch"] = DispatchForm(
            given("dispatch"), prefix="dispatch", regions=selectors.dispatch_choices(actor, order)
        )
    if intake and workflow.allowed("answer", state) and order.handler == "intake":
        forms["answer"] = NoteForm(given("answer"), prefix="answer")
    if intake and workflow.allowed("followup", state) and order.reporter_phone_enc:
        forms["followup"] = FollowupForm(given("followup"), prefix="followup")
    if intake and workflow.allowed("close", state):
        forms["close"] = True
    if intake and workflow.allowed("merge", state):
        forms["merge"] = True
    known = bool(order.reporter_name_enc or order.reporter_phone_enc)
    if known and actor.can(REVEAL_REPORTER, order.region_code) and not handle:
        forms["reveal"] = RevealForm(given("reveal"), prefix="reveal")
    return forms


@requires(VIEW)
def detail(request: ActorRequest, order_id: str) -> HttpResponse:
    order = selectors.get_order(request.actor, order_id)
    return _page(request, order, _forms(request.actor, order))


def _page(
    request: ActorRequest, order: WorkOrder, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    unit = selectors.unit_code(order.handler, order.region_code)
    names = selectors.region_names([order.place_code, unit])
    context = {
        "place_name": names.get(order.place_code, ""),
        "unit_name": names.get(unit, unit),
        "order": order,
        "text": selectors.text_of(order),
        "place": selectors.place_of(order),
        "events": list(order.events.select_related("actor")),
        "messages_in": [
            (m.at, crypto.decrypt(m.text_enc, selectors.MESSAGE_LABEL))
            for m in order.messages.filter(direction=MessageDirection.FROM_REPORTER)
        ],
        "photos": list(order.photos.values_list("pk", flat=True)),
        "extra": [
            (spec.get("label", ""), order.extra[spec["key"]])
            for spec in order.category.fields or []
            if spec.get("key") in (order.extra or {})
        ],
        "forms": forms,
        "labels": workflow.ACTION_LABELS,
    }
    return render(request, "cases/detail.html", context, status=status)


def _act(
    request: ActorRequest,
    order_id: str,
    run: Callable[[WorkOrder, dict[str, str]], Any],
    done: str,
    key: str = "",
) -> HttpResponse:
    """Run one action on the order from its page's form ``key`` and come back to the page. A
    refusal is shown on that form with what was typed kept (the page is shown again, 422); an
    action without a form (sign, archive) shows it as the page's message."""
    order = selectors.get_order(request.actor, order_id)
    try:
        run(order, {k: str(v) for k, v in request.POST.items()})
    except DomainError as exc:
        order.refresh_from_db()
        forms = _forms(request.actor, order, key, request.POST)
        form = forms.get(key)
        if form is not None and hasattr(form, "add_error"):
            show_domain_error(exc, form)
            return _page(request, order, forms, status=422)
        fields = "；".join(m for msgs in (exc.fields or {}).values() for m in msgs)
        messages.error(request, fields or str(exc.message))
    else:
        messages.success(request, done)
    return redirect("cases:detail", order_id=order.pk)


@require_POST
@requires(HANDLE)
def accept(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_accept(actor=request.actor, order=o),
        _("已签收。"),
    )


@require_POST
@requires(HANDLE)
def return_order(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_return(
            actor=request.actor, order=o, reason=p.get("return-note", "")
        ),
        _("已退回派单人。"),
        "return",
    )


@require_POST
@requires(HANDLE)
def start(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_start(
            actor=request.actor, order=o, note=p.get("start-note", "")
        ),
        _("已开始办理。"),
        "start",
    )


@require_POST
@requires(HANDLE)
def note(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_note(actor=request.actor, order=o, note=p.get("note-note", "")),
        _("办理记录已保存。"),
        "note",
    )


@require_POST
@requires(HANDLE)
def reply(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_reply(
            actor=request.actor,
            order=o,
            result=p.get("reply-result", ""),
            reply=p.get("reply-reply", ""),
        ),
        _("已办结并答复反映人。"),
        "reply",
    )


@require_POST
@requires(DISPATCH)
def dispatch(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_dispatch(
            actor=request.actor, order=o, region_code=p.get("dispatch-region_code", "")
        ),
        _("已派单。"),
        "dispatch",
    )


@require_POST
@requires(INTAKE)
def answer(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_answer(
            actor=request.actor, order=o, reply=p.get("answer-note", "")
        ),
        _("已答复并办结。"),
        "answer",
    )


@require_POST
@requires(INTAKE)
def followup(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_followup(
            actor=request.actor,
            order=o,
            satisfaction=p.get("followup-satisfaction", ""),
            note=p.get("followup-note", ""),
            redo=p.get("followup-redo") == "on",
        ),
        _("回访已记录。"),
        "followup",
    )


@require_POST
@requires(INTAKE)
def close(request: ActorRequest, order_id: str) -> HttpResponse:
    return _act(
        request,
        order_id,
        lambda o, p: services.order_close(actor=request.actor, order=o),
        _("已归档。"),
    )


@require_POST
@requires(REVEAL_REPORTER)
def reveal(request: ActorRequest, order_id: str) -> HttpResponse:
    actor = request.actor
    order = selectors.get_order(actor, order_id)
    try:
        shown = services.reporter_reveal(
            actor=actor, order=order, purpose=request.POST.get("reveal-purpose", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("cases:detail", order_id=order.pk)
    response = render(request, "cases/reporter.html", {"order": order, "shown": shown})
    response["Cache-Control"] = "no-store"
    return response


@requires(INTAKE)
def desk(request: ActorRequest) -> HttpResponse:
    """The operator's desk: a call in progress. The caller's phone is typed once; it finds the
    earlier orders from the same phone (POST only: a phone never goes into a URL)."""
    actor = request.actor
    district = selectors.district_code()
    searching = request.POST.get("step") == "search"
    options: dict[str, Any] = {
        "categories": selectors.categories_in_force(),
        "places": selectors.place_choices(district),
        "photos": False,
    }
    # A search keeps what was typed without judging the half-filled call (no red fields).
    form = (
        TipForm(initial=request.POST.dict(), **options)
        if searching
        else TipForm(request.POST or None, **options)
    )
    form.fields["name"].label = _("来电人姓名（可不填）")
    form.fields["phone"].label = _("来电号码")
    form.fields["anonymous"].label = _("来电人要求匿名（不记姓名和电话）")
    earlier: list[WorkOrder] = []
    phone_error = ""
    phone = request.POST.get("phone", "").strip()
    if phone:
        try:
            earlier = list(selectors.by_reporter_phone(actor, parse_phone(phone))[:10])
        except DomainError as exc:
            phone_error = str(exc.fields.get("phone", [exc.message])[0])
    if request.method == "POST" and request.POST.get("step") == "submit" and form.is_valid():
        try:
            receipt = public_views.submit_tip(
                form.cleaned_data, [], "", Channel.HOTLINE, actor=actor
            )
        except DomainError as exc:
            from lianfang.core.forms import apply_domain_error

            apply_domain_error(exc, form)
        else:
            request.session[public_views.SHOWN_ONCE] = {
                "receipt": receipt.receipt,
                "check_code": receipt.check_code,
                "order": str(receipt.order.pk),
            }
            return redirect("cases:desk_done")
    context = {
        "form": form,
        "earlier": earlier,
        "searched": bool(phone) and not phone_error,
        "phone_error": phone_error if searching else "",
    }
    return render(request, "cases/desk.html", context)


@require_POST
@requires(INTAKE)
def merge(request: ActorRequest, order_id: str) -> HttpResponse:
    actor = request.actor
    order = selectors.get_order(actor, order_id)
    into = selectors.by_receipt(actor, request.POST.get("into", ""))
    if into is None:
        messages.error(request, _("找不到该受理编号的工单。"))
        return redirect("cases:detail", order_id=order.pk)
    try:
        services.order_merge(actor=actor, order=order, into=into)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已合并为 %(r)s 的重复件。") % {"r": into.receipt})
    return redirect("cases:detail", order_id=order.pk)


@requires(VIEW)
def photo(request: ActorRequest, order_id: str, photo_id: int) -> HttpResponse:
    order = selectors.get_order(request.actor, order_id)
    found = order.photos.filter(pk=photo_id).values_list("content", flat=True).first()
    if found is None:
        from django.http import Http404

        raise Http404
    response = HttpResponse(bytes(found), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@requires(HANDLE)
def lead_register(request: ActorRequest, order_id: str) -> HttpResponse:
    """Register the person an epidemic lead names, from the order (entered once)."""
    from lianfang.cases.forms import LeadRegisterForm

    actor = request.actor
    order = selectors.get_order(actor, order_id)
    open_lead = order.state in (State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS)
    if not (order.epidemic_lead and open_lead and selectors.may_handle(actor, order)):
        from django.http import Http404

        raise Http404
    buildings = selectors.buildings_for(actor, order)
    initial = {"region_code": order.place_code if len(order.place_code) == 15 else ""}
    form = LeadRegisterForm(request.POST or None, initial=initial, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = {k: data[k] for k in ("full_name", "id_number", "phone", "region_code", "address")}
        screening = {"origin": data["origin"], "arrival_date": data["arrival_date"]}
        try:
            services.lead_register(actor=actor, order=order, person=person, screening=screening)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已登记，工单已办结并答复反映人。"))
            return redirect("cases:detail", order_id=order.pk)
    context = {"order": order, "form": form, "text": selectors.text_of(order)}
    return render(request, "cases/lead_register.html", context)


@requires(CONFIGURE)
def categories(request: ActorRequest) -> HttpResponse:
    """The categories in force and a new version of one of them from a date."""
    from datetime import timedelta

    from django.utils import timezone

    from lianfang.cases.forms import CategoryVersionForm

    in_force = selectors.categories_in_force()
    code = request.POST.get("code") or request.GET.get("code") or ""
    chosen = in_force.get(code)
    form = None
    if chosen is not None:
        initial = {
            "name": chosen.name,
            "sign_hours": chosen.sign_hours,
            "limit": chosen.limit,
            "limit_unit": chosen.limit_unit,
            "urgent_hours": chosen.urgent_hours,
            "is_active": chosen.is_active,
            # a new version takes effect from a day to come: tomorrow unless told otherwise
            "effective_from": timezone.localdate() + timedelta(days=1),
        }
        form = CategoryVersionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.category_version_add(
                    actor=request.actor, code=code, data=form.cleaned_data
                )
            except DomainError as exc:
                apply_domain_error(exc, form)
            else:
                messages.success(request, _("新版本已保存，自生效日期起受理的工单按新规则办理。"))
                return redirect("cases:categories")
    upcoming = selectors.upcoming_versions()
    context = {"in_force": in_force, "chosen": chosen, "form": form, "upcoming": upcoming}
    return render(request, "cases/categories.html", context)


MAX_PERIOD_DAYS = 366


def _period_clamped(request: ActorRequest, start: Any) -> bool:
    from lianfang.core.views import query_date

    asked = query_date(request.GET.get("start"))
    other = query_date(request.GET.get("end"))
    return bool(asked and start > min(asked, other or asked))


def _period(request: ActorRequest) -> tuple[Any, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from lianfang.core.views import query_date

    end = query_date(request.GET.get("end")) or timezone.localdate()
    start = query_date(request.GET.get("start")) or end - timedelta(days=13)
    start, end = (start, end) if start <= end else (end, start)
    return max(start, end - timedelta(days=MAX_PERIOD_DAYS - 1)), end


def _trend(days: list[dict[str, Any]]) -> dict[str, Any]:
    """The day-by-day chart's data (``app.js``: counts on the left axis, rates on the right)."""
    return {
        "names": [d["day"].strftime("%m-%d") for d in days],
        "percent_axis": True,
        "series": [
            {"name": _("受理"), "type": "bar", "data": [d["received"] for d in days]},
            {"name": _("办结"), "type": "bar", "data": [d["done"] for d in days]},
            {
                "name": _("按时办结率"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [d["on_time_rate"] for d in days],
            },
            {
                "name": _("满意率"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [d["satisfaction_rate"] for d in days],
            },
        ],
    }


@requires(VIEW)
def stats(request: ActorRequest) -> HttpResponse:
    """Per-category and per-day figures and per-unit scorecards over a period (two weeks by
    default, a year at most)."""
    start, end = _period(request)
    days = selectors.by_day(request.actor, start, end)
    context = {
        "start": start,
        "end": end,
        "days": days,
        "trend": _trend(days),
        "clamped": _period_clamped(request, start),
        "cards": selectors.scorecards(request.actor, start, end),
        "categories": selectors.by_category(request.actor, start, end),
    }
    return render(request, "cases/stats.html", context)


@requires(VIEW)
def export(request: ActorRequest) -> HttpResponse:
    """The board's orders as xlsx: no reporter, no text (personal data stays in the system)."""
    import io

    import xlsxwriter
    from django.utils import timezone

    orders = selectors.search(
        request.actor,
        state=request.GET.get("state", ""),
        category=request.GET.get("category", ""),
        region=request.GET.get("region", ""),
    )[:20000]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet(_("工单"))
    header = [
        _("受理编号"),
        _("类别"),
        _("来源"),
        _("状态"),
        _("承办单位"),
        _("区域代码"),
        _("受理时间"),
        _("办理期限"),
        _("办结时间"),
        _("办理结果"),
        _("超期"),
        _("满意度"),
    ]
    sheet.write_row(0, 0, [str(h) for h in header])

    def local(value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for r, o in enumerate(orders, start=1):
        sheet.write_row(
            r,
            0,
            [
                o.receipt,
                o.summary,
                str(o.get_channel_display()),
                str(o.get_state_display()),
                str(o.get_handler_display()),
                o.region_code,
                local(o.received_at),
                local(o.due_at),
                local(o.done_at),
                str(o.get_result_display()) if o.result else "",
                _("是") if o.overdue or o.overdue_sign else "",
                str(o.get_satisfaction_display()) if o.satisfaction else "",
            ],
        )
    book.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="workorders.xlsx"'
    return response


@require_POST
@requires(HANDLE)
def extension_ask(request: ActorRequest, order_id: str) -> HttpResponse:
    from lianfang.cases.forms import ExtensionForm

    form = ExtensionForm(request.POST, prefix="extend")

    def run(order: WorkOrder, _post: dict[str, str]) -> Any:
        if not form.is_valid():
            from lianfang.core.errors import InvalidInput

            errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
            raise InvalidInput("invalid_extension", _("请检查延期申请。"), errors)
        return services.extension_ask(
            actor=request.actor,
            order=order,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )

    return _act(request, order_id, run, _("延期申请已提交，等待派单人审批。"), "extend")


@require_POST
@requires(DISPATCH)
def extension_decide(request: ActorRequest, order_id: str) -> HttpResponse:
    def run(order: WorkOrder, post: dict[str, str]) -> Any:
        pending = order.extensions.filter(state="pending").first()
        if pending is None:
            from lianfang.core.errors import Conflict

            raise Conflict("no_pending_extension", _("没有待审批的延期申请。"))
        return services.extension_decide(
            actor=request.actor,
            extension=pending,
            approve=post.get("decision") == "approve",
            note=post.get("decide-note", ""),
        )

    return _act(request, order_id, run, _("延期申请已审批。"))


@requires(VIEW)
def poster(request: ActorRequest, code: str) -> HttpResponse:
    """A community's QR poster for the public tip-off form (the community preselected)."""
    import segno
    from django.urls import reverse

    from lianfang.core.pdf import render_pdf

    community = selectors.poster_community(request.actor, code)
    url = request.build_absolute_uri(reverse("tip_form") + f"?c={community.code}")
    pdf = render_pdf(
        "cases/poster.html",
        {
            "community": community,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=10),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tips-{community.code}.pdf"'
    return response


@requires(INTAKE)
def desk_done(request: ActorRequest) -> HttpResponse:
    """The codes to read out to the caller, once (a reload does not take the call again)."""
    return render(request, "cases/desk_done.html", {"receipt": public_views.pop_receipt(request)})
