from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.views import defaults

from lianfang.core.clientaddr import client_address


class ContentSecurityPolicyMiddleware:
    """Strict CSP (``default-src 'self'``): no inline script or style anywhere. The ninja docs page
    loads its own bundled assets from /static, so it fits the same policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class AuditContextMiddleware(AuditlogMiddleware):  # type: ignore[misc]  # untyped base class
    """django-auditlog's request context (who changed what, from where), with two changes:

    - requests with neither a logged-in session nor credentials (public pages and the public
      check-in) skip it: there is nobody to attribute, and it costs two signal (dis)connections
      per request on the busiest path;
    - API requests authenticated by a bearer token get their actor when django-ninja
      authenticates them (``core.api``), after this middleware has run;
    - the address is the one every rate limit keys on: auditlog's own believes the left-most
      X-Forwarded-For entry, which any client can write."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return None if settings.AUDITLOG_DISABLE_REMOTE_ADDR else client_address(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        anonymous = user is None or not user.is_authenticated
        if anonymous and "HTTP_AUTHORIZATION" not in request.META:
            response: HttpResponse = self.get_response(request)
            return response
        response = super().__call__(request)
        return response


class ProjectErrorPagesMiddleware:
    """With DEBUG on (the demo, ``lianfang serve`` in development) Django answers errors with its
    technical pages: every URL pattern, public paths included, settings and local variables.
    The project's own 400/404/500 pages answer instead, as in production; the traceback goes
    to the (redacted) log. Innermost in MIDDLEWARE, so it sees the view's exception first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return defaults.page_not_found(request, Http404())  # no URL matched
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or isinstance(exception, PermissionDenied):
            return None  # production pages already; 403 is never technical
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        response: HttpResponse
        if isinstance(exception, BadRequest | SuspiciousOperation | MultiPartParserError):
            response = defaults.bad_request(request, exception)
            log_response(
                "Bad request: %s",
                request.path,
                response=response,
                request=request,
                exception=exception,
            )
            return response
        signals.got_request_exception.send(sender=None, request=request)
        response = defaults.server_error(request)
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response
