"""Transfer reads: the transfers sent from or to the actor's territory, those waiting for them,
what a side may see of the person and whether it may withdraw."""

from __future__ import annotations

from django.db.models import QuerySet

from lianfang.core.scoping import Actor
from lianfang.people.models import Transfer, TransferStatus
from lianfang.people.permissions import REGISTER, VIEW_PEOPLE
from lianfang.regions.models import Region


def can_cancel(actor: Actor, transfer: Transfer) -> bool:
    """The proposer's side may withdraw: the sender a pending transfer, the requester a request."""
    if transfer.status == TransferStatus.REQUESTED:
        return actor.can(REGISTER, transfer.to_region_code)
    return transfer.status == TransferStatus.PENDING and actor.can(
        REGISTER, transfer.from_region_code
    )


def shows_person(actor: Actor, transfer: Transfer) -> bool:
    """Whether the actor may see who is moved and from where: the holder always, a receiver once
    the holder agreed (a request not agreed to shows only the masked document)."""
    if actor.can(VIEW_PEOPLE, transfer.from_region_code) or not transfer.requested:
        return True
    return transfer.status in (TransferStatus.PENDING, TransferStatus.ACCEPTED)


def visible(actor: Actor) -> QuerySet[Transfer]:
    """Transfers sent from or to the actor's territory: both sides keep the history."""
    sent = actor.scope_q(REGISTER, "from_region_code")
    received = actor.scope_q(REGISTER, "to_region_code")
    if sent is None or received is None:
        return Transfer.objects.none()
    return (
        Transfer.objects.filter(sent | received).select_related("person").order_by("-proposed_at")
    )


def incoming(actor: Actor) -> QuerySet[Transfer]:
    q = actor.scope_q(REGISTER, "to_region_code")
    if q is None:
        return Transfer.objects.none()
    return Transfer.objects.filter(q, status=TransferStatus.PENDING).select_related("person")


def receiving_buildings(transfers: list[Transfer]) -> dict[str, list[tuple[str, str]]]:
    """The active buildings (code, name) of each receiving community, in one query for all the
    transfers listed (the receiver picks one when accepting)."""
    out: dict[str, list[tuple[str, str]]] = {t.to_region_code: [] for t in transfers}
    rows = (
        Region.objects.filter(parent__code__in=list(out), is_active=True)
        .order_by("code")
        .values_list("parent__code", "code", "name")
    )
    for parent, code, name in rows:
        out[parent].append((code, name))
    return out


def requests_to_agree(actor: Actor) -> QuerySet[Transfer]:
    """Requests from other communities for persons the actor's territory holds."""
    q = actor.scope_q(REGISTER, "from_region_code")
    if q is None:
        return Transfer.objects.none()
    return Transfer.objects.filter(q, status=TransferStatus.REQUESTED).select_related("person")
