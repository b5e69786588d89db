"""Field work on the registry: door-to-door sweeps with their assignments and visits, and
transfers of a person between communities."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet
from lianfang.people.models.registry import Person


class Sweep(models.Model):
    """A door-to-door sweep (逐户排查) over a region and dates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    is_open = models.BooleanField(_("进行中"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class SweepAssignment(models.Model):
    """Which grid worker sweeps which building in a sweep (by default the building's grid worker;
    the community reassigns when someone is ill or a building needs two)."""

    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="assignments")
    building = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sweep", "building"], name="sweep_building_once")
        ]
        indexes = [models.Index(fields=["sweep", "assignee"], name="sweep_assignee")]

    def __str__(self) -> str:
        return f"{self.region_code} → {self.assignee}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class VisitOutcome(models.TextChoices):
    VISITED = "visited", _("已入户，无外来人员")
    NOBODY_HOME = "nobody_home", _("无人在家")
    REFUSED = "refused", _("拒绝配合")
    ARRIVALS_FOUND = "arrivals_found", _("发现外来人员")
    REGISTERED = "registered", _("已登记")


class HouseholdVisit(models.Model):
    """One visit to one door during a sweep. Append-only: the latest visit of a door counts."""

    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="visits")
    building = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    address = models.CharField(_("门牌/房号"), max_length=100)
    outcome = models.CharField(_("结果"), max_length=20, choices=VisitOutcome.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["sweep", "region_code", "address"])]

    def __str__(self) -> str:
        return f"{self.region_code} {self.address} {self.outcome}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待原社区同意")
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REFUSED = "refused", _("已拒收")
    CANCELLED = "cancelled", _("已撤回")


class Transfer(models.Model):
    """A person moving to another community: the sender proposes, the receiver accepts (the person
    moves and the sender loses access) or refuses. Both sides keep this record. A receiving
    community may also request one (``requested``): the holder agrees (it becomes pending) or
    refuses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_region_code = models.CharField(max_length=15, db_index=True)
    to_region_code = models.CharField(max_length=15, db_index=True)
    reason = models.CharField(_("原因"), max_length=200)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    # Asked for by the receiving community (which knew only the document): until the holder
    # agrees, the receiver sees neither the person nor where they are registered.
    requested = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_region_code} → {self.to_region_code} ({self.status})"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.from_region_code}
