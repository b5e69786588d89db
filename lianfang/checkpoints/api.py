# No ``from __future__ import annotations``: django-ninja reads real annotations.
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Query, Router, Schema, Status

from lianfang.checkpoints import selectors, services
from lianfang.checkpoints.models import Handover, VehicleCheck
from lianfang.checkpoints.permissions import CHECK, RECEIVE, VIEW_CHECKPOINTS
from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.scoping import ActorRequest

router = Router(tags=["checkpoints"])
CONFLICT = {409: ErrorOut}


class CheckpointOut(Schema):
    id: int
    name: str
    region_code: str
    directions: list[str]
    open_shift_id: int | None = None


@router.get(
    "/checkpoints",
    auth=AUTH,
    response={200: list[CheckpointOut], **ERRORS},
    summary="The checkpoints the caller works at (or oversees)",
)
@api_requires(VIEW_CHECKPOINTS)
def list_checkpoints(request: ActorRequest) -> list[CheckpointOut]:
    out = []
    for cp, shift in selectors.checkpoints_with_open_shift(request.actor):
        out.append(
            CheckpointOut(
                id=cp.pk,
                name=cp.name,
                region_code=cp.region_code,
                directions=cp.directions,
                open_shift_id=shift.pk if shift else None,
            )
        )
    return out


class OccupantIn(Schema):
    full_name: str = ""
    id_number: str = ""
    id_reason: str = ""
    phone: str = ""
    temperature: Decimal | None = None
    health_code: str = ""
    symptoms: list[str] = []
    outcome: str = ""
    destination_region_code: str = ""
    address: str = ""


class CheckIn(Schema):
    plate: str = ""
    plate_reason: str = ""
    vehicle_type: str = "car"
    direction: str = ""
    origin: str = ""
    origin_text: str = ""
    destination: str = ""
    priority: str = ""
    client_key: str = ""
    occupants: list[OccupantIn] = []


class OccupantOut(Schema):
    seq: int
    name: str
    id_number: str  # masked
    temperature: Decimal | None = None
    fever: bool
    outcome: str
    handover_id: uuid.UUID | None = None


class HandoverRef(Schema):
    id: uuid.UUID
    region_code: str
    routed: bool


class CheckOut(Schema):
    id: uuid.UUID
    checkpoint_id: int
    shift_id: int
    plate: str
    key_area: bool
    priority: str
    checked_at: datetime
    created: bool
    occupants: list[OccupantOut]
    handovers: list[HandoverRef]


def _check_out(check: VehicleCheck, created: bool) -> CheckOut:
    if created:  # what was just written: no query
        occupants = list(check.recorded_occupants)
        handovers = {h.occupant_id: h for h in check.recorded_handovers}
    else:
        occupants = list(check.occupants.all())
        handovers = {h.occupant_id: h for h in Handover.objects.filter(occupant__in=occupants)}
    return CheckOut(
        id=check.pk,
        checkpoint_id=check.checkpoint_id,
        shift_id=check.shift_id,
        plate=check.plate,
        key_area=check.key_area,
        priority=check.priority,
        checked_at=check.checked_at,
        created=created,
        occupants=[
            OccupantOut(
                seq=o.seq,
                name=o.full_name,
                id_number=o.id_number_masked,
                temperature=o.temperature,
                fever=o.fever,
                outcome=o.outcome,
                handover_id=handovers[o.pk].pk if o.pk in handovers else None,
            )
            for o in occupants
        ],
        handovers=[
            HandoverRef(id=h.pk, region_code=h.region_code, routed=h.routed)
            for h in handovers.values()
        ],
    )


@router.post(
    "/checkpoints/{checkpoint_id}/checks",
    auth=AUTH,
    response={200: CheckOut, 201: CheckOut, **ERRORS, **CONFLICT},
    summary="Record a vehicle and its occupants (idempotent by client_key)",
)
@api_requires(CHECK)
def record_check(request: ActorRequest, checkpoint_id: int, payload: CheckIn) -> Status[Any]:
    actor = request.actor
    cp = selectors.checkpoint(actor, checkpoint_id)
    data = payload.dict()
    client_key = data.pop("client_key")
    check, created = services.record_check(
        actor=actor, checkpoint=cp, data=data, client_key=client_key
    )
    return Status(201 if created else 200, _check_out(check, created))


class HandoverOut(Schema):
    id: uuid.UUID
    region_code: str
    routed: bool
    status: str
    level: str
    overdue: bool
    name: str
    phone: str  # masked
    address: str
    checkpoint: str
    plate: str
    created_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None = None
    result: str
    note: str


def _handover_out(h: Handover) -> HandoverOut:
    from django.utils import timezone

    return HandoverOut(
        id=h.pk,
        region_code=h.region_code,
        routed=h.routed,
        status=h.status,
        level=h.level,
        overdue=h.status == "pending" and h.due_at <= timezone.now(),
        name=h.occupant.full_name,
        phone=h.occupant.phone_masked,
        address=h.occupant.address,
        checkpoint=h.checkpoint.name,
        plate=h.occupant.check_record.plate,
        created_at=h.created_at,
        due_at=h.due_at,
        acknowledged_at=h.acknowledged_at,
        result=h.result,
        note=h.note,
    )


class HandoverFilter(Schema):
    status: str = ""


@router.get(
    "/handovers",
    auth=AUTH,
    response={200: list[HandoverOut], **ERRORS},
    summary="Hand-overs to the caller's communities (or created by the calling officer)",
)
@api_requires(RECEIVE)
def list_handovers(request: ActorRequest, filters: Query[HandoverFilter]) -> list[HandoverOut]:
    qs = selectors.handovers(request.actor, status=filters.status)
    return [_handover_out(h) for h in qs[:500]]


class AckIn(Schema):
    result: str
    note: str = ""


@router.post(
    "/handovers/{handover_id}/acknowledge",
    auth=AUTH,
    response={200: HandoverOut, **ERRORS, **CONFLICT},
    summary="Acknowledge a hand-over: contacted, at_home, address_confirmed or not_found",
)
@api_requires(RECEIVE)
def acknowledge(request: ActorRequest, handover_id: uuid.UUID, payload: AckIn) -> HandoverOut:
    actor = request.actor
    h = selectors.handover_for_receiver(actor, handover_id)
    h = services.acknowledge(actor=actor, handover=h, result=payload.result, note=payload.note)
    return _handover_out(selectors.handover_for_receiver(actor, h.pk))
