"""Writes on work orders: intake (web, hotline, check-in help), dispatch, sign, return, handle,
reply, follow up, redo, close, merge, extensions, messages and the overdue marking. Every state
change goes through ``workflow.target`` (409 when not allowed) inside one transaction that locks
the order, and leaves an event."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.cases import codes, fastsql, rules, selectors, workflow
from lianfang.cases.models import (
    Category,
    Channel,
    Extension,
    ExtensionState,
    Handler,
    Message,
    MessageDirection,
    Result,
    Satisfaction,
    State,
    WorkOrder,
    WorkOrderEvent,
)
from lianfang.cases.permissions import HANDLE_DISCIPLINE, REVEAL_REPORTER
from lianfang.cases.rules import CleanTip, clean_reply, required_note
from lianfang.cases.selectors import (
    MESSAGE_LABEL,
    NAME_LABEL,
    PHONE_LABEL,
    PLACE_LABEL,
    TEXT_LABEL,
)
from lianfang.core import crypto, ratelimit, workdays
from lianfang.core.access import log_access
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.identity import mask_name, mask_phone
from lianfang.core.scoping import Actor

S = State


@dataclass(frozen=True)
class Receipt:
    order: WorkOrder
    receipt: str
    check_code: str  # shown once to the reporter; only its hash is kept


# --- routing and deadlines -------------------------------------------------------------------


def route(category: Category, place_code: str, district: str) -> tuple[str, str, bool]:
    """``(handler, region code, routed)``: the unit is the category's handler at the place's
    level (community, sub-district, district). A place that names no region at that level
    leaves the order in the dispatch queue of the nearest known region above."""
    handler = category.handler
    if handler in (Handler.DISCIPLINE, Handler.INTAKE):
        return handler, district, True
    if handler == Handler.COMMUNITY:
        if len(place_code) >= 12:  # a building stays a building: its grid worker sees it too
            return handler, place_code, True
        return handler, place_code[:9] if len(place_code) >= 9 else district, False
    if len(place_code) >= 9:
        return handler, place_code[:9], True
    return handler, district, False


def _deadlines(order: WorkOrder, start: datetime) -> None:
    category = order.category
    order.sign_due_at = start + timedelta(hours=category.sign_hours)
    if order.urgent:
        order.due_at = start + timedelta(hours=category.urgent_hours)
    else:
        order.due_at = workdays.deadline(start, category.limit, category.limit_unit)


# --- events and transitions ------------------------------------------------------------------


def _event_values(
    order: WorkOrder,
    action: str,
    actor: Actor | None,
    note: str,
    from_state: str,
    to_state: str,
    at: datetime,
) -> dict[str, Any]:
    return {
        "region_code": order.region_code,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "actor": actor.user_id if actor else None,
        "actor_label": (actor.username if actor and actor.user_id is None else "")[:60],
        "at": at,
        "note": note,
    }


def _event_row(
    order: WorkOrder,
    action: str,
    actor: Actor | None,
    note: str,
    from_state: str,
    to_state: str,
    at: datetime,
) -> WorkOrderEvent:
    values = _event_values(order, action, actor, note, from_state, to_state, at)
    values["actor_id"] = values.pop("actor")
    return WorkOrderEvent(order=order, **values)


def _event(
    order: WorkOrder,
    action: str,
    actor: Actor | None,
    note: str = "",
    from_state: str = "",
    to_state: str = "",
    at: datetime | None = None,
) -> WorkOrderEvent:
    row = _event_row(order, action, actor, note, from_state, to_state, at or timezone.now())
    row.save(force_insert=True)
    return row


def _locked(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_related("category").select_for_update().get(pk=order.pk)


def _move(
    order: WorkOrder, action: str, actor: Actor | None, note: str, now: datetime, **changes: Any
) -> WorkOrder:
    """Apply ``action`` to a locked order: the table decides the new state."""
    before = order.state
    order.state = workflow.target(action, before)
    for name, value in changes.items():
        setattr(order, name, value)
    order.version += 1
    order.save()
    _event(order, action, actor, note, before, order.state, now)
    return order


def _forbidden() -> PermissionDeniedError:
    return PermissionDeniedError("forbidden", _("该工单不由您办理。"))


def _require_handler(actor: Actor, order: WorkOrder) -> None:
    if not selectors.may_handle(actor, order):
        raise _forbidden()


def _require_dispatcher(actor: Actor, order: WorkOrder) -> None:
    if not selectors.may_dispatch(actor, order):
        raise _forbidden()


def _require_intake(actor: Actor, order: WorkOrder) -> None:
    if not selectors.may_intake(actor, order):
        raise _forbidden()


# --- intake ----------------------------------------------------------------------------------


def _place(clean: CleanTip, district: str) -> str:
    """The chosen region, or the community or building the free-text place names (the address
    router the import and the checkpoints use), or ""."""
    if not clean.place_text or len(clean.place_code) == 15:
        return clean.place_code
    from lianfang.regions import selectors as regions_selectors
    from lianfang.regions.models import Region

    text = clean.place_text
    if clean.place_code:  # a community chosen: its building may be named in the detail
        community = Region.objects.filter(code=clean.place_code).values_list("name", flat=True)
        text = f"{community.first() or ''}{text}"
    ref = regions_selectors.address_router(district).route(text)
    if ref and (not clean.place_code or ref.code.startswith(clean.place_code)):
        return ref.code
    return clean.place_code


def _new_order(clean: CleanTip, channel: str, district: str, now: datetime) -> WorkOrder:
    category = clean.category
    place_code = _place(clean, district)
    handler, region_code, routed = route(category, place_code, district)
    order = WorkOrder(
        category=category,
        category_code=category.code,
        confidential=category.confidential,
        epidemic_lead=category.epidemic_lead,
        channel=channel,
        urgent=clean.urgent,
        handler=handler,
        region_code=region_code,
        routed=False,
        place_code=place_code,
        place_enc=crypto.encrypt(clean.place_text, PLACE_LABEL) if clean.place_text else "",
        text_enc=crypto.encrypt(clean.text, TEXT_LABEL),
        summary=category.name[:60],
        happened_on=clean.happened_on,
        extra=clean.extra,
        anonymous=clean.anonymous,
        received_at=now,
    )
    if clean.name:
        order.reporter_name_enc = crypto.encrypt(clean.name, NAME_LABEL)
        order.reporter_name_masked = mask_name(clean.name)
    if clean.phone:
        order.reporter_phone_enc = crypto.encrypt(clean.phone, PHONE_LABEL)
        order.reporter_phone_bidx = crypto.blind_index(clean.phone, PHONE_LABEL)
        order.reporter_phone_masked = mask_phone(clean.phone)
    order.routed = routed  # applied by the dispatch below, after the receipt exists
    return order


def _insert_with_receipt(
    order: WorkOrder, events: list[dict[str, Any]], limit: ratelimit.Limit | None, now: datetime
) -> str:
    """Insert with a fresh receipt: the day and six random digits (read out over the phone as
    12345 receipts are; guessing one opens nothing without its check code), another drawn on
    the rare collision (the insert skips a taken receipt instead of failing: no savepoint)."""
    day = timezone.localdate(order.received_at).strftime("%Y%m%d")
    for attempt in range(8):
        order.receipt = f"{day}{secrets.randbelow(1_000_000):06d}"
        if fastsql.intake_insert(order, events, limit if attempt == 0 else None, now):
            return order.receipt
    raise Conflict("receipt_exhausted", _("受理编号生成失败，请重试。"))


def tip_receive(
    *,
    clean: CleanTip,
    channel: str,
    district: str,
    actor: Actor | None = None,
    observation_id: Any = None,
    photos: list[tuple[bytes, int, int]] | None = None,
    now: datetime | None = None,
    check: tuple[str, str] | None = None,
    limit: ratelimit.Limit | None = None,
) -> Receipt:
    """Receive one tip as a work order: a receipt code and a check code for the reporter (the
    check code's hash only is kept); routed at once when the category and place name the unit,
    else left in the dispatch queue. ``photos``: already re-encoded (``photos.reencode``);
    ``check``: the check code and its hash (the demo passes its one code for all its orders,
    ADR 0017); ``limit``: the submitter's rate limit, charged by the insert itself (429 with
    nothing of the order written). All but the writes happens before them: on SQLite the
    writing transaction holds the database's write lock."""
    now = now or timezone.now()
    order = _new_order(clean, channel, district, now)
    dispatch = order.routed and order.handler != Handler.INTAKE
    order.routed = dispatch
    order.observation_id = observation_id
    order.received_by_id = actor.user_id if actor else None
    check_code, order.check_hash = check or codes.new_check()
    label = str(Channel(channel).label)
    events = [_event_values(order, "receive", actor, label, "", S.RECEIVED, now)]
    if dispatch:  # inserted dispatched: one row written, not a row and an update
        _deadlines(order, now)
        order.state, order.dispatched_at, order.version = S.DISPATCHED, now, 1
        note = _("按类别和地点自动派单")
        events.append(_event_values(order, "dispatch", None, note, S.RECEIVED, S.DISPATCHED, now))
    if not photos:
        receipt = _insert_with_receipt(order, events, limit, now)
        return Receipt(order=order, receipt=receipt, check_code=check_code)
    from lianfang.cases.models import Photo

    with transaction.atomic():
        receipt = _insert_with_receipt(order, events, limit, now)
        for content, width, height in photos:
            Photo.objects.create(order=order, content=content, width=width, height=height, at=now)
    return Receipt(order=order, receipt=receipt, check_code=check_code)


