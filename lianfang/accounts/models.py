from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.accounts.roles import Post, Role
from lianfang.core.scoping import ScopedQuerySet


class UserQuerySet(ScopedQuerySet["User"]):
    scope_field = "region_code"


class LianfangUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # django-stubs cannot type a manager built from_queryset as a base
    pass


class User(AbstractUser):
    """A staff account. ``region_code`` is the unit the account belongs to (who administers it);
    what the user may see comes from their memberships."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    region_code = models.CharField(_("所属单位区划代码"), max_length=15, db_index=True)
    is_demo = models.BooleanField(_("演示账号"), default=False)

    objects: ClassVar[LianfangUserManager] = LianfangUserManager()

    REQUIRED_FIELDS = ["full_name", "region_code"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.full_name or self.username}（{self.username}）"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    scope_field = "region_code"

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """User × role × region: the role's permissions on the region and everything below it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("区域"),
    )
    region_code = models.CharField(_("区划代码"), max_length=15, db_index=True)
    post = models.CharField(_("职务"), max_length=30, choices=Post.choices, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["region_code", "role"]
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(is_active=True),
                name="uniq_active_membership",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["role", "region_code"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_code}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal bearer token. Only a SHA-256 hash is stored; the token is shown once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.user.region_code}
