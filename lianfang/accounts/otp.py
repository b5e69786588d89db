"""TOTP two-factor enrolment and verification (django-otp), with one-time backup codes."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianfang.accounts.models import User

BACKUP_CODE_COUNT = 10


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call, reused after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app. Returns the new backup codes, or None
    when the code is wrong."""
    device = pending_totp(user)
    if not device.verify_token((code or "").strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return regenerate_backup_codes(user)


@transaction.atomic
def regenerate_backup_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts ``code`` (TOTP first, then a backup code, which is used up)."""
    code = (code or "").replace(" ", "").strip()
    if not code:
        return None
    totp = confirmed_totp(user)
    if totp is not None and totp.verify_token(code):
        return totp
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None
