"""View helpers: the permission declaration every view carries, the health check, pagination."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from lianfang.core import sql
from lianfang.core.permissions import AUTHENTICATED, PUBLIC, check_known
from lianfang.core.scoping import ActorRequest

PAGE_SIZE = 50


def requires(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Declare and enforce what a view needs: PUBLIC, AUTHENTICATED or a declared permission.
    Without login: redirect to the login page. Without the permission anywhere: 404, the same as
    a record out of scope. The declaration is read by the route-walking test."""
    check_known(perm)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: ActorRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if perm != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
                actor = request.actor
                if perm != AUTHENTICATED and not actor.can(perm):
                    raise Http404
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]  # read by the route walk
        return wrapped

    return decorator


@requires(PUBLIC)
@never_cache
def healthz(request: ActorRequest) -> HttpResponse:
    if not sql.reachable():
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": sql.vendor()})


def query_date(value: str | None) -> date | None:
    """A YYYY-MM-DD filter value from a query string; None when absent or malformed."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def paginate(request: ActorRequest, items: Any, per_page: int = PAGE_SIZE) -> tuple[Page[Any], str]:
    """A page of ``items`` and the query string (without ``page``) for the pager's links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return page, urlencode(params)


def bad_request(request: ActorRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (a body it cannot read, raised before a view ran): the stable error body on
    API paths, the project's 400 page elsewhere."""
    from django.core.exceptions import RequestDataTooBig
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        too_big = isinstance(exception, RequestDataTooBig)
        body: dict[str, Any] = {
            "code": "payload_too_large" if too_big else "bad_request",
            "message": "The request body is too large."
            if too_big
            else "The request could not be read.",
            "fields": {},
        }
        return JsonResponse(body, status=413 if too_big else 400)
    return render(request, "400.html", status=400)
