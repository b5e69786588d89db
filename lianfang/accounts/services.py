"""Writes on users and memberships. Every function is atomic, permission-checked against the
actor's scope, and audited (django-auditlog on the models)."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianfang.accounts.models import Membership, User
from lianfang.accounts.permissions import MANAGE_USERS
from lianfang.accounts.roles import Post, Role
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.regions.models import Region

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")


def _require_manage(actor: Actor, region_code: str) -> None:
    if not actor.can(MANAGE_USERS, region_code):
        raise PermissionDeniedError("forbidden", _("您无权管理该区域的用户。"))


def _region(code: str, field: str = "region_code") -> Region:
    region = Region.objects.filter(code=(code or "").strip(), is_active=True).first()
    if region is None:
        msg = _("区域不存在或已停用。")
        raise InvalidInput("unknown_region", msg, {field: [msg]})
    return region


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(
            "weak_password", _("密码不符合要求。"), {"password": list(exc.messages)}
        ) from exc


@transaction.atomic
def create_user(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    region_code: str,
    phone: str = "",
) -> User:
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = [_("用户名须为 3–40 位字母、数字或 _ . -。")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("用户名已存在。")]
    if not full_name:
        errors["full_name"] = [_("请填写姓名。")]
    if errors:
        raise InvalidInput("invalid_user", _("请检查填写内容。"), errors)
    region = _region(region_code)
    _require_manage(actor, region.code)
    user = User(username=username, full_name=full_name, region_code=region.code, phone=phone)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def update_user(*, actor: Actor, user: User, full_name: str, region_code: str) -> User:
    _require_manage(actor, user.region_code)
    full_name = (full_name or "").strip()
    if not full_name:
        raise InvalidInput("invalid_user", _("请填写姓名。"), {"full_name": [_("请填写姓名。")]})
    region = _region(region_code)
    _require_manage(actor, region.code)
    user.full_name = full_name
    user.region_code = region.code
    user.save(update_fields=["full_name", "region_code"])
    return user


@transaction.atomic
def set_user_active(*, actor: Actor, user: User, active: bool) -> User:
    _require_manage(actor, user.region_code)
    if actor.user_id == user.pk and not active:
        raise InvalidInput("self_deactivate", _("不能停用自己的账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reset_password(*, actor: Actor, user: User, password: str) -> User:
    _require_manage(actor, user.region_code)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, password: str) -> User:
    """A user changes their own password: the current one must be given, the new one must pass
    the validators."""
    if not user.check_password(old_password):
        msg = _("原密码不正确。")
        raise InvalidInput("wrong_password", msg, {"old_password": [msg]})
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def add_membership(
    *, actor: Actor, user: User, role: str, region_code: str, post: str = ""
) -> Membership:
    if role not in Role.values:
        msg = _("未知角色：%(role)s") % {"role": role}
        raise InvalidInput("unknown_role", msg, {"role": [msg]})
    if post not in Post.values:
        raise InvalidInput("unknown_post", _("未知职务。"), {"post": [_("未知职务。")]})
    region = _region(region_code)
    _require_manage(actor, region.code)
    if post == Post.BUILDING_LEADER and region.level != "building":
        msg = _("楼栋长只能任职于楼栋。")
        raise InvalidInput("post_needs_building", msg, {"post": [msg]})
    if Membership.objects.filter(user=user, role=role, region=region, is_active=True).exists():
        raise Conflict("membership_exists", _("该用户在此区域已有此角色。"))
    return Membership.objects.create(
        user=user, role=role, region=region, region_code=region.code, post=post
    )


@transaction.atomic
def end_membership(*, actor: Actor, membership: Membership) -> Membership:
    _require_manage(actor, membership.region_code)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    return membership
