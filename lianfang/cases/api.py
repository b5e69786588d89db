# No ``from __future__ import annotations``: django-ninja reads real annotations.
import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from lianfang.cases import public_views, selectors, services
from lianfang.cases.models import Channel, MessageDirection, WorkOrder
from lianfang.cases.permissions import DISPATCH, INTAKE
from lianfang.core import crypto, ratelimit
from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.clientaddr import client_address
from lianfang.core.errors import InvalidInput
from lianfang.core.permissions import AUTHENTICATED, PUBLIC
from lianfang.core.scoping import ActorRequest

router = Router(tags=["cases"])
PUBLIC_ERRORS = {422: ErrorOut, 429: ErrorOut}
CONFLICT = {409: ErrorOut}


class TipIn(Schema):
    category: str
    text: str
    place_code: str = ""
    place_text: str = ""
    happened_on: str = ""
    urgent: bool = False
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    website: str = ""  # the honeypot: people never fill it


class ReceiptOut(Schema):
    receipt: str
    check_code: str


@router.post(
    "/tips",
    auth=None,
    response={201: ReceiptOut, **PUBLIC_ERRORS},
    summary="Public tip-off (multipart; photos optional, JPEG/PNG, re-encoded without EXIF)",
)
@api_requires(PUBLIC)
def create_tip(
    request: ActorRequest,
    payload: Form[TipIn],
    photos: File[list[UploadedFile]] | None = None,
) -> Status[Any]:
    data = payload.dict()
    if data.pop("website"):
        raise InvalidInput("rejected", "提交未成功。")
    files = [f.read() for f in photos or []]
    receipt = public_views.submit_tip(data, files, client_address(request) or "-", Channel.WEB)
    return Status(201, ReceiptOut(receipt=receipt.receipt, check_code=receipt.check_code))


class CodesIn(Schema):
    receipt: str
    check_code: str


class ReplyOut(Schema):
    at: datetime
    text: str


class TipStatusOut(Schema):
    receipt: str
    category: str
    state: str
    state_label: str
    received_at: datetime
    done_at: datetime | None
    result: str
    replies: list[ReplyOut]


def _found(request: ActorRequest, payload: CodesIn) -> WorkOrder:
    ratelimit.charge(
        "tip-status",
        client_address(request) or "-",
        limit=public_views.LOOKUPS_PER_HOUR,
        window_seconds=3600,
        message="查询过于频繁，请稍后再试。",
    )
    order = selectors.public_status(payload.receipt, payload.check_code)
    if order is None:
        raise InvalidInput("not_found", "受理编号或查询码不正确。")
    return order


def _status_out(order: WorkOrder) -> TipStatusOut:
    return TipStatusOut(
        receipt=order.receipt,
        category=order.summary,
        state=order.state,
        state_label=str(order.get_state_display()),
        received_at=order.received_at,
        done_at=order.done_at,
        result=order.result,
        replies=[
            ReplyOut(at=m.at, text=crypto.decrypt(m.text_enc, selectors.MESSAGE_LABEL))
            for m in order.messages.filter(direction=MessageDirection.TO_REPORTER)
        ],
    )


@router.post(
    "/tips/status",
    auth=None,
    response={200: TipStatusOut, **PUBLIC_ERRORS},
    summary="A tip's state and public reply (codes in the body; a wrong code: 422, as unknown)",
)
@api_requires(PUBLIC)
def tip_status(request: ActorRequest, payload: CodesIn) -> TipStatusOut:
    return _status_out(_found(request, payload))


class MessageIn(CodesIn):
    text: str


@router.post(
    "/tips/messages",
    auth=None,
    response={201: TipStatusOut, **PUBLIC_ERRORS, **CONFLICT},
    summary="The reporter adds information under the same codes",
)
@api_requires(PUBLIC)
def tip_message(request: ActorRequest, payload: MessageIn) -> Status[Any]:
    with transaction.atomic():
        order = _found(request, payload)
        services.message_from_reporter(order=order, text=payload.text)
    return Status(201, _status_out(order))


# --- staff -----------------------------------------------------------------------------------


class OrderOut(Schema):
    id: uuid.UUID
    receipt: str
    category: str = Field(alias="category_code")
    category_name: str = Field(alias="summary")
    state: str
    channel: str
    handler: str
    region_code: str
    routed: bool
    urgent: bool
    received_at: datetime
    sign_due_at: datetime | None
    due_at: datetime | None
    overdue: bool
    result: str


