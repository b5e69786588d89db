"""The region tree (the grid's spine): district → sub-district → community → building.

``code`` is the division code path; a building extends its community's code with 3 digits."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet


class Level(models.TextChoices):
    DISTRICT = "district", _("区")
    SUBDISTRICT = "subdistrict", _("街道")
    COMMUNITY = "community", _("社区")
    BUILDING = "building", _("楼栋")


LEVEL_ORDER = [Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY, Level.BUILDING]
LEVEL_CODE_LENGTH = {
    Level.DISTRICT: 6,
    Level.SUBDISTRICT: 9,
    Level.COMMUNITY: 12,
    Level.BUILDING: 15,
}
LENGTH_LEVEL = {n: level for level, n in LEVEL_CODE_LENGTH.items()}


class RegionQuerySet(ScopedQuerySet["Region"]):
    scope_field = "code"

    def active(self) -> RegionQuerySet:
        return self.filter(is_active=True)


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[c.value for c in Level]), name="region_level_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def region_code(self) -> str:
        return self.code

    def get_additional_data(self) -> dict[str, Any]:
        """Stored with every audit entry, so a privacy auditor's view can be scoped."""
        return {"region_code": self.code}
