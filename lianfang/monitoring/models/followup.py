"""What follows an observation: health checks, alerts and reminders, referrals, exit requests
and the event log of every state change."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.core.cache import per_process
from lianfang.core.scoping import ScopedQuerySet
from lianfang.monitoring.models.observation import Hospital, Observation, Policy, Quarantine


class Method(models.TextChoices):
    FOREHEAD = "forehead", _("额温")
    ARMPIT = "armpit", _("腋温")
    EAR = "ear", _("耳温")
    ORAL = "oral", _("口温")


class CheckSource(models.TextChoices):
    STAFF = "staff", _("工作人员录入")
    SELF = "self", _("本人自报")


class HealthCheck(models.Model):
    """A temperature reading (stored raw, in °C, as entered) and symptoms. Append-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexes cost every check-in (the hottest write): the composite indexes below lead with
    # observation and region; recorded_by is never filtered on; corrections are rare (partial).
    observation = models.ForeignKey(
        Observation, on_delete=models.PROTECT, related_name="checks", db_index=False
    )
    region_code = models.CharField(max_length=15)
    taken_at = models.DateTimeField(_("测量时间"))
    slot_date = models.DateField(_("日期"))  # local day
    slot_index = models.SmallIntegerField(_("时段"), null=True, blank=True)  # None: outside slots
    temperature = models.DecimalField(_("体温（°C）"), max_digits=3, decimal_places=1)
    method = models.CharField(_("测量方式"), max_length=10, choices=Method.choices, blank=True)
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=CheckSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    fever = models.BooleanField(default=False)  # by the quarantine's policy, at entry
    late = models.BooleanField(_("补录"), default=False)
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        db_index=False,
    )
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("健康监测记录")
        verbose_name_plural = _("健康监测记录")
        indexes = [
            models.Index(fields=["observation", "slot_date", "slot_index"]),
            models.Index(fields=["region_code", "slot_date"]),
            models.Index(
                fields=["corrects"],
                condition=Q(corrects__isnull=False),
                name="healthcheck_corrects",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.slot_date} {self.temperature}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class AlertKind(models.TextChoices):
    FEVER = "fever", _("发热")
    SYMPTOM = "symptom", _("出现症状")
    MISSED = "missed", _("漏报体温")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已知悉")
    CLOSED = "closed", _("已关闭")


class AlertLevel(models.TextChoices):
    TEAM = "team", _("责任人")
    COMMUNITY = "community", _("社区")


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="alerts")
    region_code = models.CharField(max_length=15)
    kind = models.CharField(_("类型"), max_length=10, choices=AlertKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    level = models.CharField(
        _("级别"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.TEAM
    )
    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    slot_date = models.DateField()
    slot_index = models.SmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(_("处置情况"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        indexes = [models.Index(fields=["region_code", "status", "created_at"])]
        constraints = [
            # The missed-check job may run twice for a slot: one alert per slot.
            models.UniqueConstraint(
                fields=["observation", "slot_date", "slot_index"],
                condition=Q(kind="missed"),
                name="uniq_missed_alert_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.slot_date} {self.get_status_display()}"

    @property
    def title(self) -> str:
        """The kind in words; a fever whose check also had symptoms names both (one check
        raises one alert)."""
        check = self.health_check if self.health_check_id else None
        if self.kind == AlertKind.FEVER and check is not None and check.symptoms:
            return f"{AlertKind.FEVER.label}、{AlertKind.SYMPTOM.label}"
        return str(self.get_kind_display())

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class Reminder(models.Model):
    """A check-in reminder sent to a resident for one slot (at most one per slot)."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="+")
    slot_date = models.DateField()
    slot_index = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "slot_date", "slot_index"], name="uniq_reminder_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.slot_date}#{self.slot_index}"


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("待反馈")
    EXCLUDED = "excluded", _("排除")
    SUSPECTED = "suspected", _("疑似病例")
    CONFIRMED = "confirmed", _("确诊病例")


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="referrals")
    region_code = models.CharField(max_length=15, db_index=True)
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    transport = models.CharField(_("转运方式"), max_length=100)
    reason = models.CharField(_("转诊原因"), max_length=200)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("结果"),
        max_length=10,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.PENDING,
    )
    outcome_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("转诊")
        verbose_name_plural = _("转诊")

    def __str__(self) -> str:
        return f"{self.hospital} · {self.get_outcome_display()}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class ExitStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class ExitRequest(models.Model):
    """外出报备: an emergency outing, asked at least 2 hours ahead."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observation = models.ForeignKey(
        Observation, on_delete=models.PROTECT, related_name="exit_requests"
    )
    region_code = models.CharField(max_length=15, db_index=True)
    reason = models.CharField(_("外出事由"), max_length=200)
    destination = models.CharField(_("目的地"), max_length=200)
    leave_at = models.DateTimeField(_("出发时间"))
    return_at = models.DateTimeField(_("返回时间"))
    route = models.CharField(_("路线"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExitStatus.choices, default=ExitStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("外出报备")
        verbose_name_plural = _("外出报备")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.leave_at):%Y-%m-%d %H:%M} {self.get_status_display()}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class EventKind(models.TextChoices):
    STARTED = "started", _("开始观察")
    MEMBER_ADDED = "member_added", _("增加成员")
    EXPOSURE = "exposure", _("新的接触，重新起算")
    ADJUSTED = "adjusted", _("延长或缩短")
    TEAM = "team", _("调整责任人")
    CONTACT = "contact", _("联系记录")
    ROOM = "room", _("分配房间")
    TRANSFERRED = "transferred", _("转出")
    REFERRED = "referred", _("转诊")
    REFERRAL_OUTCOME = "referral_outcome", _("转诊结果")
    RELEASED = "released", _("解除观察")
    REVIEW = "review", _("到期待复核")
    ENDED_EARLY = "ended_early", _("提前结束")
    TOKEN = "token", _("重新生成自报链接")
    POLICY = "policy", _("适用新政策")


class Event(models.Model):
    """Append-only history of a quarantine: who did what, when, why, on what evidence."""

    quarantine = models.ForeignKey(Quarantine, on_delete=models.PROTECT, related_name="events")
    observation = models.ForeignKey(
        Observation, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    region_code = models.CharField(max_length=15)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300, blank=True)
    # A contact attempt: {"who": …, "how": "phone|visit|video|other", "result": …}
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at}"


@per_process()
def cached_policy(pk: int) -> Policy:
    """A policy version by id, kept per process: versions are never edited (a change is a new
    row), so a cached copy cannot go stale. The check-in path saves a join per request."""
    return Policy.objects.get(pk=pk)
