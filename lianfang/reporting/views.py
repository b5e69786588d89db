"""Reporting pages: a unit's report (figures computed, submit / zero report / correction,
review), the overview of the units below (completeness, timeliness, frozen totals beside the
live figures, trend and completeness grid), drill-down to the records, supervision items,
bulletins and the reporting policy. Thin: services and selectors do the work."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core import indicators
from lianfang.core.access import log_access
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.core.views import paginate, query_date, requires
from lianfang.regions.models import Level, Region
from lianfang.reporting import bulletins, selectors, services
from lianfang.reporting.forms import PolicyForm, ResolveForm, ReviewForm, SubmitForm
from lianfang.reporting.models import (
    Bulletin,
    ReportPolicy,
    ReportStatus,
    ShownStatus,
    SupervisionItem,
)
from lianfang.reporting.permissions import (
    BULLETIN,
    CONFIGURE_REPORTS,
    PUBLIC_BULLETIN,
    REVIEW_REPORTS,
    SUBMIT_REPORT,
    VIEW_REPORTS,
)
from lianfang.reporting.policies import policy_create, policy_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_COLORS = {
    ShownStatus.SUBMITTED: "#198754",
    ShownStatus.ZERO: "#20c997",
    ShownStatus.APPROVED: "#0d6efd",
    ShownStatus.LATE: "#fd7e14",
    ShownStatus.RETURNED: "#ffc107",
    ShownStatus.MISSING: "#dc3545",
    ShownStatus.DRAFT: "#adb5bd",
}


def default_day() -> date:
    """The day whose report is normally due now: yesterday."""
    return timezone.localdate() - timedelta(days=1)


def _day(value: str | None) -> date:
    day = query_date(value) or default_day()
    if day > timezone.localdate():
        raise Http404
    return day


@requires(SUBMIT_REPORT)
def mine(request: ActorRequest) -> HttpResponse:
    """The actor's own unit's report for yesterday (the one normally due this morning)."""
    actor = request.actor
    codes = sorted(
        {
            g.region_code
            for g in actor.grants
            if services.is_own_unit(actor, g.region_code, SUBMIT_REPORT)
        },
        key=len,
    )
    unit = (
        Region.objects.filter(
            code__in=codes, level__in=[Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT]
        )
        .order_by("code")
        .first()
    )
    if unit is None:
        raise Http404
    return redirect("reporting:detail", code=unit.code, day=default_day().isoformat())


@requires(VIEW_REPORTS)
def overview(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    code = request.GET.get("region", "")
    region = selectors.region_in_scope(actor, code) if code else selectors.home_region(actor)
    day = _day(request.GET.get("date"))
    if region.level == Level.COMMUNITY:
        return redirect("reporting:detail", code=region.code, day=day.isoformat())
    if region.level == Level.BUILDING:
        raise Http404
    return render(request, "reporting/overview.html", _overview_context(actor, region, day))


def _overview_context(actor: Any, region: Region, day: date) -> dict[str, Any]:
    data = selectors.overview(region, day)
    first = day - timedelta(days=29)
    trend = selectors.trend(region.code, first, day)
    grid = selectors.grid(region.code, first, day)
    cols = selectors.count_indicators()
    return {
        "region": region,
        "day": day,
        "prev": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < default_day() else None,
        "data": data,
        "columns": cols,
        "trend_chart": _trend_chart(trend),
        "timeliness_chart": _timeliness_chart(trend),
        "grid_chart": _grid_chart(grid),
        "can_submit": services.is_own_unit(actor, region.code, SUBMIT_REPORT),
        "can_review": services.is_own_unit(actor, region.code, REVIEW_REPORTS),
        "can_bulletin": region.level == Level.DISTRICT and actor.can(BULLETIN, region.code),
        "can_configure": actor.can(CONFIGURE_REPORTS),
        "supervision_open": selectors.supervision_items(actor, open_only=True)
        .filter(region_code=region.code)
        .count(),
    }


def _trend_chart(trend: dict[str, Any]) -> dict[str, Any]:
    keys = [
        i
        for i in selectors.count_indicators()
        if i.key
        in (
            "arrivals_key_area",
            "arrivals_other",
            "under_home_observation",
            "fevers_found",
            "observations_released",
        )
    ]
    series: list[dict[str, Any]] = [
        {"name": str(i.label), "type": "line", "data": [f.get(i.key, 0) for f in trend["figures"]]}
        for i in keys
    ]
    return {"names": [d.strftime("%m-%d") for d in trend["days"]], "series": series}


def _timeliness_chart(trend: dict[str, Any]) -> dict[str, Any]:
    return {
        "names": [d.strftime("%m-%d") for d in trend["days"]],
        "series": [
            {"name": str(_("按时")), "type": "bar", "stack": "c", "data": trend["on_time"]},
            {"name": str(_("迟报")), "type": "bar", "stack": "c", "data": trend["late"]},
            {"name": str(_("漏报")), "type": "bar", "stack": "c", "data": trend["missing"]},
        ],
    }


def _grid_chart(grid: dict[str, Any]) -> dict[str, Any]:
    states = [s.value for s in ShownStatus]
    data = [
        [x, y, states.index(cell)]
        for y, row in enumerate(grid["cells"])
        for x, cell in enumerate(row)
        if cell
    ]
    return {
        "heatmap": {
            "x": [d.strftime("%m-%d") for d in grid["days"]],
            "y": [name for _c, name in grid["communities"]],
            "data": data,
            "pieces": [
                {"value": i, "label": str(s.label), "color": STATUS_COLORS[s]}
                for i, s in enumerate(ShownStatus)
            ],
        },
        "rows": len(grid["communities"]),
    }


def _report_context(
    request: ActorRequest, region: Region, day: date, **forms: Any
) -> dict[str, Any]:
    actor = request.actor
    report = services.report_for(region, day)
    now = timezone.now()
    submitted = report.revision > 0
    live = services.live_figures(report)
    proposed = services.figures_to_submit(report) if report.level != Level.COMMUNITY else live
    current = report.revisions.get(number=report.revision) if submitted else None
    shown = current.figures if current is not None else proposed
    rows = [
        {
            "indicator": i,
            "value": shown.get(i.key, 0),
            "live": live.get(i.key, 0),
            "differs": submitted and not i.is_rate and shown.get(i.key, 0) != live.get(i.key, 0),
            "can_drill": actor.can(i.perm),
        }
        for i in indicators.all_indicators()
    ]
    can_submit = services.is_own_unit(actor, region.code, SUBMIT_REPORT)
    return {
        "region": region,
        "day": day,
        "report": report,
        "current": current,
        "rows": rows,
        "zero_now": indicators.is_zero(proposed),
        "window_open": now < report.window_end,
        "can_submit": can_submit and now >= report.window_end,
        "can_review": services.can_review(actor, report)
        and report.status == ReportStatus.SUBMITTED,
        "revisions": report.revisions.select_related("submitted_by").order_by("-number"),
        "events": report.events.select_related("actor"),
        "children": selectors.overview(region, day).children
        if region.level != Level.COMMUNITY
        else [],
        "columns": selectors.count_indicators(),
        "submit_form": forms.get("submit_form")
        or SubmitForm(prefix="submit", revising=report.revision > 0),
        "review_form": forms.get("review_form") or ReviewForm(prefix="review"),
        "prev": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < default_day() else None,
    }


@requires(VIEW_REPORTS)
def detail(request: ActorRequest, code: str, day: str) -> HttpResponse:
    actor = request.actor
    region = selectors.region_in_scope(actor, code)
    if region.level == Level.BUILDING:
        raise Http404
    return render(request, "reporting/detail.html", _report_context(request, region, _day(day)))


@requires(VIEW_REPORTS)
def history(request: ActorRequest, code: str) -> HttpResponse:
    """One unit's reports, newest first: status, revision, when and by whom."""
    actor = request.actor
    region = selectors.region_in_scope(actor, code)
    if region.level == Level.BUILDING:
        raise Http404
    reports = selectors.reports_of(actor, region.code).select_related("submitted_by")
    status = request.GET.get("status", "")
    if status == "late":
        reports = reports.filter(late=True)
    elif status in (ReportStatus.MISSING, ReportStatus.RETURNED):
        reports = reports.filter(status=status)
    page, query = paginate(request, reports.order_by("-day"))
    return render(
        request,
        "reporting/history.html",
        {"region": region, "page": page, "query": query, "status": status},
    )


