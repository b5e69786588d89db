"""Scheduled job: drop expired sessions and long-dead API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from lianfang.accounts.models import ApiToken
from lianfang.core.scheduler import register_job

# Revoked or expired tokens stay listed (for the owner and the audit) this long, then go.
TOKEN_KEEP = timedelta(days=30)


def expire_sessions_and_tokens_now() -> dict[str, int]:
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    cutoff = now - TOKEN_KEEP
    tokens, _ = ApiToken.objects.filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    ).delete()
    return {"sessions": sessions, "tokens": tokens}


@task()
def expire_sessions_and_tokens(slot: str) -> dict[str, int]:
    return expire_sessions_and_tokens_now()


register_job(
    "expire_sessions_and_tokens",
    "15 * * * *",
    lambda slot: expire_sessions_and_tokens.enqueue(slot=slot),
)
