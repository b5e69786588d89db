"""The roles. Identifiers are fixed: tests, tools and integrations use them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMAND_OFFICE = "command_office", _("区指挥部办公室")
    SUBDISTRICT_OFFICER = "subdistrict_officer", _("街道工作人员")
    COMMUNITY_WORKER = "community_worker", _("社区工作人员")
    GRID_WORKER = "grid_worker", _("网格员")
    DOCTOR = "doctor", _("社区医生")
    CHECKPOINT_OFFICER = "checkpoint_officer", _("卡口执勤人员")
    HOTLINE_OPERATOR = "hotline_operator", _("热线接线员")
    DISCIPLINE_OFFICER = "discipline_officer", _("纪检监察人员")
    DISCIPLINE_LEADER = "discipline_leader", _("纪检监察负责人")
    SECTOR_INSPECTOR = "sector_inspector", _("行业监管人员")
    SUPPLIES_KEEPER = "supplies_keeper", _("物资管理员")
    PUBLICITY_OFFICER = "publicity_officer", _("宣传人员")
    VOLUNTEER = "volunteer", _("志愿者")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    PRIVACY_AUDITOR = "privacy_auditor", _("个人信息审计员")


# Roles that must pass TOTP two-factor authentication before they can do anything.
TWO_FACTOR_ROLES = frozenset(
    {Role.COMMAND_OFFICE, Role.DISCIPLINE_OFFICER, Role.DISCIPLINE_LEADER, Role.SYSTEM_ADMIN}
)

# Roles whose reach follows the territory (属地管理); the others are functional: they see their
# function's records inside their region.
TERRITORIAL_ROLES = frozenset(
    {Role.COMMAND_OFFICE, Role.SUBDISTRICT_OFFICER, Role.COMMUNITY_WORKER, Role.GRID_WORKER}
)


class Post(models.TextChoices):
    """A post held within a membership, e.g. the building Party group leader (楼栋长)."""

    NONE = "", _("—")
    BUILDING_LEADER = "building_leader", _("楼栋长")
