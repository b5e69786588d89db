"""Self-registration writes (自主申报): a community's QR link (issued, renewed), a public
submission queued encrypted in the community's queue, and the worker's decision: accept (→ registry,
source "self") or reject (→ answers erased)."""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import crypto
from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.identity import mask_id, mask_name, mask_phone
from lianfang.core.scoping import Actor, system_actor
from lianfang.people import services
from lianfang.people.models import (
    Person,
    SelfRegistrationLink,
    SelfReport,
    SelfReportStatus,
    Source,
)
from lianfang.people.permissions import REGISTER
from lianfang.people.selfreg.selectors import PAYLOAD_LABEL, payload_of
from lianfang.regions.models import Level, Region

PERSON_FIELDS = (
    "full_name",
    "doc_type",
    "id_number",
    "phone",
    "region_code",
    "address",
    "workplace",
)
SCREENING_FIELDS = (
    "origin",
    "departure_date",
    "arrival_date",
    "transport",
    "transport_number",
    "contact_with_cases",
    "symptoms",
    "health_code",
)


def link_for(*, actor: Actor, community: Region, renew: bool = False) -> SelfRegistrationLink:
    if community.level != Level.COMMUNITY or not actor.can(REGISTER, community.code):
        raise PermissionDeniedError("forbidden", _("您无权管理该社区的申报二维码。"))
    with transaction.atomic():
        current = SelfRegistrationLink.objects.filter(region=community, is_active=True).first()
        if current is not None and not renew:
            return current
        if current is not None:
            current.is_active = False
            current.save(update_fields=["is_active"])
        return SelfRegistrationLink.objects.create(
            region=community, region_code=community.code, token=secrets.token_urlsafe(18)
        )


def _community_actor(link: SelfRegistrationLink) -> Actor:
    """Validation runs as if a worker of the link's community entered the data (the answers may
    only name that community's buildings)."""
    return system_actor("self_registration", link.region_code)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def selfreport_submit(*, link: SelfRegistrationLink, data: dict[str, Any]) -> SelfReport:
    """Validate a public submission and queue it. Nothing about anybody else is returned."""
    person = {k: data.get(k, "") for k in PERSON_FIELDS}
    screening = {k: data.get(k) for k in SCREENING_FIELDS}
    screening["source"] = Source.SELF
    errors: dict[str, list[str]] = {}
    clean_p = None
    try:
        clean_p = services.clean_person(_community_actor(link), person)
    except InvalidInput as exc:
        errors.update(exc.fields)
    try:
        services.clean_registration(screening)
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput("invalid_self_report", _("请检查填写内容。"), errors)
    assert clean_p is not None
    payload = json.dumps(
        {"person": _jsonable(person), "screening": _jsonable(screening)}, ensure_ascii=False
    )
    return SelfReport.objects.create(
        link=link,
        region_code=link.region_code,
        payload_enc=crypto.encrypt(payload, PAYLOAD_LABEL),
        name_masked=mask_name(clean_p.full_name),
        id_number_masked=mask_id(clean_p.id_number),
        phone_masked=mask_phone(clean_p.phone) if clean_p.phone else "",
    )


def _pending(actor: Actor, report: SelfReport) -> None:
    if not actor.can(REGISTER, report.region_code):
        raise PermissionDeniedError("forbidden", _("您无权处理该申报。"))
    if report.status != SelfReportStatus.PENDING:
        raise InvalidInput("already_handled", _("该申报已处理。"))


def selfreport_accept(
    *, actor: Actor, report: SelfReport, corrections: dict[str, Any] | None = None
) -> Person:
    """Verify a submission: register the person (or link the existing one) and the screening,
    with the worker's corrections to non-secret fields applied first."""
    with transaction.atomic():
        report = SelfReport.objects.select_for_update().get(pk=report.pk)
        _pending(actor, report)
        payload = payload_of(report)
        person_data = payload["person"]
        for key in ("full_name", "region_code", "address", "workplace"):
            if corrections and corrections.get(key):
                person_data[key] = corrections[key]
        person, _existing, _reg = services.register_with_screening(
            actor=actor, person=person_data, screening=payload["screening"]
        )
        report.status = SelfReportStatus.ACCEPTED
        report.person = person
        report.payload_enc = ""
        report.handled_by_id = actor.user_id
        report.handled_at = timezone.now()
        report.save(update_fields=["status", "person", "payload_enc", "handled_by", "handled_at"])
    return person


@transaction.atomic
def selfreport_reject(*, actor: Actor, report: SelfReport, reason: str) -> SelfReport:
    report = SelfReport.objects.select_for_update().get(pk=report.pk)
    _pending(actor, report)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "reason_required", _("请填写驳回理由。"), {"reason": [_("请填写驳回理由。")]}
        )
    report.status = SelfReportStatus.REJECTED
    report.reject_reason = reason[:200]
    report.payload_enc = ""
    report.handled_by_id = actor.user_id
    report.handled_at = timezone.now()
    report.save(
        update_fields=["status", "reject_reason", "payload_enc", "handled_by", "handled_at"]
    )
    return report
