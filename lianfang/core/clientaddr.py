"""The client's address, the one every rate limit, the access log, the lockout and the change log
key on. Behind a reverse proxy REMOTE_ADDR is the proxy: the address is then read from
X-Forwarded-For, but only when the request came from a proxy listed in
``LIANFANG_TRUSTED_PROXIES`` (anybody else can write that header)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """Addresses and CIDRs, comma-separated or as a list; ValueError on a malformed entry."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


def _address(text: str) -> IPAddress | None:
    """An address as proxies write it: bare, ``[v6]``, ``[v6]:port`` or ``v4:port``."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted_networks() -> tuple[IPNetwork, ...]:
    from django.conf import settings

    # gunicorn's access logger may run before Django is configured: then nothing is trusted.
    return getattr(settings, "LIANFANG_TRUSTED_PROXIES", ()) if settings.configured else ()


def address_from(meta: Mapping[str, Any], trusted: Iterable[IPNetwork] | None = None) -> str | None:
    """The client address of a request's META (or a WSGI environ): REMOTE_ADDR, or — when that
    is a trusted proxy — the right-most address in X-Forwarded-For that is not a trusted proxy
    (the left part of the header is whatever the client chose to send)."""
    networks = tuple(_trusted_networks() if trusted is None else trusted)
    remote = _address(str(meta.get("REMOTE_ADDR") or ""))
    if remote is None:
        return None

    def is_trusted(addr: IPAddress) -> bool:
        return any(addr in net for net in networks if net.version == addr.version)

    client = remote
    if is_trusted(remote):
        hops = str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        for hop in reversed([h for h in hops if h.strip()]):
            addr = _address(hop)
            if addr is None:
                break  # not written by a proxy of ours: keep the last hop we trust
            client = addr
            if not is_trusted(addr):
                break
    return str(client)


def client_address(request: Any) -> str | None:
    """The client address of a Django request (worked out once per request: the audit context
    and the rate limits both ask)."""
    try:
        return request._lianfang_client_address  # type: ignore[no-any-return]
    except AttributeError:
        address = request._lianfang_client_address = address_from(request.META)
        return address
