"""User administration (system_admin) and the audit trails (privacy_auditor)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.accounts import changelog, selectors, services
from lianfang.accounts.forms import MembershipForm, PasswordResetForm, UserCreateForm, UserEditForm
from lianfang.accounts.permissions import MANAGE_USERS, VIEW_AUDIT
from lianfang.accounts.roles import Role
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, query_date, requires


@requires(MANAGE_USERS)
def user_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    qs = selectors.users(
        actor,
        q=request.GET.get("q", ""),
        role=request.GET.get("role", ""),
        active=request.GET.get("active", ""),
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="users.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("用户名"), _("姓名"), _("所属单位区划代码"), _("状态")])
        for u in qs.iterator():
            writer.writerow(
                [u.username, u.full_name, u.region_code, _("启用") if u.is_active else _("停用")]
            )
        return response
    page, query = paginate(request, qs)
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "roles": Role.choices, "form": UserCreateForm()},
    )


@requires(MANAGE_USERS)
def user_create(request: ActorRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(
                request, _("用户 %(u)s 已创建，请为其分配角色。") % {"u": user.username}
            )
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(request, "accounts/user_form.html", {"form": form})


@requires(MANAGE_USERS)
def user_detail(request: ActorRequest, public_id: str) -> HttpResponse:
    actor = request.actor
    user = selectors.get_user(actor, public_id)
    edit_form = UserEditForm(
        initial={"full_name": user.full_name, "region_code": user.region_code}, prefix="e"
    )
    membership_form = MembershipForm(prefix="m")
    password_form = PasswordResetForm(prefix="p")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "edit":
                edit_form = UserEditForm(request.POST, prefix="e")
                if edit_form.is_valid():
                    services.update_user(actor=actor, user=user, **edit_form.cleaned_data)
                    messages.success(request, _("已保存。"))
                    return redirect("accounts:user_detail", public_id=user.public_id)
            elif action == "add_membership":
                membership_form = MembershipForm(request.POST, prefix="m")
                if membership_form.is_valid():
                    services.add_membership(actor=actor, user=user, **membership_form.cleaned_data)
                    messages.success(request, _("已添加任职。"))
                    return redirect("accounts:user_detail", public_id=user.public_id)
            elif action == "reset_password":
                password_form = PasswordResetForm(request.POST, prefix="p")
                if password_form.is_valid():
                    services.reset_password(
                        actor=actor, user=user, password=password_form.cleaned_data["password"]
                    )
                    messages.success(request, _("密码已重置。"))
                    return redirect("accounts:user_detail", public_id=user.public_id)
            elif action in ("activate", "deactivate"):
                services.set_user_active(actor=actor, user=user, active=action == "activate")
                messages.success(
                    request, _("账号已启用。") if action == "activate" else _("账号已停用。")
                )
                return redirect("accounts:user_detail", public_id=user.public_id)
        except DomainError as exc:
            target = {
                "edit": edit_form,
                "add_membership": membership_form,
                "reset_password": password_form,
            }.get(action or "")
            if target is None:
                messages.error(request, exc.message)
            else:
                apply_domain_error(exc, target)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": user,
            "memberships": selectors.memberships_of(actor, user),
            "edit_form": edit_form,
            "membership_form": membership_form,
            "password_form": password_form,
        },
    )


@requires(MANAGE_USERS)
@require_POST
def membership_end(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    membership = selectors.get_membership(actor, pk)
    try:
        services.end_membership(actor=actor, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("任职已结束。"))
    return redirect("accounts:user_detail", public_id=membership.user.public_id)


@requires(VIEW_AUDIT)
def audit_changes(request: ActorRequest) -> HttpResponse:
    qs = selectors.change_log(
        request.actor,
        model=request.GET.get("model", ""),
        since=query_date(request.GET.get("since")),
        until=query_date(request.GET.get("until")),
    )
    page, query = paginate(request, qs)
    model_choices = [
        ("user", _("用户")),
        ("membership", _("任职")),
        ("region", _("区域")),
        ("apitoken", _("API 令牌")),
    ]
    return render(
        request,
        "accounts/audit_changes.html",
        {
            "page": page,
            "query": query,
            "model_choices": model_choices,
            "entries": changelog.present(list(page.object_list)),
        },
    )


@requires(VIEW_AUDIT)
def audit_access(request: ActorRequest) -> HttpResponse:
    qs = selectors.access_log(
        request.actor,
        since=query_date(request.GET.get("since")),
        until=query_date(request.GET.get("until")),
        user=request.GET.get("user", ""),
    )
    page, query = paginate(request, qs)
    return render(request, "accounts/audit_access.html", {"page": page, "query": query})
