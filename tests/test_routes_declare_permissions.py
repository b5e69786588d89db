"""Every URL and API operation declares what it needs; none serves data without it."""

from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from lianfang.core.permissions import AUTHENTICATED, PUBLIC, all_permissions

# Third-party routes that are public by design, with the reason.
THIRD_PARTY_PUBLIC = {
    "set_language": "Django's language switch: stores a preference, reads no data",
    "api-root": "ninja: API root",
    "openapi-json": "ninja: the OpenAPI schema describes routes, holds no data",
    "openapi-view": "ninja: the docs page, served from local static files",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_every_page_route_declares_a_permission():
    known = set(all_permissions()) | {PUBLIC, AUTHENTICATED}
    missing = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("api/v1/") and pattern.name not in THIRD_PARTY_PUBLIC:
            continue  # ninja operations are checked below
        if pattern.name in THIRD_PARTY_PUBLIC:
            continue
        perm = getattr(pattern.callback, "required_permission", None)
        if perm not in known:
            missing.append(route)
    assert missing == []


def test_every_api_operation_declares_a_permission():
    known = set(all_permissions()) | {PUBLIC, AUTHENTICATED}
    _ = get_resolver().url_patterns  # builds the API, which attaches router-level auth
    seen, missing = 0, []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                seen += 1
                perm = getattr(operation.view_func, "required_permission", None)
                if perm not in known:
                    missing.append(f"{operation.methods} {path}")
                if perm == PUBLIC:
                    assert operation.auth_callbacks == [], f"{path} is PUBLIC but requires auth"
                elif operation.auth_callbacks == []:
                    missing.append(f"{path}: declared {perm} but has no authentication")
    assert seen >= 4
    assert missing == []


def test_api_declares_422_for_every_operation():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            assert "422" in {str(k) for k in op["responses"]}, (
                f"{method} {path} does not declare 422"
            )


def test_openapi_json_has_no_duplicate_keys(client, db):
    import json

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
