"""Self check-in links: a random token per observation, stored encrypted (staff print it again)
with a blind index (the public page finds it); it works until the day after the end date, or
until the observation ends, and ``jobs.purge_tokens`` erases it later."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianfang.core import crypto, residentlinks
from lianfang.core.identity import mask_name
from lianfang.monitoring.models import Observation, ObservationStatus

TOKEN_LABEL = "observation.checkin_token"  # noqa: S105 - a key-derivation label, not a secret


def token_expiry(end_date: date) -> datetime:
    """A self check-in link works until the end of the day after the end date."""
    tz = timezone.get_current_timezone()
    return datetime.combine(end_date + timedelta(days=2), time.min, tzinfo=tz)


def issue_token(observation: Observation) -> str:
    """A new unguessable self check-in token (the previous one stops working)."""
    token = secrets.token_urlsafe(24)
    observation.checkin_token_enc = crypto.encrypt(token, TOKEN_LABEL)
    observation.checkin_token_bidx = crypto.blind_index(token, TOKEN_LABEL)
    observation.checkin_expires_at = token_expiry(observation.quarantine.end_date)
    observation.save(
        update_fields=["checkin_token_enc", "checkin_token_bidx", "checkin_expires_at"]
    )
    return token


def token_of(observation: Observation) -> str:
    return crypto.decrypt(observation.checkin_token_enc, TOKEN_LABEL)


def observation_by_token(token: str) -> Observation | None:
    """The running observation a public token opens, or None (unknown, expired, ended)."""
    token = (token or "").strip()
    if not 16 <= len(token) <= 64:
        return None
    found = list(
        Observation.objects.select_related("quarantine").filter(
            checkin_token_bidx=crypto.blind_index(token, TOKEN_LABEL),
            status=ObservationStatus.ACTIVE,
            checkin_expires_at__gt=timezone.now(),
        )[:1]
    )
    return found[0] if found else None


def masked_name(observation: Observation) -> str:
    return mask_name(observation.person.full_name)


def link_holder(token: str) -> residentlinks.LinkHolder | None:
    """The resolver ``core.residentlinks`` asks: the running observation behind a token."""
    member = observation_by_token(token)
    if member is None:
        return None
    person = member.person
    home = " ".join(
        p for p in (person.region.name if person.region_id else "", person.address) if p
    )
    return residentlinks.LinkHolder(
        observation_id=member.pk,
        region_code=member.region_code,
        label=f"{mask_name(person.full_name)} · {home}".strip(" ·"),
    )