def _dispatch_locked(
    order: WorkOrder, actor: Actor | None, region_code: str, note: str, now: datetime
) -> WorkOrder:
    order.region_code = region_code
    _deadlines(order, now)
    return _move(order, "dispatch", actor, note, now, routed=True, dispatched_at=now)


# --- the dispatcher --------------------------------------------------------------------------


@transaction.atomic
def order_dispatch(
    *, actor: Actor, order: WorkOrder, region_code: str, now: datetime | None = None
) -> WorkOrder:
    """Send an order from the dispatch queue to a unit: a region at the handler's level inside
    the dispatcher's territory."""
    from lianfang.regions.models import Region

    order = _locked(order)
    _require_dispatcher(actor, order)
    workflow.target("dispatch", order.state)
    community = order.handler == Handler.COMMUNITY
    lengths = (12, 15) if community else (9,)
    region = Region.objects.filter(code=region_code, is_active=True).first()
    if (
        region is None
        or len(region.code) not in lengths
        or not selectors.may_dispatch_to(actor, order, region.code)
    ):
        msg = _("请选择本辖区内启用的社区。") if community else _("请选择本辖区内启用的街道。")
        raise InvalidInput("invalid_region", msg, {"region_code": [msg]})
    return _dispatch_locked(order, actor, region.code, "", now or timezone.now())


