"""Writes of the reporting app: open a report, submit it (or a zero report, or a correction),
review it, resolve supervision items. Every write is atomic and permission-checked; figures are
always computed, never accepted from the caller."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lianfang.core import indicators
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.permissions import role_has
from lianfang.core.scoping import Actor
from lianfang.regions.models import Level, Region
from lianfang.reporting.models import (
    REPORTING_LEVELS,
    DailyReport,
    EventKind,
    ReportEvent,
    ReportFigure,
    ReportRevision,
    ReportStatus,
    SupervisionItem,
    SupervisionKind,
)
from lianfang.reporting.permissions import REVIEW_REPORTS, SUBMIT_REPORT
from lianfang.reporting.policies import policy_for

CHILD_LEVEL = {Level.DISTRICT: Level.COMMUNITY, Level.SUBDISTRICT: Level.COMMUNITY}


def parent_code(code: str) -> str:
    return code[:-3] if len(code) > 6 else code


def report_for(region: Region, day: date) -> DailyReport:
    """The unit's report for ``day``, opened under the policy in force that day."""
    if region.level not in REPORTING_LEVELS:
        raise InvalidInput("not_a_reporting_unit", _("楼栋不单独报送日报告。"))
    existing = DailyReport.objects.filter(region=region, day=day).first()
    if existing is not None:
        return existing
    policy = policy_for(day)
    start, end = policy.window(region.level, day)
    try:
        with transaction.atomic():
            return DailyReport.objects.create(
                region=region,
                region_code=region.code,
                level=region.level,
                day=day,
                policy=policy,
                window_start=start,
                window_end=end,
                deadline=policy.deadline(region.level, day),
            )
    except IntegrityError:  # opened concurrently
        return DailyReport.objects.get(region=region, day=day)


def window_of(report: DailyReport) -> indicators.Window:
    return indicators.Window(report.day, report.window_start, report.window_end)


def live_figures(report: DailyReport) -> dict[str, int]:
    """The figures as the records stand now, for the unit's whole subtree."""
    return indicators.compute(report.region_code, window_of(report))


def consolidated_figures(report: DailyReport) -> dict[str, int]:
    """A sub-district's or the district's report: the sum of its communities' frozen snapshots
    for the day; rates (which do not add up) are computed over the subtree."""
    from lianfang.reporting.selectors import snapshot_totals

    totals = snapshot_totals(report.region_code, report.day)
    rates = [i for i in indicators.all_indicators() if i.is_rate]
    live = indicators.compute(report.region_code, window_of(report), rates)
    return {
        i.key: (live[i.key] if i.is_rate else totals.get(i.key, 0))
        for i in indicators.all_indicators()
    }


def figures_to_submit(report: DailyReport) -> dict[str, int]:
    if report.level == Level.COMMUNITY:
        return live_figures(report)
    return consolidated_figures(report)


def is_own_unit(actor: Actor, code: str, perm: str) -> bool:
    """The actor holds ``perm`` on exactly this unit (a unit reports for itself only)."""
    return any(g.region_code == code and role_has(g.role, perm) for g in actor.grants)


def can_review(actor: Actor, report: DailyReport) -> bool:
    return report.level != Level.DISTRICT and is_own_unit(
        actor, parent_code(report.region_code), REVIEW_REPORTS
    )


def _check_can_submit(actor: Actor, report: DailyReport, now: datetime) -> None:
    if not is_own_unit(actor, report.region_code, SUBMIT_REPORT):
        raise PermissionDeniedError("forbidden", _("只能报送本单位的日报告。"))
    if now < report.window_end:
        raise InvalidInput(
            "window_open",
            _("统计时段尚未结束，%(end)s 后才能报送。")
            % {"end": date_format(timezone.localtime(report.window_end), "Y-m-d H:i")},
        )


def _freeze(report: DailyReport, figures: dict[str, int]) -> None:
    """Replace the report's rows in the roll-up table with the new revision's non-zero figures."""
    ReportFigure.objects.filter(report=report).delete()
    ReportFigure.objects.bulk_create(
        ReportFigure(
            report=report,
            level=report.level,
            day=report.day,
            region_code=report.region_code,
            key=key,
            value=value,
        )
        for key, value in figures.items()
        if value
    )


def _children_states(report: DailyReport) -> dict[str, Any]:
    from lianfang.reporting.selectors import completeness_counts

    if report.level == Level.COMMUNITY:
        return {}
    return completeness_counts(report.region_code, report.day)


