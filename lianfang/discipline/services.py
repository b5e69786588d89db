"""Writes on the clue register: registering a clue (a transfer, a visit or letter, a confidential
tip-off), proposing its disposition, a leader approving it (never the proposer: two people),
and the steps after. Every change goes through ``workflow.target`` (409 when not allowed)
inside one transaction that locks the clue, and leaves an event."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core import sql, workdays
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.discipline import casework, rules, secrecy, selectors, workflow
from lianfang.discipline.models import (
    Clue,
    ClueEvent,
    Disposition,
    Kind,
    NumberSequence,
    ReplyHow,
    RevealRequest,
    RevealState,
    Source,
    State,
)
from lianfang.discipline.permissions import APPROVE, HANDLE

INQUIRY_WORKDAYS = 15  # a written inquiry is answered within 15 working days
ACK_WORKDAYS = 10  # a real-name reporter is told of acceptance within 10 working days


def _forbidden() -> PermissionDeniedError:
    return PermissionDeniedError("forbidden", _("您无权办理该线索。"))


def _number(region_code: str, at: datetime) -> str:
    year = timezone.localdate(at).year
    n = sql.increment(NumberSequence, {"region_code": region_code, "year": year}, "last")
    return f"{year}-{region_code}-{n:04d}"


def _event(
    clue: Clue,
    action: str,
    actor: Actor | None,
    note: str,
    from_state: str,
    to_state: str,
    at: datetime,
) -> None:
    ClueEvent.objects.create(
        clue=clue,
        region_code=clue.region_code,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor.user_id if actor else None,
        actor_label="" if actor and actor.user_id else _("系统"),
        at=at,
        note_enc=secrecy.seal(note, secrecy.NOTE),
    )


def new_clue(
    *,
    kind: Kind,
    source: str,
    region_code: str,
    facts: str,
    reporter: tuple[str, str],
    at: datetime,
    actor: Actor | None,
    **fields: Any,
) -> Clue:
    clue = Clue(
        number=_number(region_code, at),
        region_code=region_code,
        source=source,
        kind=kind,
        kind_code=kind.code,
        facts_enc=secrecy.seal(facts, secrecy.FACTS),
        reporter_enc=secrecy.seal_reporter(*reporter),
        received_at=at,
        dispose_due_at=at + timedelta(hours=kind.dispose_hours),
        ack_due_on=workdays.add_workdays(timezone.localdate(at), ACK_WORKDAYS)
        if any(reporter)
        else None,
        registered_by_id=actor.user_id if actor else None,
        **fields,
    )
    clue.save(force_insert=True)
    _event(clue, "register", actor, str(Source(source).label), "", State.REGISTERED, at)
    return clue


FORWARD_WORKDAYS = 5  # a clue about a cadre a higher level manages goes up within 5 working days
OFFICE_ROLES = ("discipline_officer", "discipline_leader")


def _subject_account(clean: rules.CleanClue, offices: set[str]) -> tuple[int | None, str]:
    """The subject's account when the form names one, looked up only among the officials the
    actor's offices supervise."""
    from lianfang.accounts import selectors as accounts

    if not clean.subject_username:
        return None, ""
    found = accounts.official_in(clean.subject_username, offices)
    if found is None:
        msg = _("本机关管辖范围内没有这个账号。")
        raise InvalidInput("invalid_clue", _("请检查标出的项目。"), {"subject_username": [msg]})
    return found


def handling_office(region_code: str, subject_id: int | None) -> tuple[str, str]:
    """(office, note): a clue about a member of the office itself goes to the level above (a
    sub-district's to the district's); at the district another member handles it, and the
    subject never sees it (``selectors.visible``)."""
    from lianfang.accounts import selectors as accounts

    if subject_id is None or subject_id not in accounts.office_members(region_code, OFFICE_ROLES):
        return region_code, ""
    if len(region_code) > 6:
        return region_code[:6], _("被反映人为本机关人员，按回避规定由上一级办理。")
    return region_code, _("被反映人为本机关人员，按回避规定由其他人员办理，本人不可见。")