@transaction.atomic
def order_return(
    *, actor: Actor, order: WorkOrder, reason: str, now: datetime | None = None
) -> WorkOrder:
    """退单: the unit sends a wrongly routed order back to the dispatcher, with a reason; it
    waits in the dispatch queue of the region above."""
    order = _locked(order)
    _require_handler(actor, order)
    reason = required_note(reason, "reason", _("退单须说明理由（如：不属本社区、地址有误）。"))
    queue = order.region_code[:9] if len(order.region_code) > 9 else order.region_code[:6]
    return _move(
        order,
        "return",
        actor,
        reason,
        now or timezone.now(),
        routed=False,
        region_code=queue,
        returned_count=order.returned_count + 1,
        sign_due_at=None,
        due_at=None,
    )


# --- the handling unit -----------------------------------------------------------------------


@transaction.atomic
def order_accept(*, actor: Actor, order: WorkOrder, now: datetime | None = None) -> WorkOrder:
    """签收: the unit takes the order on."""
    order = _locked(order)
    _require_handler(actor, order)
    now = now or timezone.now()
    return _move(order, "accept", actor, "", now, accepted_at=now)


@transaction.atomic
def order_start(
    *, actor: Actor, order: WorkOrder, note: str, now: datetime | None = None
) -> WorkOrder:
    order = _locked(order)
    _require_handler(actor, order)
    note = required_note(note, "note", _("请填写办理情况。"))
    return _move(order, "start", actor, note, now or timezone.now())


@transaction.atomic
def order_note(*, actor: Actor, order: WorkOrder, note: str, now: datetime | None = None) -> None:
    """A handling note without a change of state (a call made, a visit arranged)."""
    order = _locked(order)
    _require_handler(actor, order)
    if order.state not in workflow.OPEN:
        raise Conflict("order_not_open", _("该工单已办结，不能再添加办理记录。"))
    _event(order, "note", actor, required_note(note, "note", _("请填写办理情况。")), at=now)


HANDLER_RESULTS = [
    Result.SOLVED,
    Result.EXPLAINED,
    Result.REGISTERED,
    Result.NOT_TRUE,
    Result.NOT_FOUND,
    Result.REFERRED,
]


