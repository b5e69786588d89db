"""Tip-offs and the hotline (举报受理与热线工单): every call, web form or check-in request becomes
one work order (工单) with a receipt code, routed by category and place to the unit that must
act, signed for, handled, answered and followed up.

- ``Category``: dated versions (a change is a new row from a date; an order keeps the version it
  was received under): who handles it, the time limits, confidential or not.
- ``WorkOrder``: the order. Its text, place and the reporter's name and phone are personal data:
  encrypted, masked copies for lists; the handling unit never sees the reporter.
- ``WorkOrderEvent``: every change, append-only, with actor, time and note.
- ``Message``: what the reporter adds later and what the unit tells them, under the same codes.
- ``Photo``: re-encoded images (no EXIF).
- ``Extension``: a later deadline asked by the unit with a reason, decided by the dispatcher."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet


class Handler(models.TextChoices):
    """The unit that acts on an order, by the place's region: who holds which role where."""

    COMMUNITY = "community", _("社区")
    SUBDISTRICT = "subdistrict", _("街道")
    SANITATION = "sanitation", _("街道环卫")
    MARKET = "market", _("市场监管")
    DISCIPLINE = "discipline", _("纪检监察")
    INTAKE = "intake", _("接线即办")


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKDAYS = "workdays", _("工作日")


class Category(models.Model):
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    handler = models.CharField(_("承办单位"), max_length=20, choices=Handler.choices)
    sign_hours = models.PositiveSmallIntegerField(_("签收时限（小时）"), default=2)
    limit = models.PositiveSmallIntegerField(_("办理时限"), default=3)
    limit_unit = models.CharField(
        _("时限单位"), max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKDAYS
    )
    urgent_hours = models.PositiveSmallIntegerField(_("紧急件办理时限（小时）"), default=24)
    confidential = models.BooleanField(_("保密（仅纪检监察可见）"), default=False)
    epidemic_lead = models.BooleanField(_("疫情线索（转入登记）"), default=False)
    fields = models.JSONField(_("附加填写项"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=50)
    is_active = models.BooleanField(_("启用"), default=True)
    effective_from = models.DateField(_("生效日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        verbose_name = _("工单类别")
        verbose_name_plural = _("工单类别")
        ordering = ["order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_category_version")
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WEB = "web", _("网上举报")
    HOTLINE = "hotline", _("热线电话")
    CHECKIN = "checkin", _("居家观察求助")


class State(models.TextChoices):
    RECEIVED = "received", _("已受理")
    DISPATCHED = "dispatched", _("已派单")
    ACCEPTED = "accepted", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    FOLLOWED_UP = "followed_up", _("已回访")
    CLOSED = "closed", _("已归档")
    MERGED = "merged", _("重复件")


OPEN_STATES = (State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS)


class Result(models.TextChoices):
    SOLVED = "solved", _("已解决")
    EXPLAINED = "explained", _("已解释说明")
    REGISTERED = "registered", _("已核实登记")
    NOT_TRUE = "not_true", _("经核实不属实")
    NOT_FOUND = "not_found", _("未找到当事人")
    REFERRED = "referred", _("已移交有关部门")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("未联系上")


class WorkOrderQuerySet(ScopedQuerySet["WorkOrder"]):
    pass


class WorkOrder(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receipt = models.CharField(_("受理编号"), max_length=16, unique=True)
    check_hash = models.CharField(max_length=128, blank=True)  # the check code, slow-hashed
    # No index on the foreign key: lists filter by ``category_code``; each index is pages every
    # public submission writes (docs/performance.md).
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    category_code = models.CharField(max_length=30, db_index=True)
    confidential = models.BooleanField(default=False)
    epidemic_lead = models.BooleanField(default=False)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    state = models.CharField(
        _("状态"), max_length=15, choices=State.choices, default=State.RECEIVED
    )
    urgent = models.BooleanField(_("紧急"), default=False)
    handler = models.CharField(_("承办单位"), max_length=20, choices=Handler.choices)
    # The unit's region (community, sub-district or district); unrouted orders wait in the
    # dispatch queue of the sub-district (or district) the place is known to be in.
    region_code = models.CharField(max_length=15)  # indexed with the state, below
    routed = models.BooleanField(default=False)
    place_code = models.CharField(max_length=15, blank=True)  # the chosen community or building
    place_enc = models.TextField(blank=True)  # the free-text place, encrypted
    text_enc = models.TextField()  # what happened, encrypted (it may name a resident)
    summary = models.CharField(_("摘要"), max_length=60, blank=True)  # the category and place
    happened_on = models.DateField(_("发生日期"), null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # the category's own fields
    anonymous = models.BooleanField(_("匿名"), default=True)
    reporter_name_enc = models.TextField(blank=True)
    reporter_name_masked = models.CharField(max_length=60, blank=True)
    reporter_phone_enc = models.TextField(blank=True)
    reporter_phone_bidx = models.CharField(max_length=64, blank=True)  # indexed when given
    reporter_phone_masked = models.CharField(max_length=20, blank=True)
    observation_id = models.UUIDField(null=True, blank=True)  # a check-in help request's
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never looked up by; users are deactivated, not deleted
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sign_due_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=15, choices=Result.choices, blank=True)
    reply = models.TextField(_("答复"), blank=True)  # shown to the reporter: names nobody
    followed_up_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=15, choices=Satisfaction.choices, blank=True
    )
    redo_count = models.PositiveSmallIntegerField(default=0)
    returned_count = models.PositiveSmallIntegerField(default=0)
    overdue_sign = models.BooleanField(default=False)  # not signed for in time (marked once)
    overdue = models.BooleanField(default=False)  # not done in time (marked once)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        db_index=False,  # the partial index below: most orders are no repeat
    )
    lead_person_id = models.UUIDField(null=True, blank=True)  # the registry person, once found
    version = models.PositiveIntegerField(default=0)  # bumped by every transition

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["region_code", "state"]),
            models.Index(
                fields=["due_at"], name="order_open_due", condition=Q(state__in=OPEN_STATES)
            ),
            # Partial: an anonymous tip or a first call writes no page of these.
            models.Index(
                fields=["reporter_phone_bidx"],
                name="order_phone_bidx",
                condition=~Q(reporter_phone_bidx=""),
            ),
            models.Index(
                fields=["merged_into"],
                name="order_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class WorkOrderEvent(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="events")
    region_code = models.CharField(max_length=15)  # read with its order, never looked up by
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=15, blank=True)
    to_state = models.CharField(max_length=15, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never looked up by; users are deactivated, not deleted
    )
    actor_label = models.CharField(max_length=60, blank=True)  # "system:…", or the reporter
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "in", _("举报人补充")
    TO_REPORTER = "out", _("告知举报人")


class Message(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(max_length=3, choices=MessageDirection.choices)
    text_enc = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.at:%Y-%m-%d %H:%M}"


class Photo(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="photos")
    content = models.BinaryField()  # re-encoded JPEG, no metadata
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.width}×{self.height}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class Extension(models.Model):
    order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("工单")
    )
    until = models.DateTimeField(_("延期至"))
    reason = models.TextField(_("延期理由"))
    state = models.CharField(
        _("审批状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    asked_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(state="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.until:%Y-%m-%d %H:%M}"