@transaction.atomic
def clue_register(*, actor: Actor, data: dict[str, Any], now: datetime | None = None) -> Clue:
    """A clue transferred by a unit (with the reason) or brought in person or by letter."""
    offices = {code for code, _name in selectors.offices(actor)}
    clean = rules.clean_clue(data, selectors.kinds_in_force(), offices)
    if not actor.can(HANDLE, clean.region_code):
        raise _forbidden()
    subject_id, subject_full_name = _subject_account(clean, offices)
    region_code, conflict = handling_office(clean.region_code, subject_id)
    at = now or timezone.now()
    clue = new_clue(
        kind=clean.kind,
        source=clean.source,
        region_code=region_code,
        facts=clean.facts,
        reporter=(clean.reporter_name, clean.reporter_phone),
        at=at,
        actor=actor,
        subject_name=clean.subject_name or subject_full_name,
        subject_post=clean.subject_post,
        subject_unit=clean.subject_unit,
        subject_user_id=subject_id,
        transfer_reason=clean.transfer_reason,
        higher_managed=clean.higher_managed,
        forward_due_on=workdays.add_workdays(timezone.localdate(at), FORWARD_WORKDAYS)
        if clean.higher_managed
        else None,
    )
    if conflict:
        note_event(clue, conflict, at)
    return clue


def note_event(clue: Clue, note: str, at: datetime) -> None:
    """A note by the system on the clue's timeline (a conflict's routing, say)."""
    _event(clue, "note", None, note, clue.state, clue.state, at)


def _kind_for(name: str, kinds: dict[str, Kind]) -> Kind:
    """The tip-off form's kind of violation, by its name; "other" when it names none."""
    name = name.strip()
    for kind in kinds.values():
        if name and (kind.name == name or kind.name.startswith(name) or name in kind.name):
            return kind
    return kinds.get("other") or next(iter(kinds.values()))


def clues_from_tipoffs(now: datetime | None = None) -> int:
    """Take every confidential tip-off not yet in the register (their work orders keep the
    reporter's two-way channel). Idempotent: a work order becomes one clue, however often this
    runs, and two runs at once insert it once."""
    from lianfang.cases import selectors as cases

    now = now or timezone.now()
    kinds = selectors.kinds_in_force()
    taken = set(Clue.objects.exclude(work_order_id=None).values_list("work_order_id", flat=True))
    made = 0
    for tip in cases.confidential_intake(exclude=taken):
        try:
            with transaction.atomic():
                new_clue(
                    kind=_kind_for(str(tip["extra"].get("kind", "")), kinds),
                    source=Source.TIPOFF,
                    region_code=tip["region_code"],
                    facts=tip["text"],
                    reporter=(tip["reporter_name"], tip["reporter_phone"]),
                    at=tip["received_at"],
                    actor=None,
                    work_order_id=tip["id"],
                )
        except IntegrityError:
            continue  # taken by a run at the same moment
        made += 1
    return made


def _locked(clue: Clue) -> Clue:
    return Clue.objects.select_related("kind").select_for_update().get(pk=clue.pk)


def _move(clue: Clue, action: str, actor: Actor, note: str, now: datetime, **changes: Any) -> Clue:
    before = clue.state
    clue.state = workflow.target(action, before, clue.proposal)
    for name, value in changes.items():
        setattr(clue, name, value)
    clue.version += 1
    clue.save()
    _event(clue, action, actor, note, before, clue.state, now)
    return clue


