"""Transfers between communities (a person moves): the sender proposes, the receiving community
accepts — the person moves there, keeping their history, and the sender loses access — or refuses
with a reason. A community that finds a document registered elsewhere requests a transfer by the
document alone; the holding community agrees (it becomes a pending transfer) or refuses, and the
requester learns nothing about the person until it agrees. These are the writes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.people import services
from lianfang.people.models import Person, Transfer, TransferStatus
from lianfang.people.permissions import REGISTER
from lianfang.regions.models import Level, Region


@transaction.atomic
def transfer_propose(
    *, actor: Actor, person: Person, to_community_code: str, reason: str
) -> Transfer:
    if not actor.can(REGISTER, person.region_code):
        raise PermissionDeniedError("forbidden", _("您无权转出该人员。"))
    target = Region.objects.filter(
        code=to_community_code, level=Level.COMMUNITY, is_active=True
    ).first()
    if target is None:
        msg = _("接收社区不存在或已停用。")
        raise InvalidInput("unknown_community", msg, {"to_community_code": [msg]})
    if person.region_code.startswith(target.code):
        msg = _("该人员已在此社区。")
        raise InvalidInput("same_community", msg, {"to_community_code": [msg]})
    if not (reason or "").strip():
        raise InvalidInput(
            "reason_required", _("请填写转出原因。"), {"reason": [_("请填写转出原因。")]}
        )
    if Transfer.objects.filter(person=person, status=TransferStatus.PENDING).exists():
        raise Conflict("transfer_pending", _("该人员已有待接收的转移。"))
    return Transfer.objects.create(
        person=person,
        from_region_code=person.region_code,
        to_region_code=target.code,
        reason=reason.strip()[:200],
        proposed_by_id=actor.staff_id,
    )


@transaction.atomic
def transfer_request(
    *, actor: Actor, doc_type: str, id_number: str, region_code: str, reason: str
) -> Transfer:
    """Ask the community holding this document to transfer the person into the community of
    ``region_code`` (a building or community of the actor's)."""
    errors: dict[str, list[str]] = {}
    number, _gender, _birth = services.clean_document(doc_type, id_number, errors, [])
    region = services.home_region(actor, region_code, errors)
    if not (reason or "").strip():
        errors["reason"] = [_("请填写转入原因。")]
    if errors:
        raise InvalidInput("invalid_request", _("请检查填写内容。"), errors)
    assert region is not None
    person = services.find_existing(doc_type, number)
    if person is None:
        msg = _("该证件号码尚未登记，请直接登记。")
        raise InvalidInput("not_registered", msg, {"id_number": [msg]})
    if actor.can(REGISTER, person.region_code):
        msg = _("该人员已在您的辖区，无须申请转入。")
        raise InvalidInput("already_in_scope", msg, {"id_number": [msg]})
    community = region.code[:12]
    if person.region_code.startswith(community):
        msg = _("该人员已在本社区登记，请联系社区工作人员。")
        raise InvalidInput("same_community", msg, {"id_number": [msg]})
    if Transfer.objects.filter(
        person=person, status__in=(TransferStatus.PENDING, TransferStatus.REQUESTED)
    ).exists():
        raise Conflict("transfer_pending", _("该人员已有待处理的转移。"))
    return Transfer.objects.create(
        person=person,
        from_region_code=person.region_code,
        to_region_code=community,
        reason=reason.strip()[:200],
        proposed_by_id=actor.staff_id,
        status=TransferStatus.REQUESTED,
        requested=True,
    )


def _pending(
    actor: Actor, transfer: Transfer, side: str, status: str = TransferStatus.PENDING
) -> Transfer:
    transfer = Transfer.objects.select_for_update().select_related("person").get(pk=transfer.pk)
    code = transfer.to_region_code if side == "receiver" else transfer.from_region_code
    if not actor.can(REGISTER, code):
        raise PermissionDeniedError("forbidden", _("您无权处理该转移。"))
    if transfer.status != status:
        raise InvalidInput("already_decided", _("该转移已处理。"))
    return transfer


@transaction.atomic
def transfer_agree(*, actor: Actor, transfer: Transfer) -> Transfer:
    """The holding community agrees to a request: it becomes a transfer the requester accepts."""
    transfer = _pending(actor, transfer, "sender", TransferStatus.REQUESTED)
    transfer.status = TransferStatus.PENDING
    transfer.save(update_fields=["status"])
    return transfer


@transaction.atomic
def transfer_decline(*, actor: Actor, transfer: Transfer, note: str) -> Transfer:
    """The holding community refuses a request (the requester sees the note, not the person)."""
    transfer = _pending(actor, transfer, "sender", TransferStatus.REQUESTED)
    return _decide(actor, transfer, TransferStatus.REFUSED, note, required=True)


def _decide(
    actor: Actor, transfer: Transfer, status: str, note: str = "", *, required: bool = False
) -> Transfer:
    if required and not (note or "").strip():
        raise InvalidInput(
            "reason_required", _("请填写拒收理由。"), {"note": [_("请填写拒收理由。")]}
        )
    transfer.status = status
    transfer.decision_note = (note or "").strip()[:200]
    transfer.decided_by_id = actor.staff_id
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    return transfer


@transaction.atomic
def transfer_accept(
    *, actor: Actor, transfer: Transfer, region_code: str, address: str = ""
) -> Person:
    """The receiving community takes the person into one of its buildings (or the community)."""
    transfer = _pending(actor, transfer, "receiver")
    if not region_code.startswith(transfer.to_region_code):
        msg = _("请选择本社区的楼栋。")
        raise InvalidInput("outside_community", msg, {"region_code": [msg]})
    errors: dict[str, list[str]] = {}
    region = services.home_region(actor, region_code, errors)
    if region is None:
        raise InvalidInput("invalid_region", _("请检查填写内容。"), errors)
    person = services.relocate(
        person=transfer.person,
        region=region,
        address=address,
        reason=_("转入：%(r)s") % {"r": transfer.reason},
        by_id=actor.user_id,
    )
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by_id = actor.staff_id
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    return person


@transaction.atomic
def transfer_refuse(*, actor: Actor, transfer: Transfer, note: str) -> Transfer:
    transfer = _pending(actor, transfer, "receiver")
    return _decide(actor, transfer, TransferStatus.REFUSED, note, required=True)


@transaction.atomic
def transfer_cancel(*, actor: Actor, transfer: Transfer) -> Transfer:
    """The proposer withdraws: the sender a transfer, the requesting community its request."""
    if transfer.status == TransferStatus.REQUESTED:
        transfer = _pending(actor, transfer, "receiver", TransferStatus.REQUESTED)
    else:
        transfer = _pending(actor, transfer, "sender")
    return _decide(actor, transfer, TransferStatus.CANCELLED)