@transaction.atomic
def order_reply(
    *,
    actor: Actor,
    order: WorkOrder,
    result: str,
    reply: str,
    now: datetime | None = None,
) -> WorkOrder:
    """办结: the result and the reply the reporter reads (it must name nobody)."""
    order = _locked(order)
    _require_handler(actor, order)
    result, reply = clean_reply(result, reply, [str(r) for r in HANDLER_RESULTS])
    now = now or timezone.now()
    workflow.target("reply", order.state)
    _message(order, MessageDirection.TO_REPORTER, reply, actor, now)
    return _move(order, "reply", actor, reply, now, result=result, reply=reply, done_at=now)


# --- the hotline -----------------------------------------------------------------------------


@transaction.atomic
def order_answer(
    *, actor: Actor, order: WorkOrder, reply: str, now: datetime | None = None
) -> WorkOrder:
    """A question answered during the call: done at once."""
    order = _locked(order)
    _require_intake(actor, order)
    _result, reply = clean_reply(Result.EXPLAINED, reply, [Result.EXPLAINED])
    now = now or timezone.now()
    workflow.target("answer", order.state)
    _message(order, MessageDirection.TO_REPORTER, reply, actor, now)
    return _move(
        order, "answer", actor, reply, now, result=Result.EXPLAINED, reply=reply, done_at=now
    )


@transaction.atomic
def order_followup(
    *,
    actor: Actor,
    order: WorkOrder,
    satisfaction: str,
    note: str = "",
    redo: bool = False,
    now: datetime | None = None,
) -> WorkOrder:
    """回访: the operator calls the reporter back. Unsatisfied for a reason the unit can fix
    (``redo``) sends the order back to the unit (重办) with a new deadline."""
    order = _locked(order)
    _require_intake(actor, order)
    if satisfaction not in Satisfaction.values:
        msg = _("请选择回访结果。")
        raise InvalidInput("invalid_satisfaction", msg, {"satisfaction": [msg]})
    now = now or timezone.now()
    note = " ".join(str(note or "").split())[:1000]
    if redo:
        if satisfaction != Satisfaction.UNSATISFIED:
            msg = _("只有不满意的工单才能重办。")
            raise InvalidInput("redo_needs_unsatisfied", msg, {"redo": [msg]})
        note = required_note(note, "note", _("重办须写明不满意的原因和要求。"))
        workflow.target("redo", order.state)
        _deadlines(order, now)
        return _move(
            order,
            "redo",
            actor,
            note,
            now,
            satisfaction=satisfaction,
            followed_up_at=now,
            redo_count=order.redo_count + 1,
            done_at=None,
            result="",
            reply="",  # the earlier reply stays in the messages; the page shows the redo
            overdue=False,
        )
    return _move(order, "followup", actor, note, now, satisfaction=satisfaction, followed_up_at=now)


@transaction.atomic
def order_close(*, actor: Actor, order: WorkOrder, now: datetime | None = None) -> WorkOrder:
    """归档: after the follow-up; an order without a phone to call back is closed when done."""
    order = _locked(order)
    _require_intake(actor, order)
    if order.state == State.DONE and order.reporter_phone_enc:
        raise Conflict("followup_first", _("请先回访举报人，再归档。"))
    now = now or timezone.now()
    return _move(order, "close", actor, "", now, closed_at=now)