def _required(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()[:2000]
    if not text:
        raise InvalidInput("note_required", message, {field: [message]})
    return text


@transaction.atomic
def clue_propose(
    *, actor: Actor, clue: Clue, disposition: str, reason: Any, now: datetime | None = None
) -> Clue:
    """提出处置意见: one of the four ways, with the reason, for a leader to approve."""
    clue = _locked(clue)
    if not actor.can(HANDLE, clue.region_code):
        raise _forbidden()
    if disposition not in Disposition.values:
        msg = _("请选择处置方式。")
        raise InvalidInput("invalid_disposition", msg, {"disposition": [msg]})
    workflow.target("propose", clue.state)
    reason = _required(reason, "reason", _("请写明处置意见的理由。"))
    label = str(Disposition(disposition).label)
    return _move(
        clue,
        "propose",
        actor,
        f"{label}：{reason}",
        now or timezone.now(),
        proposal=disposition,
        proposed_by_id=actor.user_id,
    )


@transaction.atomic
def clue_approve(*, actor: Actor, clue: Clue, note: Any = "", now: datetime | None = None) -> Clue:
    """审批同意: a leader of the office, never the one who proposed it."""
    clue = _locked(clue)
    if not actor.can(APPROVE, clue.region_code):
        raise _forbidden()
    workflow.target("approve", clue.state, clue.proposal or Disposition.CLOSE)
    if clue.proposed_by_id is not None and clue.proposed_by_id == actor.user_id:
        raise PermissionDeniedError("own_proposal", _("不能审批本人提出的处置意见。"))
    now = now or timezone.now()
    changes: dict[str, Any] = {"disposition": clue.proposal, "disposed_at": now}
    if clue.proposal == Disposition.INQUIRY:
        changes["inquiry_due_on"] = workdays.add_workdays(timezone.localdate(now), INQUIRY_WORKDAYS)
    if clue.proposal == Disposition.CLOSE:
        changes["closed_at"] = now
    return _move(clue, "approve", actor, str(note or "").strip()[:2000], now, **changes)


@transaction.atomic
def clue_reject(*, actor: Actor, clue: Clue, reason: Any, now: datetime | None = None) -> Clue:
    """审批不同意: back to the handler, with the reason."""
    clue = _locked(clue)
    if not actor.can(APPROVE, clue.region_code):
        raise _forbidden()
    workflow.target("reject", clue.state)
    reason = _required(reason, "reason", _("退回须说明理由。"))
    return _move(clue, "reject", actor, reason, now or timezone.now(), proposal="")


STEPS = {"inquiry_close", "inquiry_verify", "verify_close", "open_case"}


@transaction.atomic
def clue_step(
    *, actor: Actor, clue: Clue, action: str, note: Any, now: datetime | None = None
) -> Clue:
    """The steps after the disposition: a written inquiry's outcome, a verification's finding,
    opening a case (a leader), forwarding to the level with jurisdiction. Each with its note."""
    if action not in STEPS:
        raise InvalidInput("invalid_action", _("未知的办理步骤。"))
    clue = _locked(clue)
    needed = APPROVE if action == "open_case" else HANDLE
    if not actor.can(needed, clue.region_code):
        raise _forbidden()
    workflow.target(action, clue.state)
    note = _required(note, "note", _("请写明办理情况。"))
    now = now or timezone.now()
    closed = {"closed_at": now} if action in ("inquiry_close", "verify_close") else {}
    clue = _move(clue, action, actor, note, now, **closed)
    if action == "open_case":
        casework.case_open(clue, actor, now)
    return clue


@transaction.atomic
def clue_forward(
    *, actor: Actor, clue: Clue, to: Any, note: Any, now: datetime | None = None
) -> Clue:
    """移交: to the organ with jurisdiction. The content goes with the papers; the record keeps
    only the forwarding (to whom, when, by whom), so the facts and the reporter are not kept
    here after it."""
    clue = _locked(clue)
    if not actor.can(HANDLE, clue.region_code):
        raise _forbidden()
    workflow.target("forward", clue.state)
    to = " ".join(str(to or "").split())[:60]
    if not to:
        msg = _("请写明接收的机关（如：兰州市纪委监委）。")
        raise InvalidInput("note_required", msg, {"to": [msg]})
    note = str(note or "").strip()[:2000]
    now = now or timezone.now()
    kept = _("内容已随件移交%(to)s，本机关不再留存。") % {"to": to}
    return _move(
        clue,
        "forward",
        actor,
        f"{to}{'：' + note if note else ''}",
        now,
        forwarded_to=to,
        facts_enc=secrecy.seal(kept, secrecy.FACTS),
        reporter_enc="",
        closed_at=now,
    )


@transaction.atomic
def clue_tell_reporter(
    *, actor: Actor, clue: Clue, what: str, how: Any, note: Any, now: datetime | None = None
) -> Clue:
    """A real-name reporter told of acceptance (within 10 working days) or of the result (once
    the clue is closed): how and what, as an event; the reporter's identity is never written."""
    clue = _locked(clue)
    if not actor.can(HANDLE, clue.region_code):
        raise _forbidden()
    if not clue.reporter_enc:
        raise InvalidInput("anonymous", _("该线索不是实名反映，无须告知。"))
    now = now or timezone.now()
    if what == "acknowledge":
        if clue.acknowledged_on is not None:
            raise Conflict("told", _("已告知过受理情况。"))
        field = "acknowledged_on"
    elif what == "inform_result":
        if clue.state != State.CLOSED:
            raise Conflict("not_closed", _("线索办结后才能告知办理结果。"))
        if clue.result_informed_on is not None:
            raise Conflict("told", _("已告知过办理结果。"))
        field = "result_informed_on"
    else:
        raise InvalidInput("invalid_action", _("未知的办理步骤。"))
    how = str(how or "")
    if how not in ReplyHow.values:
        msg = _("请选择告知方式。")
        raise InvalidInput("invalid_how", msg, {"how": [msg]})
    text = (
        f"{ReplyHow(how).label}{'：' + str(note).strip()[:2000] if str(note or '').strip() else ''}"
    )
    setattr(clue, field, timezone.localdate(now))
    clue.version += 1
    clue.save()
    _event(clue, what, actor, text, clue.state, clue.state, now)
    return clue


def clues_overdue_mark(now: datetime | None = None) -> int:
    """Clues not disposed of by their time, and inquiries not answered by theirs, are marked
    overdue once (the register and the leader's queue show them). Idempotent: a scheduler
    that was down marks each once when it comes back."""
    now = now or timezone.now()
    late = Clue.objects.filter(overdue=False).filter(
        Q(state__in=[State.REGISTERED, State.PROPOSED], dispose_due_at__lt=now)
        | Q(state=State.INQUIRY, inquiry_due_on__lt=timezone.localdate(now))
        | Q(state=State.CASE, case__due_on__lt=timezone.localdate(now))
        | Q(state=State.REGISTERED, forward_due_on__lt=timezone.localdate(now))
        | Q(
            state__in=workflow.OPEN,
            ack_due_on__lt=timezone.localdate(now),
            acknowledged_on=None,
        )
    )
    marked = 0
    for clue in late:
        with transaction.atomic():
            if Clue.objects.filter(pk=clue.pk, overdue=False).update(overdue=True):
                _event(clue, "overdue", None, "", clue.state, clue.state, now)
                marked += 1
    return marked


# --- the reporter's identity (the custodian rule) ---------------------------------------------


@transaction.atomic
def reveal_ask(
    *, actor: Actor, clue: Clue, purpose: Any, now: datetime | None = None
) -> RevealRequest:
    """Ask to see who reported the clue, saying why; a leader decides."""
    clue = _locked(clue)
    if not actor.can(HANDLE, clue.region_code):
        raise _forbidden()
    if not clue.reporter_enc:
        raise InvalidInput("anonymous", _("该线索为匿名反映，没有可查看的身份。"))
    purpose = _required(purpose, "purpose", _("请说明查看反映人身份的用途。"))
    if clue.reveals.filter(requested_by_id=actor.user_id, state=RevealState.ASKED).exists():
        raise Conflict("reveal_pending", _("您的申请正在等待审批。"))
    now = now or timezone.now()
    request = RevealRequest.objects.create(
        clue=clue, region_code=clue.region_code, requested_by_id=actor.staff_id, purpose=purpose
    )
    _event(clue, "reveal_ask", actor, purpose, clue.state, clue.state, now)
    return request


@transaction.atomic
def reveal_decide(
    *, actor: Actor, request: RevealRequest, approve: bool, now: datetime | None = None
) -> RevealRequest:
    """A leader of the office approves or refuses; never their own request."""
    request = RevealRequest.objects.select_for_update().select_related("clue").get(pk=request.pk)
    if not actor.can(APPROVE, request.region_code):
        raise _forbidden()
    if request.requested_by_id == actor.user_id:
        raise PermissionDeniedError("own_request", _("不能审批本人的查看申请。"))
    if request.state != RevealState.ASKED:
        raise Conflict("reveal_decided", _("该申请已经审批过了。"))
    now = now or timezone.now()
    request.state = RevealState.APPROVED if approve else RevealState.REFUSED
    request.decided_by_id, request.decided_at = actor.user_id, now
    request.save()
    clue = request.clue
    note = str(RevealState(request.state).label)
    _event(clue, "reveal_decide", actor, note, clue.state, clue.state, now)
    return request


@transaction.atomic
def reveal_read(
    *, actor: Actor, request: RevealRequest, now: datetime | None = None
) -> dict[str, Any]:
    """The reporter's name and phone, once, for the requester of an approved request. The
    access log records that it happened and why, never whom it revealed."""
    from lianfang.core.access import log_access

    request = RevealRequest.objects.select_for_update().select_related("clue").get(pk=request.pk)
    if request.requested_by_id != actor.user_id or not actor.can(HANDLE, request.region_code):
        raise _forbidden()
    if request.state != RevealState.APPROVED or request.read_at is not None:
        raise Conflict("reveal_not_open", _("没有可查看的已批准申请（每次批准只能查看一次）。"))
    now = now or timezone.now()
    request.read_at = now
    request.save(update_fields=["read_at"])
    log_access(
        actor=actor,
        action="reveal_reporter",
        object_type="discipline_clue",
        object_id=str(request.clue_id),
        region_code=request.region_code,
        purpose=request.purpose,
    )
    clue = request.clue
    _event(clue, "reveal", actor, "", clue.state, clue.state, now)
    return secrecy.open_reporter(clue.reporter_enc)
