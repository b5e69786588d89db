"""Medical observation (医学观察) and health monitoring.

- ``Policy``: the dated rules (length, start basis, fever threshold, slots, symptoms, grace, …).
  A new version is a new row; a quarantine keeps the version it started under.
- ``Quarantine``: one household's (or one person's) observation, home or centralised; its members
  share one end date. ``Observation`` is one person's part in it, with its own state.
- ``HealthCheck``: append-only readings; a correction is a new row pointing at the one it corrects.
- ``Alert``: fever, symptom or missed check, acknowledged and closed with the action taken.
- ``Referral``: to a fever clinic (``Hospital``), with its outcome.
- ``ExitRequest``: an emergency outing (外出报备), notified 2 hours ahead.
- ``Event``: every state change with actor, time, reason and evidence (who reached whom, how)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.core.cache import per_process
from lianfang.core.scoping import ScopedQuerySet


class StartBasis(models.TextChoices):
    LAST_EXPOSURE = "last_exposure", _("最后一次接触")
    ARRIVAL = "arrival", _("抵达日期")


DEFAULT_SLOTS = [["06:00", "12:00"], ["12:00", "20:00"]]
DEFAULT_SYMPTOMS = ["fever", "cough", "shortness_of_breath"]


class Policy(models.Model):
    """One version of the observation rules, in force from ``effective_from`` until the next."""

    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(_("生效日期"), unique=True)
    observation_days = models.PositiveSmallIntegerField(_("观察天数"), default=14)
    start_basis = models.CharField(
        _("起算依据"), max_length=20, choices=StartBasis.choices, default=StartBasis.LAST_EXPOSURE
    )
    fever_threshold = models.DecimalField(
        _("发热阈值（°C）"), max_digits=3, decimal_places=1, default=Decimal("37.3")
    )
    fever_inclusive = models.BooleanField(_("达到阈值即为发热（≥）"), default=True)
    slots = models.JSONField(_("每日测温时段"), default=list)  # [["06:00", "12:00"], …]
    symptoms = models.JSONField(_("症状清单"), default=list)  # keys of people.symptoms.SYMPTOMS
    missed_grace_minutes = models.PositiveSmallIntegerField(_("漏报宽限（分钟）"), default=60)
    escalate_after_minutes = models.PositiveSmallIntegerField(
        _("漏报升级到社区（分钟）"), default=120
    )
    release_needs_normal_check = models.BooleanField(_("解除须最后一次体温正常"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("观察政策")
        verbose_name_plural = _("观察政策")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from})"

    def is_fever(self, temperature: Decimal) -> bool:
        if self.fever_inclusive:
            return temperature >= self.fever_threshold
        return temperature > self.fever_threshold


class Site(models.Model):
    """A centralised observation site (集中隔离点)."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("集中隔离点")
        verbose_name_plural = _("集中隔离点")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class Room(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("房间号"), max_length=20)
    beds = models.PositiveSmallIntegerField(_("床位"), default=1)
    is_active = models.BooleanField(_("可用"), default=True)

    class Meta:
        ordering = ["site", "number"]
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="uniq_site_room")]

    def __str__(self) -> str:
        return f"{self.site.name} {self.number}"


class Hospital(models.Model):
    """A fever clinic or designated hospital (发热门诊 / 定点医院)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)  # an institution's line
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("发热门诊")
        verbose_name_plural = _("发热门诊")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    HOME = "home", _("居家医学观察")
    CENTRALISED = "centralised", _("集中隔离医学观察")


class QuarantineStatus(models.TextChoices):
    ACTIVE = "active", _("观察中")
    CLOSED = "closed", _("已结束")


def _team_member(label: Any) -> Any:
    """One seat of the 五包一 team: a user, kept as null if the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Quarantine(models.Model):
    """One household's observation (or one person's at a site). Members share one end date:
    the latest start basis among them + the policy's days + any adjustment (extension or
    shortening, always with a reason)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("方式"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=QuarantineStatus.choices, default=QuarantineStatus.ACTIVE
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15)  # the household's building or community
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="quarantines"
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="quarantines")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("预计解除日期"))
    adjustment_days = models.SmallIntegerField(_("延长/缩短天数"), default=0)
    # 五包一: the responsible team.
    cadre = _team_member(_("社区干部"))
    grid_worker = _team_member(_("网格员"))
    doctor = _team_member(_("医生"))
    police = _team_member(_("民警"))
    volunteer = _team_member(_("志愿者"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("医学观察")
        verbose_name_plural = _("医学观察")
        indexes = [models.Index(fields=["region_code", "status", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class ObservationStatus(models.TextChoices):
    ACTIVE = "active", _("观察中")
    RELEASED = "released", _("已解除")
    REFERRED = "referred", _("已转诊")
    TRANSFERRED = "transferred", _("已转出")
    ENDED_EARLY = "ended_early", _("提前结束")


class Observation(models.Model):
    """One person's part in a quarantine."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    quarantine = models.ForeignKey(Quarantine, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15)
    basis_date = models.DateField(_("起算日期"))  # last exposure or arrival
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ObservationStatus.choices,
        default=ObservationStatus.ACTIVE,
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    # The self check-in link: the token encrypted (staff can print it again) and its blind index
    # (the public page finds it); re-issuing replaces both.
    checkin_token_enc = models.TextField(blank=True)
    # Indexed in Meta: db_index=True would add a LIKE index on PostgreSQL that no query uses.
    checkin_token_bidx = models.CharField(max_length=64, blank=True)
    checkin_expires_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("观察对象")
        verbose_name_plural = _("观察对象")
        indexes = [
            models.Index(fields=["region_code", "status"]),
            models.Index(fields=["checkin_token_bidx"], name="observation_token_bidx"),
        ]
        constraints = [
            # One person is under at most one running observation.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="uniq_active_observation_per_person",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_status_display())

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


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
