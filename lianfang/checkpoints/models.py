"""Traffic checkpoints (交通卡口): sites, shifts, vehicle checks with their occupants, and the
hand-over of travellers bound for the district to the community that must acknowledge them.

- ``Checkpoint``: a site, the region it belongs to, its directions and shift times.
- ``Shift``: who was on duty (``ShiftMember``), opened and handed over with a note; at most one
  open shift per checkpoint (partial unique index).
- ``VehicleCheck``: one vehicle (or one priority vehicle logged without stopping), idempotent by
  ``client_key``; ``Occupant`` rows carry the personal data (encrypted, masked) and the outcome.
- ``Handover``: an occupant handed to a community (or to the district's "to route" queue), due
  within the policy's deadline, escalated to the sub-district and then the district.
- ``HandoverPolicy``: dated versions of the deadlines (never edited)."""

from __future__ import annotations

import uuid
from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet
from lianfang.people.models import HealthCode


class Checkpoint(models.Model):
    name = models.CharField(_("卡口名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=200, blank=True)
    directions = models.JSONField(_("检查方向"), default=list)  # e.g. ["进城", "出城"]
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    day_shift_start = models.TimeField(_("白班开始"), default=time(8, 0))
    night_shift_start = models.TimeField(_("夜班开始"), default=time(20, 0))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("交通卡口")
        verbose_name_plural = _("交通卡口")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class ShiftKind(models.TextChoices):
    DAY = "day", _("白班")
    NIGHT = "night", _("夜班")


class Shift(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="shifts")
    region_code = models.CharField(max_length=15, db_index=True)
    kind = models.CharField(_("班次"), max_length=5, choices=ShiftKind.choices)
    opened_at = models.DateTimeField(_("接班时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    open_note = models.CharField(_("接班说明"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("交班时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handover_note = models.CharField(_("交班说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint"], condition=Q(closed_at=None), name="one_open_shift"
            )
        ]

    def __str__(self) -> str:
        opened = timezone.localtime(self.opened_at)
        return f"{self.checkpoint} {self.get_kind_display()} {opened:%Y-%m-%d %H:%M}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class DutyRole(models.TextChoices):
    POLICE = "police", _("公安民警")
    TRAFFIC_POLICE = "traffic_police", _("交警")
    MEDICAL = "medical", _("医务人员")
    VOLUNTEER = "volunteer", _("志愿者")
    OTHER = "other", _("其他")


class ShiftMember(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)  # volunteers without an account too
    duty = models.CharField(_("岗位"), max_length=20, choices=DutyRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "name", "duty"], name="shift_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.duty})"


class VehicleType(models.TextChoices):
    CAR = "car", _("小型客车")
    BUS = "bus", _("大中型客车")
    TRUCK = "truck", _("货车")
    VAN = "van", _("面包车")
    MOTORCYCLE = "motorcycle", _("摩托车")
    OTHER = "other", _("其他")


class Priority(models.TextChoices):
    """三不一优先: emergency and supply vehicles pass without stopping, logged in one tap."""

    NONE = "", _("—")
    AMBULANCE = "ambulance", _("救护车")
    SUPPLY = "supply", _("防疫/生活物资运输")
    FIRE = "fire", _("消防车")
    POLICE = "police", _("警车")


class VehicleCheck(models.Model):
    # Not columns: what ``record_check`` wrote, so its answer needs no query.
    recorded_occupants: list[Occupant]
    recorded_handovers: list[Handover]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="checks")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="checks")
    region_code = models.CharField(max_length=15)  # the checkpoint's
    plate = models.CharField(_("车牌号"), max_length=20)
    plate_reason = models.CharField(_("车牌说明"), max_length=100, blank=True)
    vehicle_type = models.CharField(
        _("车辆类型"), max_length=12, choices=VehicleType.choices, default=VehicleType.CAR
    )
    direction = models.CharField(_("方向"), max_length=20, blank=True)
    origin_code = models.CharField(_("始发地"), max_length=6, blank=True)
    origin_text = models.CharField(_("始发地（补充）"), max_length=100, blank=True)
    destination = models.CharField(_("目的地"), max_length=100, blank=True)
    key_area = models.BooleanField(_("来自重点地区"), default=False)
    priority = models.CharField(
        _("优先通行"), max_length=12, choices=Priority.choices, blank=True, default=""
    )
    occupant_count = models.PositiveSmallIntegerField(default=0)
    client_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("检查时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("车辆检查")
        verbose_name_plural = _("车辆检查")
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["region_code", "checked_at"], name="check_region_time"),
            models.Index(fields=["shift", "checked_at"], name="check_shift_time"),
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.checked_at:%Y-%m-%d %H:%M}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class Outcome(models.TextChoices):
    PASS = "pass", _("放行")
    HANDOVER = "handover", _("登记并移交社区")
    FEVER_CLINIC = "fever_clinic", _("送发热门诊")
    TURNED_BACK = "turned_back", _("劝返")


