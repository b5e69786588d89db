from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lianfang.accounts.actors import actor_for, client_ip, is_verified, requires_two_factor
from lianfang.core.scoping import ANONYMOUS

ACTIVE_MEMBERSHIP_KEY = "active_membership_id"
# Paths a logged-in user who still owes a second factor may reach (the API has its own check).
_TWO_FACTOR_EXEMPT = ("/accounts/", "/i18n/", "/static/", "/healthz", "/api/")


class ActorMiddleware:
    """Attach ``request.actor`` (the scope for this request). A user of a 2FA role who has not
    passed the second factor acts as nobody and is sent to the second-factor step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        needs_otp = user.is_authenticated and not is_verified(user) and requires_two_factor(user)
        request.needs_two_factor = needs_otp  # type: ignore[attr-defined]
        if needs_otp:
            request.actor = ANONYMOUS  # type: ignore[attr-defined]
            if not request.path.startswith(_TWO_FACTOR_EXEMPT):
                return redirect(reverse("accounts:otp_verify") + "?next=" + quote(request.path))
        else:
            membership_id = (
                request.session.get(ACTIVE_MEMBERSHIP_KEY) if user.is_authenticated else None
            )
            request.actor = actor_for(  # type: ignore[attr-defined]
                user, membership_id=membership_id, ip=client_ip(request)
            )
        return self.get_response(request)
