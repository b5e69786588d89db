"""Observation itself: the dated policies, sites with rooms, hospitals, quarantines and each
person's observation in one."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
