"""Kernel tables: the personal-data access log and the scheduler's ticks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet


class AccessLogQuerySet(ScopedQuerySet["AccessLog"]):
    scope_field = "region_code"


class AccessLog(models.Model):
    """Who read which personal record, when, from where and why. Append-only."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("用户")
    )
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象标识"), max_length=64)
    region_code = models.CharField(_("区域代码"), max_length=15, db_index=True)
    purpose = models.CharField(_("用途"), max_length=200)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("条数"), default=1)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        indexes = [models.Index(fields=["region_code", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action_label} {self.object_label}"

    @property
    def action_label(self) -> str:
        from lianfang.core.access import action_label

        return action_label(self.action)

    @property
    def object_label(self) -> str:
        from lianfang.core.access import object_label

        return object_label(self.object_type)


class SchedulerTick(models.Model):
    """One run of a scheduled job for one slot. The unique (job, slot) pair makes every tick
    idempotent across processes and restarts."""

    job = models.CharField(max_length=80)
    slot = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="uniq_job_slot")]
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot.isoformat()}"


class RateCounter(models.Model):
    """Requests per hashed key and time window (core/ratelimit.py); old windows are purged."""

    key = models.CharField(max_length=40)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="uniq_rate_window")]

    def __str__(self) -> str:
        return f"{self.key[:8]}@{self.window.isoformat()}={self.count}"
