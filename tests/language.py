"""What a user reads, checked for raw identifiers and English: the visible text of a page (the
HTML without tags, scripts, styles and attributes; a <template> is shown once cloned, so it
counts) and the cells of a downloaded xlsx."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

URL = re.compile(r"https?://\S+")  # a link shown to copy is not words
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")
# Words a Chinese page may keep: names of things (API, TOTP, PDF, xlsx …), units and the
# language switcher's own name.
ALLOWED = frozenset(
    {
        "API",
        "TOTP",
        "PDF",
        "xlsx",
        "xls",
        "csv",
        "CSV",
        "ods",
        "QR",
        "ID",
        "URL",
        "IP",
        "English",
        "km",
        "kg",
        "ml",
        "GB",
        "MB",
        "KB",
        "Excel",
        "WPS",
        "Bearer",
        "FreeOTP",
        "Google",
        "Authenticator",
    }
)


class _Text(HTMLParser):
    # Not words: scripts and styles, and what a user types literally (a command, a file's columns).
    SKIP = frozenset({"script", "style", "noscript", "code", "kbd", "samp"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def offences(texts: list[str], allowed: frozenset[str] = frozenset()) -> list[str]:
    """Each text with a snake_case identifier or an English word not allowed."""
    out = []
    for text in texts:
        text = URL.sub("", text)
        for token in allowed:  # e.g. login names: data, not the interface's words
            text = text.replace(token, "")
        if SNAKE.search(text):
            out.append(text)
            continue
        words = {w for w in WORD.findall(text) if w not in ALLOWED}
        if words:
            out.append(text)
    return out


def xlsx_texts(content: bytes) -> list[str]:
    """The cells of every sheet as text, except a column whose header names it a code column
    (代码): codes may stay there, with the words beside them."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    out = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        if not rows:
            continue
        header = [str(c) for c in rows[0]]
        codes = {i for i, h in enumerate(header) if "代码" in h}
        out.append(name)
        for row in rows:
            out.extend(str(c) for i, c in enumerate(row) if i not in codes and str(c).strip())
    return out


SKIP_PATHS = ("/accounts/logout/", "/i18n/", "/api/", "/static/", "/c/", "/r/", "/healthz")
_SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+")
_HREF = re.compile(r'href="(/[^"#]*)"')


def shape(url: str) -> str:
    """/people/<uuid>/ and /people/<uuid2>/ are one page to check."""
    return _SHAPE.sub("N", url.split("?")[0])


def crawl(
    client: Any, start: list[str], limit: int = 60, allowed: frozenset[str] = frozenset()
) -> tuple[dict[str, list[str]], set[str]]:
    """GET each page and file reachable from ``start`` through links (one of each shape,
    ``limit`` in all) in zh-hans; returns url → offending texts (only urls with offences), and
    the shapes of the pages and files read."""
    seen: set[str] = set()
    queue = list(start)
    found: dict[str, list[str]] = {}
    read: set[str] = set()
    visited = 0
    while queue and visited < limit:
        url = queue.pop(0)
        if shape(url) in seen or url.startswith(SKIP_PATHS):
            continue
        seen.add(shape(url))
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        visited += 1
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "spreadsheetml" in kind:
            texts = xlsx_texts(response.content)
        elif "text/html" in kind:
            html = response.content.decode()
            texts = visible_text(html)
            queue.extend(h.replace("&amp;", "&") for h in _HREF.findall(html))
        else:
            continue
        read.add(shape(url))
        bad = offences(texts, allowed)
        if bad:
            found[url] = bad[:8]
    return found, read