def _figures_in_words(figures: dict[str, int]) -> str:
    """The figures that are not zero, as a worker reads them: "新增医学观察 3、发现发热 1 人"
    (a label's unit in brackets goes after the number)."""
    parts = []
    for indicator in indicators.flows_present(figures):
        label, n = str(indicator.label), figures.get(indicator.key, 0)
        bracket = re.fullmatch(r"(.+)（(.+)）", label)
        parts.append(f"{bracket[1]} {n} {bracket[2]}" if bracket else f"{label} {n}")
    return "、".join(parts)


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    report: DailyReport,
    note: str = "",
    confirm_zero: bool = False,
    reason: str = "",
    now: datetime | None = None,
    computed: dict[str, int] | None = None,
) -> ReportRevision:
    """Submit the report as computed now. A zero report must be confirmed (无事零报告) and is
    refused when anything new happened. A second submission without a reason changes nothing
    and returns the current revision; with a reason it is a correction (a new revision). A
    returned or approved report takes a new revision with a reason.

    ``computed``: for bulk callers (the demo), the unit's figures already computed from the
    records by ``indicators.compute_by_child`` for the same window — never input from a user
    (pages and API do not pass it)."""
    now = now or timezone.now()
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    _check_can_submit(actor, report, now)
    note, reason = (note or "").strip()[:500], (reason or "").strip()[:500]
    if report.revision:
        needs_reason = report.status in (ReportStatus.RETURNED, ReportStatus.APPROVED)
        if not reason:
            if needs_reason:
                raise InvalidInput(
                    "reason_required",
                    _("该报告已被退回或已审核，重新报送须说明更正原因。"),
                    {"reason": [_("请填写更正原因。")]},
                )
            return report.revisions.get(number=report.revision)
    figures = computed if computed is not None else figures_to_submit(report)
    zero = _zero_confirmed(figures, confirm_zero)
    late = now > report.deadline
    first = report.revision == 0
    revision = ReportRevision.objects.create(
        report=report,
        number=report.revision + 1,
        figures=figures,
        versions=indicators.versions(),
        completeness=_children_states(report),
        zero=zero,
        late=late,
        note=note,
        reason=reason,
        submitted_by_id=actor.user_id,
        submitted_at=now,
    )
    was_missing = report.status == ReportStatus.MISSING
    report.revision = revision.number
    report.zero = zero
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.submitted_by_id = actor.user_id
    if first:
        report.late = late
    report.save()
    _freeze(report, figures)
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.SUBMITTED if first else EventKind.CORRECTED,
        actor_id=actor.user_id,
        at=now,
        note=reason or note,
    )
    if first and late:
        _supervise_late(report, was_missing, now)
    return revision


def _zero_confirmed(figures: dict[str, int], confirm_zero: bool) -> bool:
    """Whether the figures are a zero report (无事零报告), which the worker must confirm; a
    confirmation of a period in which something happened is refused, naming what."""
    zero = indicators.is_zero(figures)
    if confirm_zero and not zero:
        present = _figures_in_words(figures)
        raise Conflict(
            "not_zero",
            _("本时段有新增情况（%(names)s），不能作零报告。") % {"names": present},
            {"confirm_zero": [_("本时段%(names)s，不能勾选“无事零报告”。") % {"names": present}]},
        )
    if zero and not confirm_zero:
        raise InvalidInput(
            "confirm_zero",
            _("本时段没有任何新增情况，请确认“无事零报告”后报送。"),
            {"confirm_zero": [_("请勾选“无事零报告”。")]},
        )
    return zero


def _supervise_late(report: DailyReport, was_missing: bool, now: datetime) -> None:
    """A first submission after the deadline: a missing-report item is resolved as late,
    otherwise a late-report item is raised for the parent unit."""
    if was_missing:
        SupervisionItem.objects.filter(
            report=report, kind=SupervisionKind.MISSING, resolved_at=None
        ).update(resolved_at=now, note=_("已补报（迟报）"))
    else:
        _supervise(report, SupervisionKind.LATE, now)


def _supervise(report: DailyReport, kind: str, now: datetime) -> None:
    SupervisionItem.objects.get_or_create(
        report=report,
        kind=kind,
        defaults={
            "region_code": parent_code(report.region_code),
            "subject_code": report.region_code,
            "created_at": now,
        },
    )


@transaction.atomic
def report_review(
    *,
    actor: Actor,
    report: DailyReport,
    approve: bool,
    comment: str = "",
    now: datetime | None = None,
) -> DailyReport:
    """The unit above approves a submitted report or returns it with a comment."""
    now = now or timezone.now()
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if not can_review(actor, report):
        raise PermissionDeniedError("forbidden", _("只能审核直属下级单位的日报告。"))
    comment = (comment or "").strip()[:500]
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(
            "not_submitted",
            _("只能审核已报送、尚未审核的报告（当前：%(status)s）。")
            % {"status": report.get_shown_status_display()},
        )
    if not approve and not comment:
        raise InvalidInput(
            "comment_required",
            _("退回须填写审核意见。"),
            {"comment": [_("请说明退回原因，便于下级更正。")]},
        )
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.reviewed_at = now
    report.reviewed_by_id = actor.user_id
    report.review_comment = comment
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment"])
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.APPROVED if approve else EventKind.RETURNED,
        actor_id=actor.user_id,
        at=now,
        note=comment,
    )
    return report


@transaction.atomic
def supervision_resolve(*, actor: Actor, item: SupervisionItem, note: str) -> SupervisionItem:
    """The overseeing unit records what it did about a missing or late report."""
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    if not is_own_unit(actor, item.region_code, REVIEW_REPORTS):
        raise PermissionDeniedError("forbidden", _("只能办结本单位的督办事项。"))
    if item.resolved_at is not None:
        raise Conflict("already_resolved", _("该督办事项已办结。"))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            "note_required", _("请填写处理情况。"), {"note": [_("请填写处理情况。")]}
        )
    item.resolved_at = timezone.now()
    item.resolved_by_id = actor.user_id
    item.note = note[:500]
    item.save(update_fields=["resolved_at", "resolved_by", "note"])
    return item
