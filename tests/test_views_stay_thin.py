"""One URL and one view per action, and views that leave writes to services (issue 16 item 8)."""

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1] / "lianfang"
VIEW_MODULES = sorted([*ROOT.rglob("views.py"), *ROOT.rglob("*_views.py")])

# A write in a view: the ORM's own write calls, a form saving itself, a service's private helper.
WRITES = re.compile(
    r"\.objects\.(create|bulk_create|update_or_create|get_or_create)\("
    r"|\.(save|delete)\("
    r"|\.objects\.filter\([^)]*\)\.(update|delete)\("
    r"|\b[a-z]+\._[a-z][a-z_]*\("
)


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_no_route_dispatches_on_an_action_slug():
    dispatching = [
        route
        for route in _routes(get_resolver().url_patterns)
        if re.search(r"<(slug|str):(action|decision|verb|op)>", route)
    ]
    assert dispatching == []


def test_views_leave_writes_to_services():
    assert len(VIEW_MODULES) >= 10
    found = []
    for module in VIEW_MODULES:
        for n, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if WRITES.search(code) and "request._" not in code:
                found.append(f"{module.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
