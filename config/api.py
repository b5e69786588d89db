"""Assembles the app routers into /api/v1/ and maps errors to {"code", "message", "fields"}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lianfang.accounts.api import router as accounts_router
from lianfang.cases.api import router as cases_router
from lianfang.checkpoints.api import router as checkpoints_router
from lianfang.core.api import JsonParser, document_errors
from lianfang.core.errors import DomainError
from lianfang.monitoring.api import router as monitoring_router
from lianfang.people.api import router as people_router
from lianfang.regions.api import router as regions_router
from lianfang.reporting.api import router as reporting_router


class LianfangAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(**kwargs))


api = LianfangAPI(
    parser=JsonParser(),
    title="lianfang 联防 API",
    version="1",
    description="Scoped API of the lianfang platform. Authenticate with `POST /auth/token`, then "
    "send `Authorization: Bearer <token>`. Errors: `{code, message, fields}`.",
    urls_namespace="api",
)
api.add_router("", accounts_router)
api.add_router("", regions_router)
api.add_router("", people_router)
api.add_router("", monitoring_router)
api.add_router("", checkpoints_router)
api.add_router("", cases_router)
api.add_router("", reporting_router)
if settings.LIANFANG_BENCH:  # the benchmark's baseline: the same server writing one row
    from lianfang.devtools.bench.api import router as bench_router

    api.add_router("", bench_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(
        request, 429 if exc.code == "locked_out" else exc.status, exc.code, exc.message, exc.fields
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "payload", "filters")
        ]
        fields.setdefault(".".join(loc) or "__all__", []).append(str(err.get("msg", "invalid")))
    return _error(request, 422, "invalid", "The request has invalid fields.", fields)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "unauthorized",
        "Authentication required: a valid, unexpired bearer token or session.",
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # ninja wraps the body parser's refusal
        return domain_error(request, exc.__cause__)
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "payload_too_large", "The request body is too large.")


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(BadRequest)
@api.exception_handler(MultiPartParserError)
def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Bodies Django cannot read (a multipart form without its boundary, too many fields): the
    error body here, not Django's HTML 400 page."""
    return _error(request, 400, "bad_request", "The request could not be read.")
