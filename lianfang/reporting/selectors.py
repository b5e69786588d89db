"""Reads of the reporting app. Every page starts from the actor's scope (``region_in_scope``);
the roll-ups are a handful of GROUP BY statements over the frozen snapshots (``ReportFigure``) and
the reports' states, whatever the number of regions below: never a query per region."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from lianfang.core import indicators
from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor
from lianfang.regions.models import Level, Region
from lianfang.reporting.models import (
    DailyReport,
    ReportFigure,
    ReportStatus,
    SupervisionItem,
)
from lianfang.reporting.permissions import VIEW_REPORTS
from lianfang.reporting.policies import policy_for

SUBMITTED_STATES = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED)


def child_length(code: str) -> int:
    """Codes one level down: a province (2 digits) or city (4) → counties (6); else +3."""
    return 6 if len(code) < 6 else len(code) + 3


def region_in_scope(actor: Actor, code: str) -> Region:
    try:
        return Region.objects.visible_to(actor, VIEW_REPORTS).get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def home_region(actor: Actor) -> Region:
    """The highest region the actor may view reports of (their own unit)."""
    prefixes = actor.prefixes(VIEW_REPORTS)
    if not prefixes:
        raise Http404
    region = Region.objects.filter(code=prefixes[0]).first()
    if region is None:
        raise Http404
    return region


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    zero: int = 0
    returned: int = 0
    approved: int = 0

    @property
    def pending(self) -> int:
        return max(self.expected - self.submitted - self.missing, 0)

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0

    def as_dict(self) -> dict[str, int]:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "pending": self.pending,
            "zero": self.zero,
        }


def _communities(prefix: str) -> QuerySet[Region]:
    return Region.objects.filter(subtree_q("code", prefix), level=Level.COMMUNITY, is_active=True)


def _community_reports(prefix: str) -> QuerySet[DailyReport]:
    return DailyReport.objects.filter(subtree_q("region_code", prefix), level=Level.COMMUNITY)


def completeness_by_child(prefix: str, day: date, n: int) -> dict[str, Completeness]:
    """The community reports of ``day`` under ``prefix``, counted per region code prefix of
    length ``n`` (one GROUP BY for the states, one for the expected units)."""
    result: dict[str, Completeness] = defaultdict(Completeness)
    expected = (
        _communities(prefix)
        .annotate(child=Substr("code", 1, n))
        .values("child")
        .annotate(k=Count("pk"))
        .values_list("child", "k")
    )
    for child, k in expected:
        result[child].expected = k
    states = (
        _community_reports(prefix)
        .filter(day=day)
        .annotate(child=Substr("region_code", 1, n))
        .values("child", "status", "late", "zero")
        .annotate(k=Count("pk"))
        .values_list("child", "status", "late", "zero", "k")
    )
    for child, status, late, zero, k in states:
        c = result[child]
        if status in SUBMITTED_STATES:
            c.submitted += k
            c.late += k if late else 0
            c.on_time += 0 if late else k
            c.zero += k if zero else 0
            c.returned += k if status == ReportStatus.RETURNED else 0
            c.approved += k if status == ReportStatus.APPROVED else 0
        elif status == ReportStatus.MISSING:
            c.missing += k
    return dict(result)


def _sum(parts: list[Completeness]) -> Completeness:
    total = Completeness()
    for p in parts:
        for f in fields(Completeness):
            setattr(total, f.name, getattr(total, f.name) + getattr(p, f.name))
    return total


def completeness(prefix: str, day: date) -> Completeness:
    return _sum(list(completeness_by_child(prefix, day, len(prefix)).values()))


def completeness_counts(prefix: str, day: date) -> dict[str, Any]:
    """What a consolidated revision freezes about its communities."""
    return completeness(prefix, day).as_dict()


def totals_by_child(prefix: str, day: date, n: int) -> dict[str, dict[str, int]]:
    """Sums of the communities' frozen figures of ``day`` per region code prefix of length n."""
    rows = (
        ReportFigure.objects.filter(
            subtree_q("region_code", prefix), level=Level.COMMUNITY, day=day
        )
        .annotate(child=Substr("region_code", 1, n))
        .values("child", "key")
        .annotate(v=Sum("value"))
        .values_list("child", "key", "v")
    )
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for child, key, v in rows:
        result[child][key] = int(v)
    return dict(result)


