"""Daily and zero reports (日报告、零报告).

- ``ReportPolicy``: dated versions (never edited) of the windows and deadlines per level.
- ``DailyReport``: one per reporting unit (community, sub-district, district) and day; its state
  and timeliness. Figures are never typed: a submission freezes them into a ``ReportRevision``
  (append-only) and copies the non-zero ones into ``ReportFigure``, the narrow table the roll-ups
  aggregate with SQL (``docs/adr/0006-report-figures-narrow-table.md``).
- ``SupervisionItem``: a missing or late report, for the unit above (督办; later the discipline
  office reads them: 迟报、漏报).
- ``ReportEvent``: the report's history (opened, submitted, returned, approved, missing, reminded).
- ``Bulletin``: the district's daily bulletin, archived as the table it was generated from."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet
from lianfang.regions.models import Level


class ReportPolicy(models.Model):
    """One version of the reporting rules, in force from ``effective_from`` until the next. For
    each level: the hour the 24-hour window of day D starts (0 = D 00:00–24:00) and the deadline
    in minutes after the window ends (480 = 08:00 the next morning)."""

    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(_("生效日期"), unique=True)
    community_window_hour = models.PositiveSmallIntegerField(_("社区统计时段起点（时）"), default=0)
    community_deadline_minutes = models.PositiveIntegerField(
        _("社区报送截止（统计时段结束后分钟）"), default=480
    )
    subdistrict_window_hour = models.PositiveSmallIntegerField(
        _("街道统计时段起点（时）"), default=0
    )
    subdistrict_deadline_minutes = models.PositiveIntegerField(
        _("街道审核汇总截止（分钟）"), default=540
    )
    district_window_hour = models.PositiveSmallIntegerField(_("区统计时段起点（时）"), default=0)
    district_deadline_minutes = models.PositiveIntegerField(_("区汇总截止（分钟）"), default=600)
    reminder_minutes = models.PositiveSmallIntegerField(_("截止前提醒（分钟）"), default=60)
    reason = models.CharField(_("制定依据"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报告政策")
        verbose_name_plural = _("报告政策")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from})"

    def window_hour(self, level: str) -> int:
        return int(getattr(self, f"{level}_window_hour"))

    def deadline_minutes(self, level: str) -> int:
        return int(getattr(self, f"{level}_deadline_minutes"))

    def window(self, level: str, day: date) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.combine(day, time(hour=self.window_hour(level)), tzinfo=tz)
        return start, start + timedelta(days=1)

    def deadline(self, level: str, day: date) -> datetime:
        return self.window(level, day)[1] + timedelta(minutes=self.deadline_minutes(level))


REPORTING_LEVELS = (Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("待报送")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")
    MISSING = "missing", _("漏报")


# The status the API and the pages show: the workflow state refined by kind and timeliness.
class ShownStatus(models.TextChoices):
    DRAFT = "draft", _("待报送")
    SUBMITTED = "submitted", _("已报送")
    ZERO = "zero", _("零报告")
    LATE = "late", _("迟报")
    MISSING = "missing", _("漏报")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")


class DailyReport(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("报告单位")
    )
    region_code = models.CharField(max_length=15)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    day = models.DateField(_("报告日期"))
    policy = models.ForeignKey(ReportPolicy, on_delete=models.PROTECT, related_name="reports")
    window_start = models.DateTimeField(_("统计时段开始"))
    window_end = models.DateTimeField(_("统计时段结束"))
    deadline = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    late = models.BooleanField(_("迟报"), default=False)
    zero = models.BooleanField(_("零报告"), default=False)
    revision = models.PositiveIntegerField(_("版本"), default=0)  # 0: never submitted
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("日报告")
        verbose_name_plural = _("日报告")
        ordering = ["-day", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="report_one_per_unit_day"),
        ]
        indexes = [
            # Completeness roll-ups read only this index (covering on both databases).
            models.Index(
                fields=["level", "day", "region_code", "status", "late", "zero"],
                name="report_completeness",
            ),
            models.Index(fields=["region_code", "day"], name="report_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day}"

    @property
    def shown_status(self) -> str:
        if self.status in (ReportStatus.SUBMITTED,):
            if self.late:
                return ShownStatus.LATE
            return ShownStatus.ZERO if self.zero else ShownStatus.SUBMITTED
        return str(self.status)

    def get_shown_status_display(self) -> str:
        return str(ShownStatus(self.shown_status).label)

    @property
    def is_corrected(self) -> bool:
        return self.revision > 1

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class ReportRevision(models.Model):
    """A frozen submission: the figures as computed, the indicator versions, who and when."""

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("版本"))
    figures = models.JSONField(_("数据"))
    versions = models.JSONField(_("指标版本"))
    completeness = models.JSONField(default=dict)  # consolidated reports: the children's states
    zero = models.BooleanField(_("零报告"), default=False)
    late = models.BooleanField(_("迟报"), default=False)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    reason = models.CharField(_("更正原因"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReportFigure(models.Model):
    """The current revision's non-zero figures, one row each: what the roll-ups sum."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="figure_rows")
    level = models.CharField(max_length=12)
    day = models.DateField()
    region_code = models.CharField(max_length=15)
    key = models.CharField(max_length=40)
    value = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["level", "day", "region_code", "key", "value"], name="figure_rollup"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="figure_one_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} {self.key}={self.value}"


class SupervisionKind(models.TextChoices):
    MISSING = "missing", _("漏报")
    LATE = "late", _("迟报")


class SupervisionItem(models.Model):
    """A missing or late report, put to the unit above (``region_code`` is the overseeing unit's
    code; ``subject_code`` the unit that reported late or not at all)."""

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="supervision")
    kind = models.CharField(_("类型"), max_length=10, choices=SupervisionKind.choices)
    region_code = models.CharField(max_length=15)
    subject_code = models.CharField(max_length=15)
    created_at = models.DateTimeField(_("产生时间"))
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("处理情况"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="supervision_once_per_kind")
        ]
        indexes = [models.Index(fields=["region_code", "created_at"], name="supervision_region")]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.get_kind_display()}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("报送")
    CORRECTED = "corrected", _("更正")
    RETURNED = "returned", _("退回")
    APPROVED = "approved", _("审核通过")
    MISSING = "missing", _("标记漏报")
    REMINDED = "reminded", _("截止提醒")


class ReportEvent(models.Model):
    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class Bulletin(models.Model):
    """The district's bulletin for a day, archived as generated (from the frozen snapshots)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15)
    day = models.DateField(_("报告日期"))
    number = models.PositiveIntegerField(_("第几版"))
    data = models.JSONField()
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("日报简报")
        verbose_name_plural = _("日报简报")
        ordering = ["-day", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day", "number"], name="bulletin_number")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} v{self.number}"
