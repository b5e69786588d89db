from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lianfang.accounts.models import Membership
from lianfang.accounts.permissions import MANAGE_USERS, VIEW_AUDIT
from lianfang.people.permissions import IMPORT, MERGE, REGISTER, ROUTE, VIEW_PEOPLE
from lianfang.regions.permissions import MANAGE_REGIONS, VIEW_REGION


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Navigation entries by permission, and the memberships for the region switcher."""
    actor = getattr(request, "actor", None)
    if actor is None or actor.is_anonymous:
        return {"nav_items": [], "switchable_memberships": []}
    items = []
    if actor.can(VIEW_REGION):
        items.append(("regions:home", _("首页")))
        items.append(("regions:search", _("区域查询")))
    if actor.can(VIEW_PEOPLE):
        items.append(("people:list", _("人员登记")))
    if actor.can(VIEW_PEOPLE):
        items.append(("people:sweeps", _("逐户排查")))
    if actor.can(REGISTER):
        items.append(("people:selfreg_queue", _("自主申报")))
        items.append(("people:transfers", _("人员转移")))
    if actor.can(IMPORT):
        items.append(("people:imports", _("名单导入")))
    if actor.can(MERGE):
        items.append(("people:duplicates", _("疑似重复")))
    if actor.can(ROUTE):
        items.append(("people:route_queue", _("待分派")))
    if actor.can(MANAGE_USERS):
        items.append(("accounts:user_list", _("用户管理")))
    if actor.can(MANAGE_REGIONS):
        items.append(("regions:manage", _("区域管理")))
    if actor.can(VIEW_AUDIT):
        items.append(("accounts:audit_changes", _("变更记录")))
        items.append(("accounts:audit_access", _("访问记录")))
    memberships = list(
        Membership.objects.active()
        .filter(user_id=actor.user_id, region__is_active=True)
        .select_related("region")
        .order_by("region_code", "role")
    )
    return {
        "nav_items": items,
        "switchable_memberships": memberships if len(memberships) > 1 else [],
        "active_membership_id": request.session.get("active_membership_id"),
    }