class OrderDetailOut(OrderOut):
    text: str
    place_code: str
    place_text: str
    reply: str
    satisfaction: str
    reporter_known: bool  # whether a name or phone was left (revealed only with a purpose)


def _out(order: WorkOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "receipt": order.receipt,
        "category_code": order.category_code,
        "summary": order.summary,
        "state": order.state,
        "channel": order.channel,
        "handler": order.handler,
        "region_code": order.region_code,
        "routed": order.routed,
        "urgent": order.urgent,
        "received_at": order.received_at,
        "sign_due_at": order.sign_due_at,
        "due_at": order.due_at,
        "overdue": order.overdue,
        "result": order.result,
    }


class OrderFilter(Schema):
    state: str = ""
    category: str = ""
    region: str = ""


@router.get("/workorders", auth=AUTH, response={200: list[OrderOut], **ERRORS})
@api_requires(AUTHENTICATED)
@paginate(LimitOffsetPagination)
def list_orders(request: ActorRequest, filters: Query[OrderFilter]) -> Any:
    return selectors.search(request.actor, **filters.dict())


@router.get("/workorders/{order_id}", auth=AUTH, response={200: OrderDetailOut, **ERRORS})
@api_requires(AUTHENTICATED)
def get_order(request: ActorRequest, order_id: uuid.UUID) -> dict[str, Any]:
    order = selectors.get_order(request.actor, order_id)
    return _out(order) | {
        "text": selectors.text_of(order),
        "place_code": order.place_code,
        "place_text": selectors.place_of(order),
        "reply": order.reply,
        "satisfaction": order.satisfaction,
        "reporter_known": bool(order.reporter_name_enc or order.reporter_phone_enc),
    }


class DispatchIn(Schema):
    region_code: str


class ReasonIn(Schema):
    reason: str


class ReplyIn(Schema):
    result: str
    reply: str


class FollowupIn(Schema):
    satisfaction: str
    note: str = ""
    redo: bool = False


class MergeIn(Schema):
    into: uuid.UUID


ACTION = {200: OrderOut, **ERRORS, **CONFLICT}


def _order(request: ActorRequest, order_id: uuid.UUID) -> WorkOrder:
    return selectors.get_order(request.actor, order_id)


@router.post("/workorders/{order_id}/dispatch", auth=AUTH, response=ACTION)
@api_requires(DISPATCH)
def dispatch(request: ActorRequest, order_id: uuid.UUID, payload: DispatchIn) -> dict[str, Any]:
    order = services.order_dispatch(
        actor=request.actor, order=_order(request, order_id), region_code=payload.region_code
    )
    return _out(order)


@router.post("/workorders/{order_id}/accept", auth=AUTH, response=ACTION)
@api_requires(AUTHENTICATED)
def accept(request: ActorRequest, order_id: uuid.UUID) -> dict[str, Any]:
    return _out(services.order_accept(actor=request.actor, order=_order(request, order_id)))


@router.post("/workorders/{order_id}/return", auth=AUTH, response=ACTION)
@api_requires(AUTHENTICATED)
def return_order(request: ActorRequest, order_id: uuid.UUID, payload: ReasonIn) -> dict[str, Any]:
    order = services.order_return(
        actor=request.actor, order=_order(request, order_id), reason=payload.reason
    )
    return _out(order)


@router.post("/workorders/{order_id}/reply", auth=AUTH, response=ACTION)
@api_requires(AUTHENTICATED)
def reply(request: ActorRequest, order_id: uuid.UUID, payload: ReplyIn) -> dict[str, Any]:
    order = services.order_reply(
        actor=request.actor,
        order=_order(request, order_id),
        result=payload.result,
        reply=payload.reply,
    )
    return _out(order)


@router.post("/workorders/{order_id}/followup", auth=AUTH, response=ACTION)
@api_requires(INTAKE)
def followup(request: ActorRequest, order_id: uuid.UUID, payload: FollowupIn) -> dict[str, Any]:
    order = services.order_followup(
        actor=request.actor, order=_order(request, order_id), **payload.dict()
    )
    return _out(order)


@router.post("/workorders/{order_id}/merge", auth=AUTH, response=ACTION)
@api_requires(INTAKE)
def merge(request: ActorRequest, order_id: uuid.UUID, payload: MergeIn) -> dict[str, Any]:
    into = _order(request, payload.into)
    order = services.order_merge(actor=request.actor, order=_order(request, order_id), into=into)
    return _out(order)
