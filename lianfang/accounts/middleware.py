from __future__ import annotations

from collections.abc import Callable
from typing import cast
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from lianfang.accounts.actors import actor_for, is_verified, requires_two_factor
from lianfang.core.clientaddr import client_address
from lianfang.core.permissions import PUBLIC
from lianfang.core.scoping import ANONYMOUS, ActorRequest

ACTIVE_MEMBERSHIP_KEY = "active_membership_id"
# The only pages a user of a 2FA role reaches between the password and the second factor (URL
# names, so that a new page under /accounts/ is not reachable by accident).
SECOND_FACTOR_STEP = frozenset(
    {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "set_language"}
)


def reachable_before_second_factor(request: HttpRequest) -> bool:
    """Whether a session that passed only the password may reach this URL: the second-factor
    step, public pages (served as to anybody), and the API, whose authentication refuses such a
    session on every operation that is not public (core.api.VerifiedSessionAuth)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # nothing there: the same 404 as for anybody
    if match.view_name in SECOND_FACTOR_STEP or "api" in match.namespaces:
        return True
    return getattr(match.func, "required_permission", None) == PUBLIC


class ActorMiddleware:
    """Attach ``request.actor`` (the scope for this request). A user of a 2FA role who has not
    passed the second factor acts as nobody and is sent to the second-factor step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._respond(cast(ActorRequest, request))

    def _respond(self, request: ActorRequest) -> HttpResponse:
        user = request.user
        needs_otp = user.is_authenticated and not is_verified(user) and requires_two_factor(user)
        request.needs_two_factor = needs_otp
        if needs_otp:
            request.actor = ANONYMOUS
            if not reachable_before_second_factor(request):
                return redirect(reverse("accounts:otp_verify") + "?next=" + quote(request.path))
        else:
            membership_id = (
                request.session.get(ACTIVE_MEMBERSHIP_KEY) if user.is_authenticated else None
            )
            request.actor = actor_for(user, membership_id=membership_id, ip=client_address(request))
        return self.get_response(request)