def snapshot_totals(prefix: str, day: date) -> dict[str, int]:
    return totals_by_child(prefix, day, len(prefix)).get(prefix, {})


def count_indicators() -> list[indicators.Indicator]:
    """Indicators that add up across units (rates do not)."""
    return [i for i in indicators.all_indicators() if not i.is_rate]


@dataclass
class ChildRow:
    code: str
    name: str
    level: str
    report: DailyReport | None  # the child's own report (communities, or consolidated)
    completeness: Completeness
    snapshot: dict[str, int]
    live: dict[str, int] = field(default_factory=dict)

    @property
    def differs(self) -> list[str]:
        """Indicators whose frozen total differs from the records as they stand now."""
        if not self.live:
            return []
        return [
            i.key
            for i in count_indicators()
            if self.snapshot.get(i.key, 0) != self.live.get(i.key, 0)
        ]


@dataclass
class Overview:
    region: Region
    day: date
    report: DailyReport | None
    completeness: Completeness
    totals: dict[str, int]
    live: dict[str, int]
    children: list[ChildRow]

    @property
    def differs(self) -> list[str]:
        return [
            i.key
            for i in count_indicators()
            if self.totals.get(i.key, 0) != self.live.get(i.key, 0)
        ]


def overview(region: Region, day: date, *, with_live: bool = True) -> Overview:
    """One unit's day: its own report, the completeness and frozen totals of the communities
    below, per child region, with the live figures beside them (one statement for all)."""
    code = region.code
    n = child_length(code)
    by_child = completeness_by_child(code, day, n) if region.level != Level.COMMUNITY else {}
    totals_child = totals_by_child(code, day, n) if region.level != Level.COMMUNITY else {}
    own = DailyReport.objects.filter(region=region, day=day).first()
    children: list[ChildRow] = []
    keys = [i.key for i in count_indicators()]
    if region.level in (Level.DISTRICT, Level.SUBDISTRICT):
        kids = list(
            Region.objects.filter(parent=region, is_active=True)
            .order_by("code")
            .values_list("code", "name", "level")
        )
        reports = {
            r.region_code: r
            for r in DailyReport.objects.filter(
                region_code__in=[k[0] for k in kids], day=day
            ).select_related("region")
        }
        live: dict[str, dict[str, int]] = {}
        if with_live and kids:
            child_level = kids[0][2]
            start, end = policy_for(day).window(child_level, day)
            live = indicators.compute_by_child(
                code, n, indicators.Window(day, start, end), count_indicators()
            )
        children = [
            ChildRow(
                code=c,
                name=name,
                level=level,
                report=reports.get(c),
                completeness=by_child.get(c, Completeness()),
                snapshot=totals_child.get(c, {}),
                live=live.get(c, dict.fromkeys(keys, 0)) if with_live else {},
            )
            for c, name, level in kids
        ]
    if region.level == Level.COMMUNITY:
        comp = Completeness(expected=1)
        if own is not None and own.status in SUBMITTED_STATES:
            comp.submitted = 1
            comp.late, comp.on_time = (1, 0) if own.late else (0, 1)
            comp.zero = int(own.zero)
        elif own is not None and own.status == ReportStatus.MISSING:
            comp.missing = 1
        totals = (
            {k: v for k, v in ReportFigure.objects.filter(report=own).values_list("key", "value")}
            if own is not None
            else {}
        )
    else:
        comp = _sum(list(by_child.values()))
        totals = {}
        for t in totals_child.values():
            for k, v in t.items():
                totals[k] = totals.get(k, 0) + v
    live_own: dict[str, int] = {}
    if with_live:
        start, end = policy_for(day).window(region.level, day)
        live_own = indicators.compute(code, indicators.Window(day, start, end))
    return Overview(region, day, own, comp, totals, live_own, children)


