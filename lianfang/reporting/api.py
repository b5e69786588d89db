# No ``from __future__ import annotations``: django-ninja reads real annotations.
from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.errors import InvalidInput
from lianfang.core.scoping import ActorRequest
from lianfang.regions.models import Level
from lianfang.reporting import selectors, services
from lianfang.reporting.models import DailyReport
from lianfang.reporting.permissions import SUBMIT_REPORT, VIEW_REPORTS

router = Router(tags=["reporting"])


class DayQuery(Schema):
    region: str
    date: date


class ReportOut(Schema):
    region_code: str
    region_name: str
    level: str
    date: date
    status: str  # draft, submitted, zero, late, missing, returned, approved
    revision: int
    corrected: bool
    late: bool
    zero: bool
    deadline: datetime
    submitted_at: datetime | None = None
    figures: dict[str, int]  # the frozen revision's figures; the live ones while a draft
    live: bool  # True when ``figures`` are computed now (nothing submitted yet)


class SubmitIn(Schema):
    note: str = ""
    confirm_zero: bool = False
    reason: str = ""


class CompletenessOut(Schema):
    region_code: str
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    pending: int
    zero: int


class CompletenessReport(CompletenessOut):
    date: date
    children: list[CompletenessOut]


def _day(value: date) -> date:
    if value > timezone.localdate():
        raise InvalidInput(
            "future_day", _("不能查看或报送未来日期的日报告。"), {"date": [_("日期不能晚于今天。")]}
        )
    return value


def _report_out(report: DailyReport) -> ReportOut:
    if report.revision:
        figures = report.revisions.get(number=report.revision).figures
    else:
        figures = services.figures_to_submit(report)
    return ReportOut(
        region_code=report.region_code,
        region_name=report.region.name,
        level=report.level,
        date=report.day,
        status=report.shown_status,
        revision=report.revision,
        corrected=report.is_corrected,
        late=report.late,
        zero=report.zero,
        deadline=report.deadline,
        submitted_at=report.submitted_at,
        figures=figures,
        live=not report.revision,
    )


def _report(request: ActorRequest, code: str, day: date) -> DailyReport:
    region = selectors.region_in_scope(request.actor, code)
    if region.level == Level.BUILDING:
        raise Http404
    return services.report_for(region, _day(day))


@router.get(
    "/reports/daily",
    auth=AUTH,
    response={200: ReportOut, **ERRORS},
    summary="A unit's daily report: figures, status, revision",
)
@api_requires(VIEW_REPORTS)
def daily_report(request: ActorRequest, filters: Query[DayQuery]) -> ReportOut:
    return _report_out(_report(request, filters.region, filters.date))


@router.post(
    "/reports/daily/{code}/{day}/submit",
    auth=AUTH,
    response={200: ReportOut, **ERRORS, 403: ErrorOut, 409: ErrorOut},
    summary="Submit (or confirm a zero report, or correct with a reason) a unit's daily report",
)
@api_requires(SUBMIT_REPORT)
def submit_report(request: ActorRequest, code: str, day: date, payload: SubmitIn) -> ReportOut:
    report = _report(request, code, day)
    services.report_submit(actor=request.actor, report=report, **payload.dict())
    report.refresh_from_db()
    return _report_out(report)


@router.get(
    "/reports/daily/completeness",
    auth=AUTH,
    response={200: CompletenessReport, **ERRORS},
    summary="Expected, submitted, on time, late and missing community reports, per child region",
)
@api_requires(VIEW_REPORTS)
def completeness(request: ActorRequest, filters: Query[DayQuery]) -> CompletenessReport:
    region = selectors.region_in_scope(request.actor, filters.region)
    day = _day(filters.date)
    n = selectors.child_length(region.code)
    by_child = selectors.completeness_by_child(region.code, day, n)
    total = selectors.completeness(region.code, day)
    return CompletenessReport(
        region_code=region.code,
        date=day,
        **total.as_dict(),
        children=[
            CompletenessOut(region_code=code, **c.as_dict()) for code, c in sorted(by_child.items())
        ]
        if region.level != Level.COMMUNITY
        else [],
    )