@transaction.atomic
def order_merge(
    *, actor: Actor, order: WorkOrder, into: WorkOrder, now: datetime | None = None
) -> WorkOrder:
    """A repeat call: ``order`` becomes a 重复件 of ``into`` (its reporter then follows
    ``into``'s state and reply under their own codes). Both are locked in one order, so two
    operators merging at once find the second merge refused (409)."""
    if order.pk == into.pk:
        raise InvalidInput("merge_self", _("不能与自身合并。"), {"into": [_("不能与自身合并。")]})
    first, second = sorted([order.pk, into.pk], key=str)
    locked = {
        o.pk: o
        for o in WorkOrder.objects.select_related("category")
        .select_for_update()
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    order, into = locked[order.pk], locked[into.pk]
    _require_intake(actor, order)
    _require_intake(actor, into)
    if into.state in (State.MERGED, State.CLOSED):
        raise Conflict("merge_target_closed", _("目标工单已归档或本身是重复件。"))
    now = now or timezone.now()
    _event(into, "note", actor, _("合并重复件 %(r)s") % {"r": order.receipt}, at=now)
    # What the repeat caller said reaches the unit on the kept order, as added information.
    repeat = _("（重复来电 %(r)s）%(text)s") % {
        "r": order.receipt,
        "text": crypto.decrypt(order.text_enc, TEXT_LABEL),
    }
    _message(into, MessageDirection.FROM_REPORTER, repeat, actor, now)
    return _move(order, "merge", actor, into.receipt, now, merged_into=into)


# --- extensions ------------------------------------------------------------------------------


@transaction.atomic
def extension_ask(
    *, actor: Actor, order: WorkOrder, until: datetime, reason: str, now: datetime | None = None
) -> Extension:
    """The unit asks for a later deadline before the current one passes."""
    order = _locked(order)
    _require_handler(actor, order)
    now = now or timezone.now()
    if order.state not in (State.ACCEPTED, State.IN_PROGRESS):
        raise Conflict("not_in_hand", _("签收后、办结前才能申请延期。"))
    if order.due_at is None or now >= order.due_at:
        raise Conflict("deadline_passed", _("办理期限已过，不能再申请延期。"))
    reason = required_note(reason, "reason", _("请写明延期理由。"))
    if until <= order.due_at:
        msg = _("延期后的期限须晚于原期限。")
        raise InvalidInput("until_not_later", msg, {"until": [msg]})
    if order.extensions.filter(state=ExtensionState.PENDING).exists():
        raise Conflict("extension_pending", _("已有待审批的延期申请。"))
    extension = Extension.objects.create(
        order=order, until=until, reason=reason, asked_by_id=actor.staff_id, asked_at=now
    )
    _event(order, "extension_ask", actor, reason, at=now)
    return extension


@transaction.atomic
def extension_decide(
    *,
    actor: Actor,
    extension: Extension,
    approve: bool,
    note: str = "",
    now: datetime | None = None,
) -> Extension:
    """The dispatcher approves (the deadline moves; the reporter is told) or refuses."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    order = _locked(extension.order)
    _require_dispatcher(actor, order)
    if extension.state != ExtensionState.PENDING:
        raise Conflict("extension_decided", _("该延期申请已审批。"))
    now = now or timezone.now()
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by_id = actor.staff_id
    extension.decided_at = now
    extension.note = " ".join(str(note or "").split())[:500]
    extension.save()
    if approve:
        order.due_at = extension.until
        order.overdue = False
        order.version += 1
        order.save(update_fields=["due_at", "overdue", "version"])
        local = timezone.localtime(extension.until).strftime("%Y-%m-%d %H:%M")
        _message(
            order,
            MessageDirection.TO_REPORTER,
            _("办理期限已延长至 %(at)s。") % {"at": local},
            actor,
            now,
        )
    _event(order, "extension_decide", actor, str(extension.get_state_display()), at=now)
    return extension


# --- messages and the reporter ---------------------------------------------------------------


def _message(
    order: WorkOrder, direction: str, text: str, actor: Actor | None, now: datetime
) -> Message:
    return Message.objects.create(
        order=order,
        direction=direction,
        text_enc=crypto.encrypt(text, MESSAGE_LABEL),
        at=now,
        actor_id=actor.user_id if actor else None,
    )


@transaction.atomic
def message_from_reporter(*, order: WorkOrder, text: str, now: datetime | None = None) -> Message:
    """More information from the reporter (after ``selectors.public_status`` found the order)."""
    order = _locked(order)
    text = " ".join(str(text or "").split())
    if not 2 <= len(text) <= 1000:
        msg = _("补充内容须为 2 到 1000 个字。")
        raise InvalidInput("invalid_text", msg, {"text": [msg]})
    if order.state in (State.CLOSED, State.MERGED):
        raise Conflict("order_closed", _("该工单已归档，如有新情况请重新反映。"))
    now = now or timezone.now()
    last = order.messages.filter(direction=MessageDirection.FROM_REPORTER).order_by("-at").first()
    if (
        last is not None
        and now - last.at < timedelta(minutes=30)
        and crypto.decrypt(last.text_enc, MESSAGE_LABEL) == text
    ):
        return last  # the same words again (a page reloaded and sent twice): kept once
    _event(order, "message_in", None, "", at=now)
    return _message(order, MessageDirection.FROM_REPORTER, text, None, now)


@transaction.atomic
def message_to_reporter(
    *, actor: Actor, order: WorkOrder, text: str, now: datetime | None = None
) -> Message:
    order = _locked(order)
    if not (selectors.may_handle(actor, order) or selectors.may_intake(actor, order)):
        raise _forbidden()
    text = required_note(text, "text", _("请填写要告知举报人的内容。"))
    if rules.names_contact(text):
        msg = _("告知内容会给反映人看到，不能含电话号码或身份证号。")
        raise InvalidInput("contact_in_text", msg, {"text": [msg]})
    now = now or timezone.now()
    _event(order, "message_out", actor, "", at=now)
    return _message(order, MessageDirection.TO_REPORTER, text, actor, now)


def reporter_reveal(*, actor: Actor, order: WorkOrder, purpose: str) -> dict[str, str]:
    """The reporter's name and phone, for the hotline or the command office (the discipline
    office for its own orders), after logging who and why. The handling unit never gets them."""
    allowed = (
        actor.can(HANDLE_DISCIPLINE, order.region_code)
        if order.confidential
        else actor.can(REVEAL_REPORTER, order.region_code)
        and not (
            order.handler != Handler.INTAKE
            and actor.can(selectors.HANDLER_PERMS[Handler(order.handler)], order.region_code)
        )
    )
    if not allowed:
        raise _forbidden()
    log_access(
        actor=actor,
        action="reveal_reporter",
        object_type="work_order",
        object_id=str(order.pk),
        region_code=order.region_code,
        purpose=purpose,
    )
    _event(order, "reveal", actor, purpose)
    name = crypto.decrypt(order.reporter_name_enc, NAME_LABEL) if order.reporter_name_enc else ""
    phone = (
        crypto.decrypt(order.reporter_phone_enc, PHONE_LABEL) if order.reporter_phone_enc else ""
    )
    return {"name": name, "phone": phone}


# --- deadlines passing -----------------------------------------------------------------------


HANDLER_ROLE = {
    Handler.COMMUNITY: "community_worker",
    Handler.SUBDISTRICT: "subdistrict_officer",
    Handler.SANITATION: "subdistrict_officer",
    Handler.MARKET: "sector_inspector",
    Handler.DISCIPLINE: "discipline_officer",
    Handler.INTAKE: "hotline_operator",
}


def overdue_mark(now: datetime | None = None) -> dict[str, int]:
    """Mark, once each, the orders not signed for in time and those not done in time, and tell
    the unit (催办) and the unit above (督办). Idempotent: a scheduler that was down marks them
    when it comes back, and only once."""
    now = now or timezone.now()
    late_sign = WorkOrder.objects.filter(
        state=State.DISPATCHED, overdue_sign=False, sign_due_at__lt=now
    ).values_list("pk", flat=True)
    signs = [o for pk in list(late_sign) if (o := _mark(pk, "overdue_sign", "sign_overdue", now))]
    late = WorkOrder.objects.filter(
        state__in=workflow.OPEN - {State.RECEIVED}, overdue=False, due_at__lt=now
    ).values_list("pk", flat=True)
    finishes = [o for pk in list(late) if (o := _mark(pk, "overdue", "overdue", now))]
    _notify_overdue(signs, _("【工单超时未签收】"))
    _notify_overdue(finishes, _("【工单超期催办】"))
    return {"sign": len(signs), "finish": len(finishes)}


@transaction.atomic
def _mark(pk: Any, flag: str, action: str, now: datetime) -> WorkOrder | None:
    order = WorkOrder.objects.select_for_update().get(pk=pk)
    if getattr(order, flag):
        return None
    setattr(order, flag, True)
    order.escalated_at = order.escalated_at or now
    order.save(update_fields=[flag, "escalated_at"])
    _event(order, action, None, "", at=now)
    return order


def _notify_overdue(orders: list[WorkOrder], title: str) -> None:
    """The unit's staff and, above it, the sub-district or command office (a confidential
    order's only to the discipline office). Receipt and category only: no personal data."""
    from lianfang.accounts import selectors as accounts_selectors
    from lianfang.core import notifications

    messages: list[notifications.Message] = []
    for order in orders:
        text = title + _("工单 %(r)s（%(c)s）已超过时限，请尽快办理。") % {
            "r": order.receipt,
            "c": order.summary,
        }
        unit = order.region_code[:12] if order.handler == Handler.COMMUNITY else order.region_code
        recipients = set(
            accounts_selectors.holders_by_region(HANDLER_ROLE[Handler(order.handler)], [unit]).get(
                unit, set()
            )
        )
        if not order.confidential:
            above, role = (
                (order.region_code[:9], "subdistrict_officer")
                if len(order.region_code) > 9
                else (order.region_code[:6], "command_office")
            )
            recipients |= accounts_selectors.holders_by_region(role, [above]).get(above, set())
        messages.extend(
            notifications.Message(kind="workorder.overdue", text=text, user_id=u, ref=str(order.pk))
            for u in sorted(recipients)
        )
    notifications.send(messages)


