"""Self-registration reads: the active link behind a token, a queued submission's answers
(decrypted), and the communities the actor registers in with their links."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404

from lianfang.core import crypto
from lianfang.core.scoping import Actor
from lianfang.people.models import SelfRegistrationLink, SelfReport
from lianfang.people.permissions import REGISTER
from lianfang.regions.models import Level, Region

PAYLOAD_LABEL = "selfreport.payload"


def active_link(token: str) -> SelfRegistrationLink:
    link = (
        SelfRegistrationLink.objects.select_related("region")
        .filter(token=token, is_active=True, region__is_active=True)
        .first()
    )
    if link is None:
        raise Http404
    return link


def payload_of(report: SelfReport) -> dict[str, Any]:
    return dict(json.loads(crypto.decrypt(report.payload_enc, PAYLOAD_LABEL)))


def communities_with_links(actor: Actor) -> list[tuple[Region, SelfRegistrationLink | None]]:
    """The active communities the actor registers in, each with its active link (the first
    issued, if several), in two queries."""
    communities = list(
        Region.objects.visible_to(actor, REGISTER)
        .filter(level=Level.COMMUNITY, is_active=True)
        .order_by("code")
    )
    links: dict[int, SelfRegistrationLink] = {}
    for link in SelfRegistrationLink.objects.filter(
        region__in=communities, is_active=True
    ).order_by("pk"):
        links.setdefault(link.region_id, link)
    return [(c, links.get(c.pk)) for c in communities]
