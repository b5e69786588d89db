"""Login, second factor, tokens and the region switcher (thin: services do the work)."""

from __future__ import annotations

import base64
from typing import Any, cast
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lianfang.accounts import otp, services, tokens
from lianfang.accounts.actors import is_verified, requires_two_factor
from lianfang.accounts.forms import LoginForm, OtpForm, PasswordChangeForm, TokenForm
from lianfang.accounts.middleware import ACTIVE_MEMBERSHIP_KEY
from lianfang.accounts.models import ApiToken, Membership, User
from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.permissions import AUTHENTICATED, PUBLIC
from lianfang.core.views import requires


def _me(request: HttpRequest) -> User:
    """The logged-in user (views below are declared AUTHENTICATED)."""
    return cast(User, request.user)


def _next_url(request: HttpRequest, default: str = "/") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes lockout response: JSON for the API, a page for people."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("登录失败次数过多，账号已临时锁定，请 %(m)s 分钟后再试或联系系统管理员。") % {
        "m": minutes
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "fields": {}}, status=429)
    return render(
        request, "accounts/login.html", {"form": LoginForm(), "error": message}, status=429
    )


@requires(PUBLIC)
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not getattr(request, "needs_two_factor", False):
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            error = _("用户名或密码错误。")
        else:
            login(request, user)
            request.session.pop(ACTIVE_MEMBERSHIP_KEY, None)
            nxt = _next_url(request)
            if requires_two_factor(user):
                target = "accounts:otp_verify" if otp.confirmed_totp(user) else "accounts:otp_setup"
                return redirect(reverse(target) + "?next=" + quote(nxt))
            return redirect(nxt)
    return render(
        request, "accounts/login.html", {"form": form, "error": error, "next": _next_url(request)}
    )


@requires(PUBLIC)
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("您已退出登录。"))
    return redirect("accounts:login")


@requires(AUTHENTICATED)
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    if not requires_two_factor(user) or is_verified(user):
        return redirect(_next_url(request))
    if otp.confirmed_totp(user) is None:
        return redirect("accounts:otp_setup")
    form = OtpForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        device = otp.verify(user, form.cleaned_data["code"])
        if device is None:
            error = _("验证码不正确或已过期，请重试。")
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "error": error, "next": _next_url(request)},
    )


@requires(AUTHENTICATED)
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    # Re-enrolling (new phone) needs the second factor first; a first enrolment does not.
    if otp.confirmed_totp(user) is not None and not is_verified(user):
        return redirect("accounts:otp_verify")
    device = otp.pending_totp(user)
    form = OtpForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm_enrolment(user, form.cleaned_data["code"])
        if codes is None:
            error = _("验证码不正确，请确认手机时间准确后重试。")
        else:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)}
            )
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "error": error, "qr": qr, "secret": secret, "next": _next_url(request)},
    )


@requires(AUTHENTICATED)
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not is_verified(request.user):
        return redirect("accounts:otp_verify")
    codes = otp.regenerate_backup_codes(_me(request))
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "/accounts/me/"})


@requires(AUTHENTICATED)
def profile(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.active().filter(user_id=_me(request).pk).select_related("region")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "has_otp": otp.confirmed_totp(_me(request)) is not None,
            "needs_otp": requires_two_factor(_me(request)),
        },
    )


@requires(AUTHENTICATED)
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(_me(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(
                user=_me(request),
                old_password=form.cleaned_data["old_password"],
                password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@requires(AUTHENTICATED)
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = tokens.create_token(
                user=_me(request),
                name=form.cleaned_data["name"],
                second_factor=getattr(request.user, "otp_device", None),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            created = {"token": token, "plaintext": plaintext}
            form = TokenForm()
    rows = ApiToken.objects.filter(user_id=_me(request).pk)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": rows, "created": created}
    )


@requires(AUTHENTICATED)
@require_POST
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        token = tokens.revoke_token(user=_me(request), public_id=public_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("令牌「%(name)s」已吊销。") % {"name": token.name})
    return redirect("accounts:tokens")


@requires(AUTHENTICATED)
@require_POST
def switch_region(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("membership_id", "")
    if raw == "":
        request.session.pop(ACTIVE_MEMBERSHIP_KEY, None)
    elif (
        raw.isdigit()
        and Membership.objects.active().filter(pk=int(raw), user_id=_me(request).pk).exists()
    ):
        request.session[ACTIVE_MEMBERSHIP_KEY] = int(raw)
    else:
        messages.error(request, _("无效的任职选择。"))
    return redirect("regions:home")
