"""Notifications to staff and residents, through one backend chosen by a setting
(``LIANFANG_NOTIFICATIONS``):

- ``console``: one log line per message (recipient by id, never a phone number);
- ``file:/path``: one JSON line per message appended to the file (same content as console);
- ``memory``: kept in ``outbox`` (tests);
- ``sms``: the message goes to ``LIANFANG_SMS_GATEWAY``, a class implementing ``SmsGateway``
  (a real operator's API); staff without a phone are skipped.

Messages must not carry personal data beyond a masked name: they travel through third parties."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from lianfang.core.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class Message:
    kind: str  # e.g. "alert.fever", "checkin.reminder"
    text: str  # short, no personal data beyond a masked name
    user_id: int | None = None  # a staff recipient
    phone: str = field(default="", repr=False)  # a resident's number, for SMS only
    ref: str = ""  # the object it is about (an alert id …)


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


outbox: list[Message] = []


def _public(message: Message) -> dict[str, object]:
    data = asdict(message)
    data.pop("phone")
    data["to_resident"] = bool(message.phone)
    data["at"] = timezone.now().isoformat()
    return data


def send(messages: list[Message]) -> int:
    """Deliver ``messages`` through the configured backend; returns how many went out."""
    backend = settings.LIANFANG_NOTIFICATIONS
    if backend == "memory":
        outbox.extend(messages)
        return len(messages)
    if backend.startswith("file:"):
        with open(backend.removeprefix("file:"), "a", encoding="utf-8") as fh:
            for m in messages:
                fh.write(json.dumps(_public(m), ensure_ascii=False) + "\n")
        return len(messages)
    if backend == "sms":
        gateway: SmsGateway = import_string(settings.LIANFANG_SMS_GATEWAY)()
        sent = 0
        for m in messages:
            phone = m.phone or _staff_phone(m.user_id)
            if phone:
                gateway.send(phone, m.text)
                sent += 1
        return sent
    for m in messages:
        log.info("notification", **_public(m))
    return len(messages)


def _staff_phone(user_id: int | None) -> str:
    if user_id is None:
        return ""
    from django.contrib.auth import get_user_model

    phone = get_user_model().objects.filter(pk=user_id).values_list("phone", flat=True).first()
    return str(phone or "")