@require_POST
@requires(SUBMIT_REPORT)
def submit(request: ActorRequest, code: str, day: str) -> HttpResponse:
    actor = request.actor
    region = selectors.region_in_scope(actor, code)
    the_day = _day(day)
    report = services.report_for(region, the_day)
    form = SubmitForm(request.POST, prefix="submit", revising=report.revision > 0)
    if form.is_valid():
        try:
            revision = services.report_submit(actor=actor, report=report, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            text = _("已报送（第 %(n)s 版）。") % {"n": revision.number}
            if revision.zero:
                text = _("零报告已报送（第 %(n)s 版）。") % {"n": revision.number}
            messages.success(request, text)
            return redirect("reporting:detail", code=code, day=day)
    ctx = _report_context(request, region, the_day, submit_form=form)
    return render(request, "reporting/detail.html", ctx, status=422)


@require_POST
@requires(REVIEW_REPORTS)
def review(request: ActorRequest, code: str, day: str, decision: str) -> HttpResponse:
    if decision not in ("approve", "return"):
        raise Http404
    actor = request.actor
    region = selectors.region_in_scope(actor, code)
    the_day = _day(day)
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            services.report_review(
                actor=actor,
                report=services.report_for(region, the_day),
                approve=decision == "approve",
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已审核通过。") if decision == "approve" else _("已退回。"))
            return redirect("reporting:detail", code=code, day=day)
    ctx = _report_context(request, region, the_day, review_form=form)
    return render(request, "reporting/detail.html", ctx, status=422)


@requires(VIEW_REPORTS)
def drill(request: ActorRequest, code: str, day: str, key: str) -> HttpResponse:
    """The records behind one figure, as far as the viewer may see them."""
    actor = request.actor
    region = selectors.region_in_scope(actor, code)
    indicator = indicators.get(key)
    if indicator is None or not actor.can(indicator.perm):
        raise Http404
    the_day = _day(day)
    report = services.report_for(region, the_day)
    records = indicator.records(actor, region.code, services.window_of(report))
    if not records.ordered:
        records = records.order_by("pk")
    page, query = paginate(request, records)
    log_access(
        actor=actor,
        action="report_drill_down",
        object_type=key,
        object_id=the_day.isoformat(),
        region_code=region.code,
        purpose=str(_("日报告数据核查")),
        row_count=len(page.object_list),
    )
    return render(
        request,
        "reporting/drill.html",
        {
            "region": region,
            "day": the_day,
            "indicator": indicator,
            "page": page,
            "query": query,
            "rows": [indicator.describe(r) for r in page.object_list],
        },
    )


@requires(VIEW_REPORTS)
def supervision(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    show = request.GET.get("show", "open")
    items = selectors.supervision_items(actor, open_only=show == "open")
    page, query = paginate(request, items)
    since = timezone.localdate() - timedelta(days=30)
    return render(
        request,
        "reporting/supervision.html",
        {
            "page": page,
            "query": query,
            "show": show,
            "offenders": selectors.repeated_offenders(actor, since),
            "form": ResolveForm(prefix="resolve"),
            "own_units": {g.region_code for g in actor.grants},
        },
    )


@require_POST
@requires(REVIEW_REPORTS)
def resolve(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    item = get_visible_or_404(SupervisionItem.objects.all(), actor, VIEW_REPORTS, pk=pk)
    form = ResolveForm(request.POST, prefix="resolve")
    if not form.is_valid():
        messages.error(request, _("请填写处理情况。"))
        return redirect("reporting:supervision")
    try:
        services.supervision_resolve(actor=actor, item=item, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("督办事项已办结。"))
    return redirect("reporting:supervision")


def _district(actor: Any, perm: str) -> Region:
    """The district the actor holds ``perm`` on (bulletins are the district's)."""
    codes = [p for p in actor.prefixes(perm) if len(p) == 6]
    region = Region.objects.filter(code__in=codes, level=Level.DISTRICT).order_by("code").first()
    if region is None:
        raise Http404
    return region


@requires(BULLETIN)
def bulletin_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    region = _district(actor, BULLETIN)
    day = _day(request.GET.get("date"))
    if request.method == "POST":
        try:
            b = bulletins.generate(actor=actor, region=region, day=day)
        except DomainError as exc:
            messages.error(request, exc.as_text())
        else:
            messages.success(request, _("已生成第 %(n)s 版简报。") % {"n": b.number})
        return redirect(f"{request.path}?date={day.isoformat()}")
    archive = (
        Bulletin.objects.visible_to(actor, BULLETIN)
        .filter(region=region)
        .select_related("generated_by")
    )
    page, query = paginate(request, archive)
    return render(
        request,
        "reporting/bulletins.html",
        {
            "region": region,
            "day": day,
            "page": page,
            "query": query,
            "preview": bulletins.build(region, day),
        },
    )


@requires(BULLETIN)
def bulletin_file(request: ActorRequest, pk: int, fmt: str) -> HttpResponse:
    actor = request.actor
    b = get_visible_or_404(Bulletin.objects.all(), actor, BULLETIN, pk=pk)
    name = f"bulletin-{b.region_code}-{b.day.isoformat()}-v{b.number}"
    if fmt == "xlsx":
        response = HttpResponse(bulletins.to_xlsx(b.data), content_type=XLSX)
    elif fmt == "pdf":
        response = HttpResponse(bulletins.to_pdf(b.data), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@requires(PUBLIC_BULLETIN)
def public(request: ActorRequest) -> HttpResponse:
    """The de-identified bulletin of the latest generated version for the day, ready for the
    publicity officer (counts only; small cells suppressed)."""
    actor = request.actor
    region = _district(actor, PUBLIC_BULLETIN)
    day = _day(request.GET.get("date"))
    latest = Bulletin.objects.filter(region=region, day=day).order_by("-number").first()
    return render(
        request,
        "reporting/public.html",
        {
            "region": region,
            "day": day,
            "bulletin": latest,
            "data": bulletins.public_version(latest.data) if latest else None,
        },
    )


@requires(CONFIGURE_REPORTS)
def policies(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    current = policy_for(timezone.localdate())
    form = PolicyForm(request.POST or None, prefix="policy")
    if request.method == "POST" and form.is_valid():
        try:
            policy_create(actor=actor, data=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已新增报告政策版本。"))
            return redirect("reporting:policies")
    return render(
        request,
        "reporting/policies.html",
        {"form": form, "current": current, "versions": ReportPolicy.objects.all()},
        status=422 if form.is_bound else 200,
    )
