"""Close contacts of a suspected or confirmed person (密切接触者): register them and start their
observation in one flow. Every row is validated first; one bad row writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import DomainError, InvalidInput, PermissionDeniedError
from lianfang.core.identity import mask_name
from lianfang.core.scoping import Actor
from lianfang.monitoring.models import EventKind, Observation, ObservationStatus, Quarantine
from lianfang.monitoring.permissions import MANAGE_QUARANTINE
from lianfang.monitoring.policies import policy_for
from lianfang.monitoring.quarantines.records import event_record
from lianfang.monitoring.quarantines.services import exposure_record, quarantine_start
from lianfang.people import services as people_services
from lianfang.people.models import Person, Source
from lianfang.people.permissions import REGISTER

FIELDS = ("full_name", "id_number", "phone", "region_code", "address", "last_contact")


@dataclass
class Outcome:
    person: Person
    quarantine: Quarantine
    joined_running: bool  # already under observation: the new exposure restarted its clock


def _last_contact(value: Any, errors: dict[str, list[str]], key: str, days: int) -> date | None:
    today = timezone.localdate()
    if not isinstance(value, date):
        errors[key] = [_("请填写最后接触日期。")]
        return None
    if value > today:
        errors[key] = [_("最后接触日期不能是将来的日期。")]
    elif value < today - timedelta(days=days):
        errors[key] = [_("最后接触已超过观察期，无须观察。")]
    return value


def close_contacts_observe(
    *, actor: Actor, index_person: Person, rows: list[dict[str, Any]]
) -> list[Outcome]:
    """Register each contact (source: contact tracing, "contact with cases" → close contact) and
    start home observation from the last contact, household by household."""
    # Blank rows are skipped but keep their numbers: errors name the row the user filled in.
    filled = [
        (i, r) for i, r in enumerate(rows) if any(str(r.get(f) or "").strip() for f in FIELDS)
    ]
    if not filled:
        msg = _("请至少填写一名密切接触者。")
        raise InvalidInput("contacts_required", msg)
    if not actor.can(MANAGE_QUARANTINE) or not actor.can(REGISTER):
        raise PermissionDeniedError("forbidden", _("您无权登记密切接触者。"))
    policy = policy_for(timezone.localdate())
    errors: dict[str, list[str]] = {}
    cleaned = []
    for i, row in filled:
        prefix = f"rows.{i}."
        try:
            people_services.clean_person(actor, {k: row.get(k, "") for k in FIELDS[:5]})
        except InvalidInput as exc:
            for field, messages in exc.fields.items():
                errors[prefix + field] = messages
        contact = _last_contact(
            row.get("last_contact"), errors, prefix + "last_contact", policy.observation_days
        )
        cleaned.append((i, row, contact))
    if errors:
        raise InvalidInput("invalid_contacts", _("请检查标红的行，一行有误则都不保存。"), errors)
    outcomes: list[Outcome] = []
    with transaction.atomic():
        for i, row, contact in cleaned:
            assert contact is not None
            try:
                person, _existing, _reg = people_services.register_with_screening(
                    actor=actor,
                    person={k: row.get(k, "") for k in FIELDS[:5]},
                    screening={"source": Source.CONTACT_TRACING, "contact_with_cases": True},
                )
                outcomes.append(_observe(actor, person, contact, index_person))
            except DomainError as exc:
                raise InvalidInput(
                    exc.code,
                    _("第 %(n)s 行：%(m)s") % {"n": i + 1, "m": exc.message},
                    {f"rows.{i}.{k}": v for k, v in exc.fields.items()},
                ) from None
    return outcomes


def _observe(actor: Actor, person: Person, contact: date, index_person: Person) -> Outcome:
    evidence = {"index_case": str(index_person.pk)}
    running = (
        Observation.objects.select_related("quarantine")
        .filter(person=person, status=ObservationStatus.ACTIVE)
        .first()
    )
    if running is not None:
        q = running.quarantine
        if contact > running.basis_date:
            q = exposure_record(
                actor=actor,
                quarantine=q,
                observation_id=running.pk,
                exposure_date=contact,
                reason=_("密切接触者：%(name)s") % {"name": mask_name(index_person.full_name)},
            )
        return Outcome(person, q, True)
    q = quarantine_start(actor=actor, person_ids=[person.pk], basis_date=contact)
    event_record(q, EventKind.EXPOSURE, actor, reason=_("密切接触者追踪"), evidence=evidence)
    return Outcome(person, q, False)
