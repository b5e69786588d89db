"""What a vehicle check may hold, one rule per field: the check form's API and the hand-over
routing read a check through ``clean_check``, which names every bad field at once (``plate``,
``occupants.2.id_number`` …). Names follow the registry's rule (``people.rules``); documents,
phones and temperatures the core's (``core.identity``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lianfang.checkpoints import plates
from lianfang.checkpoints.models import (
    FEVER_AT,
    Checkpoint,
    Outcome,
    Priority,
    VehicleType,
)
from lianfang.core import divisions
from lianfang.core.errors import InvalidInput
from lianfang.core.identity import parse_phone, parse_resident_id, parse_temperature
from lianfang.core.regioncode import is_within
from lianfang.core.symptoms import SYMPTOMS
from lianfang.people import rules as people_rules
from lianfang.people.models import HealthCode
from lianfang.regions.models import Level, Region

MAX_OCCUPANTS = 60

Errors = dict[str, list[str]]


@dataclass
class CleanOccupant:
    seq: int
    full_name: str
    doc_type: str
    id_number: str
    id_reason: str
    phone: str
    temperature: Decimal | None
    fever: bool
    health_code: str
    symptoms: list[str]
    outcome: str
    destination: Region | None
    address: str


@dataclass
class CleanCheck:
    plate: str
    plate_reason: str
    vehicle_type: str
    direction: str
    origin_code: str
    origin_text: str
    destination: str
    priority: str
    occupants: list[CleanOccupant] = field(default_factory=list)


def _name(raw: dict[str, Any], bad: Errors) -> str:
    full_name = people_rules.spaced(raw.get("full_name"))
    problem = people_rules.name_problem(full_name)
    if problem:
        bad["full_name"] = [str(people_rules.MESSAGES[problem])]
    return full_name


def _document(raw: dict[str, Any], bad: Errors) -> tuple[str, str, str]:
    """``(doc_type, number, reason)``: a resident ID that verifies, or — with the officer's
    reason (no papers, a foreigner) — what was shown, recorded as given so the queue goes on."""
    reason = people_rules.spaced(raw.get("id_reason"))[:100]
    given = "".join(str(raw.get("id_number") or "").split()).upper()
    try:
        return "resident_id", parse_resident_id(given).number, reason
    except InvalidInput as exc:
        if reason:
            return "other", given[:30], reason
        bad["id_number"] = [
            *exc.fields.get("id_number", [exc.message]),
            _("证件无法核验时请说明原因（如：未带证件、外籍）。"),
        ]
        return "resident_id", "", reason


def _phone(raw: dict[str, Any], bad: Errors) -> str:
    if not str(raw.get("phone") or "").strip():
        return ""
    try:
        return parse_phone(str(raw.get("phone")), "phone")
    except InvalidInput as exc:
        bad["phone"] = exc.fields.get("phone", [exc.message])
        return ""


def _temperature(raw: dict[str, Any], bad: Errors) -> Decimal | None:
    if raw.get("temperature") in (None, ""):
        return None
    try:
        return parse_temperature(raw.get("temperature"))
    except InvalidInput as exc:
        bad["temperature"] = exc.fields.get("temperature", [exc.message])
        return None


def _health(raw: dict[str, Any], bad: Errors) -> tuple[str, list[str]]:
    health_code = str(raw.get("health_code") or "")
    if health_code not in HealthCode.values:
        bad["health_code"] = [_("未知健康码颜色。")]
    symptoms = [str(s) for s in raw.get("symptoms") or []]
    if any(s not in SYMPTOMS for s in symptoms):
        bad["symptoms"] = [_("未知症状。")]
    return health_code, symptoms


def _outcome(raw: dict[str, Any], fever: bool, temperature: Decimal | None, bad: Errors) -> str:
    outcome = str(raw.get("outcome") or "")
    if outcome not in Outcome.values:
        bad["outcome"] = [_("请选择处置方式。")]
    elif fever and outcome != Outcome.FEVER_CLINIC:
        # Refused, never changed behind the officer's back: the record says what was done.
        bad["outcome"] = [
            _("体温 %(v)s °C（≥ %(t)s °C）为发热，不能“%(o)s”：请选“%(f)s”。")
            % {
                "v": temperature,
                "t": FEVER_AT,
                "o": Outcome(outcome).label,
                "f": Outcome.FEVER_CLINIC.label,
            }
        ]
    return outcome


def _destination(
    raw: dict[str, Any], outcome: str, district: str, bad: Errors
) -> tuple[Region | None, str]:
    """``(community or building, address)``: where a hand-over goes — a chosen region of the
    district, or an address the router reads later; one of them for a hand-over."""
    destination = None
    code = str(raw.get("destination_region_code") or "").strip()
    if code:
        destination = Region.objects.filter(code=code, is_active=True).first()
        if (
            destination is None
            or destination.level not in (Level.COMMUNITY, Level.BUILDING)
            or not is_within(code, district)
        ):
            bad["destination_region_code"] = [_("目的社区须为本区内启用的社区或楼栋。")]
            destination = None
    address = people_rules.spaced(raw.get("address"))[:200]
    if outcome == Outcome.HANDOVER and not (code or address):
        bad["address"] = [_("移交社区须填写目的社区或详细地址。")]
    return destination, address


def clean_occupant(
    i: int, raw: dict[str, Any], district: str, errors: Errors
) -> CleanOccupant | None:
    """Occupant ``i`` of a check, or None with its bad fields added to ``errors`` under
    ``occupants.<i>.<field>``."""
    bad: Errors = {}
    full_name = _name(raw, bad)
    doc_type, id_number, id_reason = _document(raw, bad)
    phone = _phone(raw, bad)
    temperature = _temperature(raw, bad)
    health_code, symptoms = _health(raw, bad)
    fever = temperature is not None and temperature >= FEVER_AT
    outcome = _outcome(raw, fever, temperature, bad)
    destination, address = _destination(raw, outcome, district, bad)
    for name, msgs in bad.items():
        errors[f"occupants.{i}.{name}"] = msgs
    if bad:
        return None
    return CleanOccupant(
        seq=i + 1,
        full_name=full_name,
        doc_type=doc_type,
        id_number=id_number,
        id_reason=id_reason,
        phone=phone,
        temperature=temperature,
        fever=fever or bool(symptoms),
        health_code=health_code,
        symptoms=symptoms,
        outcome=outcome,
        destination=destination,
        address=address,
    )


def _plate(priority: str, data: dict[str, Any], errors: Errors) -> tuple[str, str]:
    raw_plate, reason = str(data.get("plate") or ""), str(data.get("plate_reason") or "")
    if priority and not raw_plate.strip() and not reason.strip():
        reason = _("优先通行，未停车")  # one tap: the plate is not read
    try:
        return plates.clean(raw_plate, reason)
    except InvalidInput as exc:
        errors.update(exc.fields)
        return "", ""


def _origin(data: dict[str, Any], errors: Errors) -> str:
    given = str(data.get("origin") or "").strip()
    if not given:
        return ""
    code = divisions.normalise(given) or ""
    if not code:
        errors["origin"] = [_("始发地须为行政区划代码（如 420100 武汉市）。")]
    return code


def clean_check(checkpoint: Checkpoint, data: dict[str, Any]) -> CleanCheck:
    """The check ``data`` as recorded, or ``InvalidInput`` naming every bad field."""
    errors: Errors = {}
    priority = str(data.get("priority") or "")
    if priority not in Priority.values:
        errors["priority"] = [_("未知优先通行类型。")]
    plate, plate_reason = _plate(priority, data, errors)
    vehicle_type = str(data.get("vehicle_type") or VehicleType.CAR)
    if vehicle_type not in VehicleType.values:
        errors["vehicle_type"] = [_("未知车辆类型。")]
    direction = people_rules.spaced(data.get("direction"))
    if direction and checkpoint.directions and direction not in checkpoint.directions:
        errors["direction"] = [_("方向须为：%(d)s。") % {"d": "、".join(checkpoint.directions)}]
    origin_code = _origin(data, errors)
    raw_occupants = list(data.get("occupants") or [])
    if len(raw_occupants) > MAX_OCCUPANTS:
        errors["occupants"] = [_("一辆车最多登记 %(n)s 人。") % {"n": MAX_OCCUPANTS}]
        raw_occupants = []
    if not raw_occupants and not priority:
        errors["occupants"] = [_("请至少登记一名车上人员（优先通行车辆除外）。")]
    district = checkpoint.region_code[:6]
    occupants = [clean_occupant(i, o or {}, district, errors) for i, o in enumerate(raw_occupants)]
    if errors:
        raise InvalidInput("invalid_check", _("请检查标出的项目。"), errors)
    return CleanCheck(
        plate=plate,
        plate_reason=plate_reason,
        vehicle_type=vehicle_type,
        direction=direction,
        origin_code=origin_code,
        origin_text=str(data.get("origin_text") or "")[:100],
        destination=people_rules.spaced(data.get("destination"))[:100],
        priority=priority,
        occupants=[o for o in occupants if o is not None],
    )