LEAD_REGISTERED_REPLY = "经核实，已按规定登记并落实防控措施。"


@transaction.atomic
def lead_register(
    *,
    actor: Actor,
    order: WorkOrder,
    person: dict[str, Any],
    screening: dict[str, Any],
    now: datetime | None = None,
) -> WorkOrder:
    """An epidemic lead verified at the door: the person is registered once (the registry's own
    validation and duplicate rules, source ``hotline``) and the order is done with a reply that
    names nobody. An order not yet signed for is signed in the same step."""
    from lianfang.people import services as people_services

    order = _locked(order)
    _require_handler(actor, order)
    if not order.epidemic_lead:
        raise Conflict("not_a_lead", _("只有疫情线索可以从工单登记人员。"))
    now = now or timezone.now()
    if order.state == State.DISPATCHED:
        _move(order, "accept", actor, "", now, accepted_at=now)
    workflow.target("reply", order.state)
    found, _existing, _registration = people_services.register_with_screening(
        actor=actor,
        person=person,
        screening={**screening, "source": "hotline"},
        require_phone=False,
    )
    reply = _(LEAD_REGISTERED_REPLY)
    _message(order, MessageDirection.TO_REPORTER, reply, actor, now)
    return _move(
        order,
        "reply",
        actor,
        reply,
        now,
        result=Result.REGISTERED,
        reply=reply,
        done_at=now,
        lead_person_id=found.pk,
    )


