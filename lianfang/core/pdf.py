"""HTML → PDF with WeasyPrint. Templates may only load ``data:`` URLs: the URL fetcher refuses
every other protocol, so a template can never make the server fetch a URL or read a file. CJK text
uses Debian's fonts-noto-cjk ("Noto Sans CJK SC")."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

ALLOWED_PROTOCOLS = {"data"}


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False)
    return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