class Occupant(models.Model):
    check_record = models.ForeignKey(
        VehicleCheck, on_delete=models.CASCADE, related_name="occupants"
    )
    region_code = models.CharField(max_length=15)  # the checkpoint's
    seq = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("姓名"), max_length=50)
    doc_type = models.CharField(max_length=20, default="resident_id")
    id_number_enc = models.TextField(blank=True)
    # Indexed in Meta: db_index=True would add a LIKE index on PostgreSQL that no query uses.
    id_number_bidx = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField(_("证件号码"), max_length=30, blank=True)
    id_reason = models.CharField(_("证件说明"), max_length=100, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    temperature = models.DecimalField(
        _("体温"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    fever = models.BooleanField(_("发热"), default=False)
    health_code = models.CharField(
        _("健康码"), max_length=6, choices=HealthCode.choices, blank=True, default=""
    )
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    outcome = models.CharField(_("处置"), max_length=15, choices=Outcome.choices)
    destination_region_code = models.CharField(max_length=15, blank=True)
    address = models.CharField(_("目的地址"), max_length=200, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["check_record", "seq"]
        constraints = [models.UniqueConstraint(fields=["check_record", "seq"], name="occupant_seq")]
        indexes = [models.Index(fields=["id_number_bidx"], name="occupant_id_number_bidx")]

    def __str__(self) -> str:
        return f"{self.check_record_id} #{self.seq}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


FEVER_AT = Decimal("37.3")


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACKNOWLEDGED = "acknowledged", _("已接收")


class HandoverLevel(models.TextChoices):
    COMMUNITY = "community", _("社区")
    SUBDISTRICT = "subdistrict", _("已升级至街道")
    DISTRICT = "district", _("已升级至区")


class AckResult(models.TextChoices):
    CONTACTED = "contacted", _("已联系")
    AT_HOME = "at_home", _("已到家")
    ADDRESS_CONFIRMED = "address_confirmed", _("地址已核实")
    NOT_FOUND = "not_found", _("未找到")


class Handover(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occupant = models.OneToOneField(Occupant, on_delete=models.PROTECT, related_name="handover")
    # The registry person (none when the ID could not be verified or the address not routed:
    # the community registers them once found).
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registration = models.ForeignKey(
        "people.Registration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15)  # receiving community (district: to route)
    routed = models.BooleanField(_("已分派"), default=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    level = models.CharField(
        _("升级"), max_length=12, choices=HandoverLevel.choices, default=HandoverLevel.COMMUNITY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("移交时间"))
    due_at = models.DateTimeField(_("接收时限"))
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.CharField(_("接收结果"), max_length=20, choices=AckResult.choices, blank=True)
    note = models.CharField(_("说明（联系经过）"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("卡口移交")
        verbose_name_plural = _("卡口移交")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["region_code", "status", "due_at"], name="handover_inbox"),
            models.Index(fields=["status", "due_at"], name="handover_due"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.get_status_display()}"

    @property
    def in_time(self) -> bool:
        return self.acknowledged_at is not None and self.acknowledged_at <= self.due_at

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class HandoverPolicy(models.Model):
    """Dated versions of the hand-over deadlines: acknowledge within ``ack_minutes``; an open
    hand-over goes to the sub-district at the deadline and to the district
    ``district_after_minutes`` later."""

    effective_from = models.DateField(_("生效日期"), unique=True)
    ack_minutes = models.PositiveIntegerField(_("社区接收时限（分钟）"), default=120)
    district_after_minutes = models.PositiveIntegerField(_("再升级至区（分钟）"), default=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from} {self.ack_minutes}"