@transaction.atomic
def category_version_add(*, actor: Actor, code: str, data: dict[str, Any]) -> Category:
    """A new version of a category from a date (never an edit: orders keep theirs)."""
    from datetime import date as date_type

    from lianfang.cases.permissions import CONFIGURE

    if not actor.can(CONFIGURE):
        raise PermissionDeniedError("forbidden", _("只有区指挥部可以修改工单类别。"))
    current = (
        selectors.categories_in_force().get(code) or Category.objects.filter(code=code).first()
    )
    if current is None:
        raise InvalidInput("unknown_category", _("未知类别。"), {"code": [_("未知类别。")]})
    errors: dict[str, list[str]] = {}
    name = " ".join(str(data.get("name") or "").split())
    if not name or len(name) > 50:
        errors["name"] = [_("请填写类别名称（最多 50 个字）。")]
    start = data.get("effective_from")
    if not isinstance(start, date_type) or start < timezone.localdate():
        errors["effective_from"] = [_("生效日期不能早于今天。")]
        start = None
    limits = {"sign_hours": 72, "limit": 60, "urgent_hours": 72}
    for field, top in limits.items():
        value = data.get(field)
        if not isinstance(value, int) or not 1 <= value <= top:
            errors[field] = [_("请填写 1 到 %(n)s 之间的整数。") % {"n": top}]
    if data.get("limit_unit") not in ("hours", "workdays"):
        errors["limit_unit"] = [_("请选择时限单位。")]
    if errors or start is None:
        raise InvalidInput("invalid_category", _("请检查标出的项目。"), errors)
    if Category.objects.filter(code=code, effective_from=start).exists():
        msg = _("该类别在这一天已有版本。")
        raise InvalidInput("version_exists", msg, {"effective_from": [msg]})
    transaction.on_commit(selectors.categories_changed)
    return Category.objects.create(
        code=code,
        name=name,
        handler=current.handler,
        sign_hours=data["sign_hours"],
        limit=data["limit"],
        limit_unit=data["limit_unit"],
        urgent_hours=data["urgent_hours"],
        confidential=current.confidential,
        epidemic_lead=current.epidemic_lead,
        fields=current.fields,
        order=current.order,
        is_active=bool(data.get("is_active", True)),
        effective_from=start,
        created_by_id=actor.user_id,
    )
