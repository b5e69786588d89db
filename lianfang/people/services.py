"""Writes on the registry: register a person once (an existing document returns the existing
person), add screening registrations, reveal personal data with a logged purpose, override a risk
category. Every function is atomic and checks the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import crypto, divisions
from lianfang.core.access import log_access
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.identity import (
    mask_id,
    mask_phone,
    normalise_other_document,
    parse_phone,
    parse_plate,
    parse_resident_id,
)
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.core.symptoms import SYMPTOMS
from lianfang.people import names, risk, rules
from lianfang.people.duplicates.services import duplicate_detect_for
from lianfang.people.models import (
    CaseStatus,
    DocType,
    HealthCode,
    Household,
    Person,
    PersonMove,
    Registration,
    RiskCategory,
    Source,
    Transport,
    Verification,
    by_document,
)
from lianfang.people.permissions import OVERRIDE_RISK, RECORD_CASE_STATUS, REGISTER, REVEAL
from lianfang.regions.models import Level, Region

ID_LABEL = "person.id_number"
PHONE_LABEL = "person.phone"


@dataclass
class CleanPerson:
    full_name: str
    doc_type: str
    id_number: str  # normalised, clear (encrypted before storage)
    phone: str  # E.164 or ""
    region: Region
    address: str
    gender: str = ""
    birth_date: date | None = None
    workplace: str = ""
    notes: str = ""
    warnings: list[str] = field(default_factory=list)


def home_region(actor: Actor, code: str, errors: dict[str, list[str]]) -> Region | None:
    region = Region.objects.filter(code=(code or "").strip(), is_active=True).first()
    if region is None or region.level not in (Level.BUILDING, Level.COMMUNITY):
        errors.setdefault("region_code", []).append(_("住址须为本辖区内启用的楼栋或社区。"))
        return None
    if not actor.can(REGISTER, region.code):
        errors.setdefault("region_code", []).append(_("住址须为本辖区内启用的楼栋或社区。"))
        return None
    return region


def clean_person(actor: Actor, data: dict[str, Any], *, require_phone: bool = True) -> CleanPerson:
    """Validate every field at once; raise InvalidInput naming all bad fields."""
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []
    full_name = rules.spaced(data.get("full_name"))
    if problem := rules.name_problem(full_name):
        errors["full_name"] = [str(rules.MESSAGES[problem])]
    doc_type = data.get("doc_type") or DocType.RESIDENT_ID
    gender, birth_date = str(data.get("gender") or ""), data.get("birth_date")
    id_number, rid_gender, rid_birth = clean_document(
        doc_type, str(data.get("id_number") or ""), errors, warnings
    )
    if doc_type == DocType.RESIDENT_ID and id_number:
        gender, birth_date = rid_gender, rid_birth
    phone = ""
    raw_phone = str(data.get("phone") or "").strip()
    if raw_phone or require_phone:
        try:
            phone = parse_phone(raw_phone)
        except InvalidInput as exc:
            errors.update(exc.fields)
    region = home_region(actor, str(data.get("region_code") or ""), errors)
    address = rules.spaced(data.get("address"))
    if problem := rules.address_problem(address):
        errors["address"] = [str(rules.MESSAGES[problem])]
    if errors:
        raise InvalidInput("invalid_person", _("请检查填写内容。"), errors)
    assert region is not None
    return CleanPerson(
        full_name=full_name,
        doc_type=doc_type,
        id_number=id_number,
        phone=phone,
        region=region,
        address=address,
        gender=gender if gender in ("M", "F") else "",
        birth_date=birth_date if isinstance(birth_date, date) else None,
        workplace=str(data.get("workplace") or "")[:100],
        notes=str(data.get("notes") or ""),
        warnings=warnings,
    )


def clean_document(
    doc_type: str, raw: str, errors: dict[str, list[str]], warnings: list[str]
) -> tuple[str, str, date | None]:
    """The normalised document number (with a resident ID's gender and birth date), or "" with
    the reason in ``errors``."""
    if doc_type not in DocType.values:
        errors["doc_type"] = [_("未知证件类型。")]
        return "", "", None
    try:
        if doc_type == DocType.RESIDENT_ID:
            rid = parse_resident_id(raw)
            warnings.extend(rid.warnings)
            return rid.number, rid.gender, rid.birth_date
        return normalise_other_document(raw), "", None
    except InvalidInput as exc:
        errors.update(exc.fields)
        return "", "", None


def registered_elsewhere() -> Conflict:
    """The answer for a document held outside the actor's territory: that it is, and nothing
    about the person or where (the registration form must not be a lookup of the district)."""
    msg = _("该证件号码已在其他辖区登记，不能重复建档；可申请将其转入本社区。")
    return Conflict("registered_elsewhere", msg, {"id_number": [msg]})


def _within_scope(actor: Actor, person: Person) -> Person:
    if not actor.can(REGISTER, person.region_code):
        raise registered_elsewhere()
    return person


def find_existing(doc_type: str, id_number: str) -> Person | None:
    bidx = crypto.blind_index(id_number, ID_LABEL)
    return Person.objects.active().filter(by_document(doc_type, bidx)).first()


def _household(region: Region, address: str) -> Household | None:
    if region.level != Level.BUILDING or not address:
        return None
    household, _ = Household.objects.get_or_create(
        region=region, address=address, defaults={"region_code": region.code}
    )
    return household


def build_person(clean: CleanPerson, *, created_by_id: int | None) -> Person:
    """An unsaved Person from cleaned input: encrypted, indexed, masked."""
    return Person(
        full_name=clean.full_name,
        name_pinyin=names.pinyin(clean.full_name),
        name_initials=names.initials(clean.full_name),
        name_birth_key=names.name_birth_key(names.pinyin(clean.full_name), clean.birth_date),
        doc_type=clean.doc_type,
        id_number_enc=crypto.encrypt(clean.id_number, ID_LABEL),
        id_number_bidx=crypto.blind_index(clean.id_number, ID_LABEL),
        id_number_masked=mask_id(clean.id_number),
        gender=clean.gender,
        birth_date=clean.birth_date,
        phone_enc=crypto.encrypt(clean.phone, PHONE_LABEL),
        phone_bidx=crypto.blind_index(clean.phone, PHONE_LABEL),
        phone_masked=mask_phone(clean.phone) if clean.phone else "",
        region=clean.region,
        region_code=clean.region.code,
        address=clean.address,
        workplace=clean.workplace,
        notes=clean.notes,
        created_by_id=created_by_id,
    )


def register_person(
    *, actor: Actor, require_phone: bool = True, **data: Any
) -> tuple[Person, bool]:
    """Register a person once. Returns ``(person, existing)``: a document already in the actor's
    territory returns that person instead of a duplicate; one held elsewhere raises
    ``registered_elsewhere`` (409)."""
    clean = clean_person(actor, data, require_phone=require_phone)
    existing = find_existing(clean.doc_type, clean.id_number)
    if existing is not None:
        return _within_scope(actor, existing), True
    try:
        with transaction.atomic():
            person = build_person(clean, created_by_id=actor.user_id)
            person.household = _household(clean.region, clean.address)
            person.save()
            duplicate_detect_for(person)
    except IntegrityError:  # registered concurrently by someone else: same answer as above
        found = find_existing(clean.doc_type, clean.id_number)
        if found is None:
            raise
        return _within_scope(actor, found), True
    return person, False


@transaction.atomic
def move_person(
    *, actor: Actor, person: Person, region_code: str, address: str, reason: str = ""
) -> Person:
    """Change a person's home (building/community and room); the old one stays in the history."""
    if not actor.can(REGISTER, person.region_code):
        raise PermissionDeniedError("forbidden", _("您无权修改该人员。"))
    errors: dict[str, list[str]] = {}
    region = home_region(actor, region_code, errors)
    if errors:
        raise InvalidInput("invalid_move", _("请检查填写内容。"), errors)
    assert region is not None
    return relocate(
        person=person, region=region, address=address, reason=reason, by_id=actor.user_id
    )


def relocate(
    *, person: Person, region: Region, address: str, reason: str, by_id: int | None
) -> Person:
    """Move without permission checks: callers (move_person, an accepted transfer) check first."""
    address = rules.spaced(address)
    if problem := rules.address_problem(address):
        raise InvalidInput(
            problem, str(rules.MESSAGES[problem]), {"address": [str(rules.MESSAGES[problem])]}
        )
    household = _household(region, address)
    PersonMove.objects.create(
        person=person,
        from_region_code=person.region_code,
        to_region_code=region.code,
        from_address=person.address,
        to_address=address,
        from_household=person.household_id,
        to_household=household.pk if household else None,
        reason=reason[:200],
        by_id=by_id,
    )
    person.region, person.region_code, person.address = region, region.code, address
    person.household = household
    person.save(update_fields=["region", "region_code", "address", "household", "updated_at"])
    return person


@dataclass
class CleanRegistration:
    source: str
    origin_code: str
    departure_date: date | None
    arrival_date: date | None
    transport: str
    transport_number: str
    contact_with_cases: bool
    case_status: str
    symptoms: list[str]
    health_code: str


def _date(value: Any, name: str, errors: dict[str, list[str]]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(name, []).append(_("日期格式应为 YYYY-MM-DD。"))
        return None


def clean_registration(data: dict[str, Any]) -> CleanRegistration:
    errors: dict[str, list[str]] = {}
    source = data.get("source") or ""
    if source not in Source.values:
        errors["source"] = [_("未知登记来源。")]
    origin_raw = str(data.get("origin") or data.get("origin_code") or "").strip()
    origin = ""
    if origin_raw:
        origin = divisions.normalise(origin_raw) or ""
        if not origin:
            errors["origin"] = [_("来源地区划代码未知（如 420100 武汉市）。")]
    departure = _date(data.get("departure_date"), "departure_date", errors)
    arrival = _date(data.get("arrival_date"), "arrival_date", errors)
    for name, code in rules.travel_date_problems(departure, arrival, timezone.localdate()):
        errors.setdefault(name, []).append(str(rules.MESSAGES[code]))
    transport = data.get("transport") or ""
    if transport not in Transport.values and transport != "":
        errors["transport"] = [_("未知交通方式。")]
    number = rules.spaced(data.get("transport_number")).upper()
    if problem := rules.transport_number_problem(number):
        errors["transport_number"] = [str(rules.MESSAGES[problem])]
    if transport == Transport.CAR and number:
        try:
            number = parse_plate(number)
        except InvalidInput as exc:
            errors.update(exc.fields)
    symptoms = list(data.get("symptoms") or [])
    unknown = [s for s in symptoms if s not in SYMPTOMS]
    if unknown:
        errors["symptoms"] = [_("未知症状：%(s)s") % {"s": ", ".join(map(str, unknown))}]
    case_status = data.get("case_status") or ""
    if case_status not in CaseStatus.values:
        errors["case_status"] = [_("未知病例状态。")]
    health_code = data.get("health_code") or ""
    if health_code not in HealthCode.values:
        errors["health_code"] = [_("未知健康码颜色。")]
    if errors:
        raise InvalidInput("invalid_registration", _("请检查填写内容。"), errors)
    return CleanRegistration(
        source=source,
        origin_code=origin,
        departure_date=departure,
        arrival_date=arrival,
        transport=transport,
        transport_number=number,
        contact_with_cases=bool(data.get("contact_with_cases")),
        case_status=case_status,
        symptoms=sorted(set(symptoms)),
        health_code=health_code,
    )


def build_registration(
    person: Person,
    clean: CleanRegistration,
    *,
    region_code: str,
    by_id: int | None,
    verification: str,
) -> Registration:
    category = risk.compute(
        case_status=clean.case_status,
        contact_with_cases=clean.contact_with_cases,
        symptoms=clean.symptoms,
        origin_code=clean.origin_code,
        travel_date=clean.arrival_date or clean.departure_date,
        region_code=region_code,
    )
    return Registration(
        person=person,
        region_code=region_code,
        source=clean.source,
        origin_code=clean.origin_code,
        departure_date=clean.departure_date,
        arrival_date=clean.arrival_date,
        transport=clean.transport,
        transport_number=clean.transport_number,
        contact_with_cases=clean.contact_with_cases,
        case_status=clean.case_status,
        symptoms=clean.symptoms,
        health_code=clean.health_code,
        risk_computed=category,
        risk_category=category,
        verification=verification,
        registered_by_id=by_id,
    )


@transaction.atomic
def add_registration(
    *, actor: Actor, person: Person, companions: list[Person] | None = None, **data: Any
) -> Registration:
    if not actor.can(REGISTER, person.region_code):
        raise PermissionDeniedError("forbidden", _("您无权为该人员登记。"))
    clean = clean_registration(data)
    registration = build_registration(
        person,
        clean,
        region_code=person.region_code,
        by_id=actor.user_id,
        verification=Verification.VERIFIED,
    )
    registration.save()
    if companions:
        registration.companions.set([c for c in companions if c.pk != person.pk])
    return registration


@transaction.atomic
def override_risk(
    *, actor: Actor, registration: Registration, category: str, reason: str
) -> Registration:
    if not actor.can(OVERRIDE_RISK, registration.region_code):
        raise PermissionDeniedError("forbidden", _("只有医生可以调整风险类别。"))
    if category not in RiskCategory.values:
        raise InvalidInput(
            "unknown_category", _("未知风险类别。"), {"category": [_("未知风险类别。")]}
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "reason_required", _("请说明调整理由。"), {"reason": [_("请说明调整理由。")]}
        )
    registration.risk_category = category
    registration.risk_override_reason = reason[:200]
    registration.risk_overridden_by_id = actor.user_id
    registration.save(update_fields=["risk_category", "risk_override_reason", "risk_overridden_by"])
    return registration


@transaction.atomic
def record_case_status(
    *, actor: Actor, person: Person, case_status: str, reason: str
) -> Registration:
    """A diagnosis from a fever clinic (suspected or confirmed): the person's latest screening
    registration takes the case status and its risk category is computed again (a doctor's
    earlier override gives way: the diagnosis is the newer fact)."""
    if not actor.can(RECORD_CASE_STATUS, person.region_code):
        raise PermissionDeniedError("forbidden", _("您无权登记诊断结果。"))
    if case_status not in (CaseStatus.SUSPECTED, CaseStatus.CONFIRMED):
        raise InvalidInput("unknown_case_status", _("诊断结果只能是疑似或确诊。"))
    registration = person.registrations.order_by("-registered_at").first()
    if registration is None:
        registration = Registration(
            person=person,
            region_code=person.region_code,
            source=Source.HOTLINE,
            verification=Verification.VERIFIED,
            registered_by_id=actor.user_id,
        )
    registration.case_status = case_status
    category = risk.compute(
        case_status=case_status,
        contact_with_cases=registration.contact_with_cases,
        symptoms=list(registration.symptoms or []),
        origin_code=registration.origin_code,
        travel_date=registration.arrival_date or registration.departure_date,
        region_code=registration.region_code,
    )
    registration.risk_computed = registration.risk_category = category
    registration.risk_override_reason = (reason or "")[:200]
    registration.risk_overridden_by_id = None
    registration.save()
    return registration


def reveal(*, actor: Actor, person_id: Any, field_name: str, purpose: str) -> str:
    """The clear ID number or phone of a person in scope, after logging who, why and from where."""
    person = get_visible_or_404(Person.objects.active(), actor, REVEAL, pk=person_id)
    if field_name not in ("id_number", "phone"):
        raise InvalidInput("unknown_field", _("只能查看证件号码或电话。"))
    log_access(
        actor=actor,
        action=f"reveal_{field_name}",
        object_type="person",
        object_id=str(person.pk),
        region_code=person.region_code,
        purpose=purpose,
    )
    if field_name == "id_number":
        return crypto.decrypt(person.id_number_enc, ID_LABEL)
    return crypto.decrypt(person.phone_enc, PHONE_LABEL)


def register_with_screening(
    *, actor: Actor, person: dict[str, Any], screening: dict[str, Any], require_phone: bool = True
) -> tuple[Person, bool, Registration]:
    """The door-to-door form: a person and their screening answers, both validated before
    anything is written, then written together (or not at all)."""
    errors: dict[str, list[str]] = {}
    try:
        clean_person(actor, person, require_phone=require_phone)
    except InvalidInput as exc:
        errors.update(exc.fields)
    try:
        clean_registration(screening)
    except InvalidInput as exc:
        errors.update(exc.fields)
    if errors:
        raise InvalidInput("invalid_registration", _("请检查填写内容。"), errors)
    with transaction.atomic():
        found, existing = register_person(actor=actor, require_phone=require_phone, **person)
        registration = add_registration(actor=actor, person=found, **screening)
    return found, existing, registration


@transaction.atomic
def update_person(
    *,
    actor: Actor,
    person: Person,
    full_name: str,
    workplace: str = "",
    notes: str = "",
    gender: str = "",
    birth_date: date | None = None,
) -> Person:
    """Edit what is not derived: name, workplace, notes; gender and birth date only when the
    document does not carry them (a resident ID does)."""
    if not actor.can(REGISTER, person.region_code):
        raise PermissionDeniedError("forbidden", _("您无权修改该人员。"))
    full_name = rules.spaced(full_name)
    errors: dict[str, list[str]] = {}
    if problem := rules.name_problem(full_name):
        errors["full_name"] = [str(rules.MESSAGES[problem])]
    derivable = person.doc_type == DocType.RESIDENT_ID
    if not derivable:
        if gender not in ("", "M", "F"):
            errors["gender"] = [_("未知性别。")]
        if birth_date and birth_date > timezone.localdate():
            errors["birth_date"] = [_("日期不能晚于今天。")]
    if errors:
        raise InvalidInput("invalid_person", _("请检查填写内容。"), errors)
    person.full_name = full_name
    person.name_pinyin, person.name_initials = names.pinyin(full_name), names.initials(full_name)
    person.workplace, person.notes = (workplace or "")[:100], notes or ""
    if not derivable:
        person.gender, person.birth_date = gender, birth_date
    person.name_birth_key = names.name_birth_key(person.name_pinyin, person.birth_date)
    person.save()
    duplicate_detect_for(person)
    return person
