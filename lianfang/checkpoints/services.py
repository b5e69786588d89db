"""Writes at a checkpoint: shifts, vehicle checks with their occupants, hand-overs to the
destination community, acknowledgements and routing. Validation first (every bad field named at
once: ``plate``, ``occupants.2.id_number`` …), then one transaction; a check is idempotent by its
client key, so a flaky connection never records a car twice."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.checkpoints import fastsql
from lianfang.checkpoints.models import (
    AckResult,
    Checkpoint,
    DutyRole,
    Handover,
    HandoverLevel,
    HandoverPolicy,
    HandoverStatus,
    Occupant,
    Outcome,
    Shift,
    ShiftKind,
    ShiftMember,
    VehicleCheck,
)
from lianfang.checkpoints.permissions import CHECK, MANAGE, RECEIVE, ROUTE
from lianfang.checkpoints.rules import CleanCheck, CleanOccupant, clean_check
from lianfang.core import crypto
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.identity import mask_id, mask_phone
from lianfang.core.scoping import Actor, system_actor
from lianfang.people import selectors as people_selectors
from lianfang.regions import selectors as regions_selectors
from lianfang.regions.models import Level, Region

ID_LABEL = "checkpoint.id_number"
PHONE_LABEL = "checkpoint.phone"


def policy_for(day: date) -> HandoverPolicy:
    policy = (
        HandoverPolicy.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    )
    if policy is not None:
        return policy
    policy, _created = HandoverPolicy.objects.get_or_create(effective_from=date(2020, 1, 1))
    return policy


# --- sites and shifts ----------------------------------------------------------------------


def create_checkpoint(*, actor: Actor, data: dict[str, Any]) -> Checkpoint:
    region = Region.objects.filter(code=data.get("region_code") or "", is_active=True).first()
    errors: dict[str, list[str]] = {}
    if region is None or region.level != Level.COMMUNITY or not actor.can(MANAGE, region.code):
        errors["region_code"] = [_("卡口须设在本辖区内启用的社区（属地社区负责其日报告）。")]
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = [_("请填写卡口名称。")]
    directions = [d for d in (" ".join(str(x).split()) for x in data.get("directions") or []) if d]
    if not directions:
        errors["directions"] = [_("请至少填写一个检查方向。")]
    if errors:
        raise InvalidInput("invalid_checkpoint", _("请检查填写内容。"), errors)
    assert region is not None
    return Checkpoint.objects.create(
        name=name[:100],
        location=str(data.get("location") or "")[:200],
        directions=directions[:4],
        region=region,
        region_code=region.code,
        day_shift_start=data.get("day_shift_start") or time(8),
        night_shift_start=data.get("night_shift_start") or time(20),
    )


def shift_kind(checkpoint: Checkpoint, moment: datetime) -> str:
    t = timezone.localtime(moment).time()
    day = checkpoint.day_shift_start <= t < checkpoint.night_shift_start
    return ShiftKind.DAY if day else ShiftKind.NIGHT


def _require(actor: Actor, perm: str, code: str) -> None:
    if not actor.can(perm, code):
        raise PermissionDeniedError("forbidden", _("您不在该卡口执勤。"))


def open_shift(
    *,
    actor: Actor,
    checkpoint: Checkpoint,
    members: list[tuple[str, str]] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Shift:
    """Take over the checkpoint: the previous open shift (if any) is closed with this note, so
    the hand-over is one action and two shifts never overlap."""
    _require(actor, CHECK, checkpoint.region_code)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    clean_members = []
    for i, (name, duty) in enumerate(members or []):
        name = " ".join(str(name or "").split())[:50]
        if not name:
            continue
        if duty not in DutyRole.values:
            errors[f"members.{i}.duty"] = [_("未知岗位。")]
        clean_members.append((name, duty))
    if errors:
        raise InvalidInput("invalid_members", _("请检查执勤人员。"), errors)
    with transaction.atomic():
        previous = Shift.objects.select_for_update().filter(checkpoint=checkpoint, closed_at=None)
        for shift in previous:
            _close(shift, actor, note, now)
        shift = Shift.objects.create(
            checkpoint=checkpoint,
            region_code=checkpoint.region_code,
            kind=shift_kind(checkpoint, now),
            opened_at=now,
            opened_by_id=actor.user_id,
            open_note=(note or "")[:500],
        )
        ShiftMember.objects.bulk_create(
            ShiftMember(shift=shift, name=n, duty=d) for n, d in dict.fromkeys(clean_members)
        )
        if actor.user_id is not None:
            from django.contrib.auth import get_user_model

            me = (
                get_user_model()
                .objects.filter(pk=actor.user_id)
                .values_list("full_name", flat=True)
            )
            name = (me.first() or actor.username or "")[:50]
            if name and not shift.members.filter(name=name).exists():
                ShiftMember.objects.create(
                    shift=shift, user_id=actor.user_id, name=name, duty=DutyRole.OTHER
                )
    return shift


def _close(shift: Shift, actor: Actor, note: str, now: datetime) -> None:
    shift.closed_at = now
    shift.closed_by_id = actor.user_id
    shift.handover_note = (note or "")[:500]
    shift.save(update_fields=["closed_at", "closed_by", "handover_note"])


@transaction.atomic
def close_shift(*, actor: Actor, shift: Shift, note: str, now: datetime | None = None) -> Shift:
    _require(actor, CHECK, shift.region_code)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.closed_at is not None:
        raise Conflict(
            "shift_closed",
            _("该班次已于 %(at)s 交班。")
            % {"at": timezone.localtime(shift.closed_at).strftime("%m-%d %H:%M")},
        )
    note = " ".join((note or "").split())
    if not note:
        raise InvalidInput(
            "note_required", _("请填写交班说明。"), {"note": [_("请填写交班说明。")]}
        )
    _close(shift, actor, note, now or timezone.now())
    return shift


def _current_shift(actor: Actor, checkpoint: Checkpoint, now: datetime) -> Shift:
    """The open shift; an officer checking with none open opens one in the same action."""
    shift = Shift.objects.filter(checkpoint=checkpoint, closed_at=None).first()
    if shift is not None:
        return shift
    try:
        with transaction.atomic():
            return open_shift(actor=actor, checkpoint=checkpoint, note=_("检查时自动接班"), now=now)
    except IntegrityError:  # opened concurrently
        return Shift.objects.get(checkpoint=checkpoint, closed_at=None)


# --- checks ----------------------------------------------------------------------------------


def _route(district: str, occupant: CleanOccupant) -> Region | None:
    if occupant.destination is not None:
        return occupant.destination
    ref = regions_selectors.address_router(district).route(occupant.address)
    return Region.objects.filter(pk=ref.pk).first() if ref else None


def _registry_actor(code: str) -> Actor:
    """The registry writes a hand-over causes are the checkpoint's on behalf of the district:
    the officer never gets the registry role (they see only their own checks)."""
    return system_actor("checkpoint_handover", code)


def _register(
    checkpoint: Checkpoint, check: VehicleCheck, row: Occupant, o: CleanOccupant, now: datetime
) -> tuple[Region | None, Any, Any]:
    """Route the occupant to a community (or not) and, with a verified resident ID, register
    them there (linking an existing registry person) with a checkpoint registration."""
    from lianfang.people import services as people

    home = _route(checkpoint.region_code[:6], o)
    if home is None or o.doc_type != "resident_id":
        return home, None, None
    registry = _registry_actor(home.code[:12])
    try:
        person, _existing = people.register_person(
            actor=registry,
            require_phone=False,
            full_name=o.full_name,
            id_number=o.id_number,
            phone=o.phone,
            region_code=home.code,
            address=o.address,
        )
    except Conflict as exc:
        if exc.code != "registered_elsewhere":
            raise
        # Held by another community: the hand-over goes to the destination unlinked (it may
        # request a transfer), and the check neither fails nor says where the person is.
        return home, None, None
    registration = people.add_registration(
        actor=registry,
        person=person,
        source="checkpoint",
        origin=check.origin_code,
        arrival_date=timezone.localdate(now),
        transport="car" if check.vehicle_type in ("car", "van") else "other",
        transport_number=check.plate if not check.plate_reason else "",
        symptoms=o.symptoms,
        health_code=o.health_code,
    )
    row.person = person
    row.save(update_fields=["person"])
    return home, person, registration


def _hand_over(
    actor: Actor,
    checkpoint: Checkpoint,
    check: VehicleCheck,
    row: Occupant,
    o: CleanOccupant,
    now: datetime,
) -> Handover:
    home, person, registration = _register(checkpoint, check, row, o, now)
    policy = policy_for(timezone.localdate(now))
    return Handover.objects.create(
        occupant=row,
        person=person,
        registration=registration,
        checkpoint=checkpoint,
        region_code=home.code[:12] if home is not None else checkpoint.region_code[:6],
        routed=home is not None,
        created_by_id=actor.user_id,
        created_at=now,
        due_at=now + timedelta(minutes=policy.ack_minutes),
    )


def _existing(client_key: str, checkpoint: Checkpoint) -> VehicleCheck | None:
    existing = VehicleCheck.objects.filter(client_key=client_key).first()
    if existing is not None and existing.checkpoint_id != checkpoint.pk:
        raise Conflict("client_key_reused", _("该提交编号已用于其他卡口。"))
    return existing


def _check_row(
    actor: Actor,
    checkpoint: Checkpoint,
    clean: CleanCheck,
    client_key: str,
    key_area: bool,
    now: datetime,
) -> VehicleCheck:
    return VehicleCheck(
        id=uuid.uuid4(),
        checkpoint=checkpoint,
        region_code=checkpoint.region_code,
        plate=clean.plate,
        plate_reason=clean.plate_reason,
        vehicle_type=clean.vehicle_type,
        direction=clean.direction,
        origin_code=clean.origin_code,
        origin_text=clean.origin_text,
        destination=clean.destination,
        key_area=key_area,
        priority=clean.priority,
        occupant_count=len(clean.occupants),
        client_key=client_key or None,
        checked_by_id=actor.user_id,
        checked_at=now,
    )


def _occupant_row(check: VehicleCheck, o: CleanOccupant) -> Occupant:
    """The occupant as stored: document and phone encrypted, masked for lists."""
    return Occupant(
        check_record=check,
        region_code=check.region_code,
        seq=o.seq,
        full_name=o.full_name,
        doc_type=o.doc_type,
        id_number_enc=crypto.encrypt(o.id_number, ID_LABEL) if o.id_number else "",
        id_number_bidx=crypto.blind_index(o.id_number, ID_LABEL) if o.id_number else "",
        id_number_masked=mask_id(o.id_number) if o.doc_type == "resident_id" else "",
        id_reason=o.id_reason,
        phone_enc=crypto.encrypt(o.phone, PHONE_LABEL) if o.phone else "",
        phone_masked=mask_phone(o.phone) if o.phone else "",
        temperature=o.temperature,
        fever=o.fever,
        health_code=o.health_code,
        symptoms=o.symptoms,
        outcome=o.outcome,
        destination_region_code=o.destination.code if o.destination else "",
        address=o.address,
    )


def record_check(
    *,
    actor: Actor,
    checkpoint: Checkpoint,
    data: dict[str, Any],
    client_key: str = "",
    now: datetime | None = None,
) -> tuple[VehicleCheck, bool]:
    """Record one vehicle and its occupants; returns ``(check, created)``. A client key seen
    before returns the first check unchanged (found by the unique index when the insert
    conflicts: the common path costs no lookup). A new check carries ``recorded_occupants`` and
    ``recorded_handovers`` (what was written, so the answer needs no query)."""
    _require(actor, CHECK, checkpoint.region_code)
    client_key = (client_key or "").strip()[:64]
    try:
        clean = clean_check(checkpoint, data)
    except InvalidInput:
        found = _existing(client_key, checkpoint) if client_key else None
        if found is not None:  # a retry of a recorded vehicle whose form has since changed
            return found, False
        raise
    now = now or timezone.now()
    key_area = people_selectors.is_key_area_arrival(
        clean.origin_code,
        timezone.localdate(now),
        checkpoint.region_code,
        people_selectors.key_area_rules(),
    )
    check = _check_row(actor, checkpoint, clean, client_key, key_area, now)
    rows = [_occupant_row(check, o) for o in clean.occupants]
    handing_over = any(o.outcome == Outcome.HANDOVER for o in clean.occupants)
    try:
        if not handing_over and fastsql.vehicle_check_insert_on_open_shift(check, rows):
            check.recorded_occupants = rows
            check.recorded_handovers = []
            return check, True
        with transaction.atomic():
            shift_id = fastsql.open_shift_id(checkpoint.pk)
            if shift_id is None:
                shift_id = _current_shift(actor, checkpoint, now).pk
            check.shift_id = shift_id
            fastsql.vehicle_check_insert(check, rows)
            handovers = [
                _hand_over(actor, checkpoint, check, row, o, now)
                for row, o in zip(rows, clean.occupants, strict=True)
                if o.outcome == Outcome.HANDOVER
            ]
    except IntegrityError:
        found = _existing(client_key, checkpoint) if client_key else None
        if found is not None:  # the same submission again (a retry, or a race with itself)
            return found, False
        raise
    check.recorded_occupants = rows
    check.recorded_handovers = handovers
    return check, True


# --- hand-overs ------------------------------------------------------------------------------


@transaction.atomic
def acknowledge(
    *, actor: Actor, handover: Handover, result: str, note: str = "", now: datetime | None = None
) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if not actor.can(RECEIVE, handover.region_code) or not handover.routed:
        raise PermissionDeniedError("forbidden", _("该人员未移交给您的辖区。"))
    if handover.status == HandoverStatus.ACKNOWLEDGED:
        raise Conflict(
            "already_acknowledged",
            _("该移交已于 %(at)s 确认接收。")
            % {"at": timezone.localtime(handover.acknowledged_at).strftime("%m-%d %H:%M")},
        )
    note = " ".join((note or "").split())[:500]
    if result not in AckResult.values:
        raise InvalidInput(
            "invalid_result", _("请选择接收结果。"), {"result": [_("请选择接收结果。")]}
        )
    if result == AckResult.NOT_FOUND and not note:
        msg = _("未找到时请写明联系经过（电话、上门的时间和结果）。")
        raise InvalidInput("note_required", msg, {"note": [msg]})
    handover.status = HandoverStatus.ACKNOWLEDGED
    handover.result = result
    handover.note = note
    handover.acknowledged_at = now or timezone.now()
    handover.acknowledged_by_id = actor.user_id
    handover.save(update_fields=["status", "result", "note", "acknowledged_at", "acknowledged_by"])
    return handover


@transaction.atomic
def route(*, actor: Actor, handover: Handover, region_code: str) -> Handover:
    """A hand-over whose address named no community: the district (or sub-district) assigns it;
    the person is registered there and the deadline starts again."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.routed or not actor.can(ROUTE, handover.region_code):
        raise PermissionDeniedError("forbidden", _("该移交无需分派或不在您的辖区。"))
    target = Region.objects.filter(code=region_code, is_active=True).first()
    if (
        target is None
        or target.level not in (Level.COMMUNITY, Level.BUILDING)
        or not actor.can(ROUTE, target.code)
    ):
        msg = _("请选择本辖区内启用的社区或楼栋。")
        raise InvalidInput("invalid_region", msg, {"region_code": [msg]})
    occupant = handover.occupant
    check = occupant.check_record
    clean = CleanOccupant(
        seq=occupant.seq,
        full_name=occupant.full_name,
        doc_type=occupant.doc_type,
        id_number=crypto.decrypt(occupant.id_number_enc, ID_LABEL)
        if occupant.id_number_enc
        else "",
        id_reason=occupant.id_reason,
        phone=crypto.decrypt(occupant.phone_enc, PHONE_LABEL) if occupant.phone_enc else "",
        temperature=occupant.temperature,
        fever=occupant.fever,
        health_code=occupant.health_code,
        symptoms=occupant.symptoms,
        outcome=occupant.outcome,
        destination=target,
        address=occupant.address,
    )
    now = timezone.now()
    occupant.destination_region_code = target.code
    occupant.save(update_fields=["destination_region_code"])
    _home, person, registration = _register(check.checkpoint, check, occupant, clean, now)
    handover.region_code = target.code[:12]
    handover.routed = True
    handover.person = person
    handover.registration = registration
    handover.level = HandoverLevel.COMMUNITY
    handover.due_at = now + timedelta(minutes=policy_for(timezone.localdate(now)).ack_minutes)
    handover.save()
    return handover