def trend(prefix: str, first: date, last: date) -> dict[str, Any]:
    """Per day: the communities' frozen totals and the completeness (two GROUP BYs). The days
    are listed (``IN``), not a range: each day is then one seek plus a region-code range on the
    roll-up indexes, where a day range would scan every region of those days."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    figures: dict[date, dict[str, int]] = defaultdict(dict)
    for day, key, v in (
        ReportFigure.objects.filter(
            subtree_q("region_code", prefix), level=Level.COMMUNITY, day__in=days
        )
        .values("day", "key")
        .annotate(v=Sum("value"))
        .values_list("day", "key", "v")
    ):
        figures[day][key] = int(v)
    states: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, status, late, k in (
        _community_reports(prefix)
        .filter(day__in=days)
        .values("day", "status", "late")
        .annotate(k=Count("pk"))
        .values_list("day", "status", "late", "k")
    ):
        if status in SUBMITTED_STATES:
            states[day]["late" if late else "on_time"] += k
        elif status == ReportStatus.MISSING:
            states[day]["missing"] += k
    return {
        "days": days,
        "figures": [figures.get(d, {}) for d in days],
        "on_time": [states[d]["on_time"] for d in days],
        "late": [states[d]["late"] for d in days],
        "missing": [states[d]["missing"] for d in days],
    }


def grid(prefix: str, first: date, last: date) -> dict[str, Any]:
    """The completeness grid: communities × days, each cell the shown status."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    communities = list(_communities(prefix).order_by("code").values_list("code", "name"))
    cells: dict[tuple[str, date], str] = {}
    for r in (
        _community_reports(prefix)
        .filter(day__gte=first, day__lte=last)
        .only("region_code", "day", "status", "late", "zero")
    ):
        cells[(r.region_code, r.day)] = r.shown_status
    return {
        "days": days,
        "communities": communities,
        "cells": [[cells.get((c, d), "") for d in days] for c, _n in communities],
    }


def supervision_items(actor: Actor, *, open_only: bool = False) -> QuerySet[SupervisionItem]:
    qs = SupervisionItem.objects.visible_to(actor, VIEW_REPORTS).select_related("report__region")
    if open_only:
        qs = qs.filter(resolved_at=None)
    return qs.order_by("-created_at", "subject_code")


def reports_of(actor: Actor, code: str) -> QuerySet[DailyReport]:
    """One unit's reports, newest first (the unit's history)."""
    return DailyReport.objects.visible_to(actor, VIEW_REPORTS).filter(region_code=code)


def repeated_offenders(actor: Actor, since: date, at_least: int = 2) -> list[dict[str, Any]]:
    """Units with repeated late or missing reports since ``since`` (迟报、漏报 for discipline)."""
    rows = (
        DailyReport.objects.visible_to(actor, VIEW_REPORTS)
        .filter(day__gte=since)
        .filter(Q(status=ReportStatus.MISSING) | Q(late=True))
        .values("region_code", "region__name")
        .annotate(
            missing=Count("pk", filter=Q(status=ReportStatus.MISSING)),
            late=Count("pk", filter=Q(late=True)),
        )
        .order_by("-missing", "-late", "region_code")
    )
    return [r for r in rows if r["missing"] + r["late"] >= at_least]


def reports_below(actor: Actor, code: str) -> QuerySet[DailyReport]:
    """The reports of the units directly below ``code`` (those its unit reviews)."""
    return DailyReport.objects.visible_to(actor, VIEW_REPORTS).filter(region__parent__code=code)
