"""Monitoring pages: the community board, the grid worker's day, quarantine lists and details
with every action, alerts, referrals, exit requests. Thin: services do the work."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import xlsxwriter
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error
from lianfang.core.scoping import Actor, ActorRequest, get_visible_or_404
from lianfang.core.views import paginate, requires
from lianfang.monitoring import checks, referrals, release, selectors, services
from lianfang.monitoring.forms import (
    AdjustForm,
    CheckForm,
    CloseAlertForm,
    ContactForm,
    ContactRowForm,
    CorrectForm,
    DecideExitForm,
    ExitForm,
    ExposureForm,
    MemberReasonForm,
    OutcomeForm,
    ReasonForm,
    ReferForm,
    RoomForm,
    StartForm,
    TeamForm,
    TransferForm,
)
from lianfang.monitoring.models import (
    Alert,
    AlertKind,
    AlertStatus,
    CheckSource,
    ExitRequest,
    HealthCheck,
    Hospital,
    Kind,
    Observation,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
    Referral,
    Room,
    Site,
)
from lianfang.monitoring.permissions import (
    MANAGE_QUARANTINE,
    RECORD_CHECKS,
    REFER,
    VIEW_MONITORING,
)
from lianfang.people import selectors as people_selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(VIEW_MONITORING)
def board(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "monitoring/board.html",
        {
            "board": selectors.board(actor),
            "children": selectors.children_overview(actor),
            "trend": _trend_chart(selectors.trend(actor)),
            "review": selectors.quarantines(actor, ending="overdue")[:20],
            "can_check": actor.can(RECORD_CHECKS),
        },
    )


def _trend_chart(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "names": data["names"],
        "series": [
            {"name": str(_("观察中（人）")), "type": "line", "data": data["active"]},
            {"name": str(_("测温次数")), "type": "bar", "data": data["checks"]},
            {"name": str(_("发热")), "type": "bar", "data": data["fevers"]},
            {"name": str(_("解除")), "type": "bar", "data": data["released"]},
        ],
    }


@requires(RECORD_CHECKS)
def today(request: ActorRequest) -> HttpResponse:
    """The grid worker's phone page: who is due in which slot, who is missing, fevers."""
    actor = request.actor
    rows = selectors.today_list(actor, RECORD_CHECKS)
    show = request.GET.get("show", "")
    if show == "missing":
        rows = [r for r in rows if r.missing]
    elif show == "due":
        rows = [r for r in rows if any(s["state"] == "due" for s in r.slots)]
    elif show == "fever":
        rows = [r for r in rows if r.fever]
    return render(
        request,
        "monitoring/today.html",
        {"rows": rows, "show": show, "today": timezone.localdate()},
    )


@requires(VIEW_MONITORING)
def quarantine_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    # No name search here: names must not travel in URLs (the registry's search posts them).
    filters = {k: request.GET.get(k, "") for k in ("status", "kind", "region", "ending")}
    qs = selectors.quarantines(actor, **filters)
    if request.GET.get("export") == "xlsx":
        return _export(qs)
    page, query = paginate(request, qs)
    return render(
        request,
        "monitoring/quarantine_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": Kind.choices,
            "statuses": QuarantineStatus.choices,
            "can_release": filters["ending"] in ("today", "overdue")
            and actor.can(MANAGE_QUARANTINE),
        },
    )


@require_POST
@requires(MANAGE_QUARANTINE)
def bulk_release(request: ActorRequest) -> HttpResponse:
    released, problems = release.release_due(
        actor=request.actor, quarantine_ids=request.POST.getlist("quarantine")
    )
    messages.success(request, _("已解除 %(n)s 户的医学观察。") % {"n": released})
    for problem in problems[:20]:
        messages.warning(request, _("未解除：%(p)s") % {"p": problem})
    return redirect(f"{reverse('monitoring:list')}?ending=overdue")


def _export(qs: Any) -> HttpResponse:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("医学观察"))
    head = [
        _("姓名"),
        _("证件号码"),
        _("电话"),
        _("方式"),
        _("区划代码"),
        _("开始"),
        _("预计解除"),
        _("状态"),
    ]
    for c, h in enumerate(head):
        sheet.write_string(0, c, str(h))
    r = 1
    for q in qs:
        for m in q.members.all():
            values = [
                m.person.full_name,
                m.person.id_number_masked,
                m.person.phone_masked,
                q.get_kind_display(),
                q.region_code,
                str(q.start_date),
                str(q.end_date),
                m.get_status_display(),
            ]
            for c, v in enumerate(values):
                sheet.write_string(r, c, str(v))
            r += 1
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="quarantines.xlsx"'
    return response


@requires(MANAGE_QUARANTINE)
def start(request: ActorRequest, person_id: uuid.UUID) -> HttpResponse:
    """Start observation from a registry person: their household's members are offered too."""
    actor = request.actor
    person = people_selectors.get_person(actor, person_id)
    household = (
        list(person.household.members.filter(status="active").order_by("created_at"))
        if person.household is not None
        else [person]
    )
    people = [(str(p.pk), f"{p.full_name} {p.id_number_masked}") for p in household]
    sites = [
        (s.pk, s.name)
        for s in Site.objects.visible_to(actor, MANAGE_QUARANTINE).filter(is_active=True)
    ]
    initial = {"start_date": timezone.localdate(), "person_ids": [str(person.pk)]}
    form = StartForm(request.POST or None, people=people, sites=sites, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            q = services.start(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(exc, form)
        else:
            messages.success(request, _("已开始医学观察，预计 %(d)s 解除。") % {"d": q.end_date})
            return redirect("monitoring:detail", pk=q.pk)
    return render(
        request,
        "monitoring/start.html",
        {"form": form, "person": person, "category": people_selectors.latest_category(person)},
    )


def _members(q: Any, active_only: bool = True) -> list[tuple[str, str]]:
    qs = q.members.select_related("person").order_by("started_at")
    if active_only:
        qs = qs.filter(status=ObservationStatus.ACTIVE)
    return [(str(m.pk), m.person.full_name) for m in qs]


def _forms(request: ActorRequest, q: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    actor = request.actor
    members = _members(q)
    sites = [
        (s.pk, s.name)
        for s in Site.objects.visible_to(actor, MANAGE_QUARANTINE).filter(is_active=True)
    ]
    rooms = (
        [
            (r.pk, f"{r.number}（{r.beds}）")
            for r in Room.objects.filter(site_id=q.site_id, is_active=True)
        ]
        if q.site_id
        else []
    )
    hospitals = [(h.pk, h.name) for h in Hospital.objects.filter(is_active=True)]

    def bound(name: str) -> Any:
        return data if which == name else None

    team_initial = {k: getattr(q, f"{k}_id") for k in services.TEAM_ROLES}

    return {
        "adjust_form": AdjustForm(bound("adjust"), prefix="adjust"),
        "exposure_form": ExposureForm(bound("exposure"), prefix="exposure", members=members),
        "contact_form": ContactForm(bound("contact"), prefix="contact", members=members),
        "end_form": MemberReasonForm(bound("end"), prefix="end", members=members),
        "transfer_form": TransferForm(
            bound("transfer"), prefix="transfer", members=members, sites=sites
        ),
        "room_form": RoomForm(bound("room"), prefix="room", members=members, rooms=rooms),
        "refer_form": ReferForm(bound("refer"), prefix="refer", hospitals=hospitals),
        "release_form": ReasonForm(bound("release"), prefix="release"),
        "exit_form": ExitForm(bound("exit"), prefix="exit"),
        "check_form": CheckForm(bound("check"), prefix="check", symptoms=q.policy.symptoms),
        "correct_form": CorrectForm(bound("correct"), prefix="correct"),
        "team_form": TeamForm(
            bound("team"), prefix="team", people=_team_choices(q), initial=team_initial
        ),
    }


@requires(VIEW_MONITORING)
def detail(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.quarantine(request.actor, pk))


def _detail(
    request: ActorRequest, q: Any, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    members = list(q.members.select_related("person", "room").order_by("started_at"))
    today_day = timezone.localdate()
    recent = list(
        HealthCheck.objects.filter(observation__in=members)
        .select_related("observation__person", "recorded_by")
        .order_by("-taken_at")[:60]
    )
    by_member = {
        m.pk: checks.day_slots_status(m, today_day, [c for c in recent if c.observation_id == m.pk])
        for m in members
    }
    context = {
        "q": q,
        "members": [(m, by_member.get(m.pk, [])) for m in members],
        "checks": recent,
        "events": q.events.select_related("actor", "observation__person").order_by("-at")[:50],
        "alerts": Alert.objects.filter(observation__in=members)
        .exclude(status=AlertStatus.CLOSED)
        .select_related("health_check"),
        "referrals": Referral.objects.filter(observation__in=members).select_related(
            "hospital", "observation__person"
        ),
        "exits": ExitRequest.objects.filter(observation__in=members).select_related(
            "observation__person"
        ),
        "problems": release.release_problems(q) if q.status == QuarantineStatus.ACTIVE else [],
        "can_manage": actor.can(MANAGE_QUARANTINE, q.region_code),
        "can_check": actor.can(RECORD_CHECKS, q.region_code),
        "can_refer": actor.can(REFER, q.region_code),
        "due": q.end_date <= today_day,
        "outcome_form": OutcomeForm(prefix="outcome"),
        "decide_form": DecideExitForm(prefix="decide"),
        **(forms or _forms(request, q)),
    }
    return render(request, "monitoring/detail.html", context, status=status)


# --- actions on a quarantine: one view each, all need MANAGE_QUARANTINE on its region ---------

Perform = Callable[[Actor, Quarantine, dict[str, Any]], str]


def _on_quarantine(
    request: ActorRequest, pk: uuid.UUID, name: str, perform: Perform
) -> HttpResponse:
    """Validate the page's ``name`` form and run ``perform``; on invalid input or a refusal the
    page comes back with the form's errors (and nothing changed)."""
    actor = request.actor
    q = selectors.quarantine(actor, pk, MANAGE_QUARANTINE)
    forms = _forms(request, q, request.POST, name)
    form = forms[f"{name}_form"]
    if not form.is_valid():
        return _detail(request, q, forms, status=422)
    try:
        note = perform(actor, q, form.cleaned_data)
    except DomainError as exc:
        apply_domain_error(exc, form)
        return _detail(request, q, forms, status=422)
    messages.success(request, note)
    return redirect("monitoring:detail", pk=q.pk)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_adjust(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        q = services.adjust(actor=actor, quarantine=q, days=data["days"], reason=data["reason"])
        return _("已调整，预计 %(d)s 解除。") % {"d": q.end_date}

    return _on_quarantine(request, pk, "adjust", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_exposure(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        q = services.record_exposure(
            actor=actor,
            quarantine=q,
            observation_id=data["observation"],
            exposure_date=data["exposure_date"],
            reason=data["reason"],
        )
        return _("已重新起算，预计 %(d)s 解除。") % {"d": q.end_date}

    return _on_quarantine(request, pk, "exposure", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_contact(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.record_contact(
            actor=actor,
            quarantine=q,
            observation_id=data.get("observation") or None,
            who=data.get("who", ""),
            how=data["how"],
            result=data["result"],
        )
        return _("已记录联系情况。")

    return _on_quarantine(request, pk, "contact", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_end(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.end_early(
            actor=actor, quarantine=q, observation_id=data["observation"], reason=data["reason"]
        )
        return _("已提前结束该成员的观察。")

    return _on_quarantine(request, pk, "end", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_transfer(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        target = services.transfer(
            actor=actor,
            quarantine=q,
            observation_id=data["observation"],
            reason=data["reason"],
            to_site_id=data.get("to_site_id"),
            to_region_code=(data.get("to_region_code") or "").strip(),
        )
        return _("已转出，新的观察预计 %(d)s 解除。") % {"d": target.end_date}

    return _on_quarantine(request, pk, "transfer", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_room(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.assign_room(
            actor=actor, quarantine=q, observation_id=data["observation"], room_id=data["room"]
        )
        return _("已分配房间。")

    return _on_quarantine(request, pk, "room", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_team(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        services.set_team(actor=actor, quarantine=q, **data)
        return _("已调整责任人。")

    return _on_quarantine(request, pk, "team", perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def quarantine_release(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, q: Quarantine, data: dict[str, Any]) -> str:
        problems = release.release(actor=actor, quarantine=q, reason=data["reason"], force=True)
        return _("已解除医学观察。") if not problems else "；".join(problems)

    return _on_quarantine(request, pk, "release", perform)


def _team_choices(q: Any) -> dict[str, list[tuple[int, str]]]:
    from lianfang.accounts import selectors as accounts_selectors

    out: dict[str, list[tuple[int, str]]] = {k: [] for k in services.TEAM_ROLES}
    for held, user_id, name in accounts_selectors.holders_at_or_above(q.region_code):
        for key, role in services.TEAM_ROLES.items():
            if (not role or held == role) and (user_id, name) not in out[key]:
                out[key].append((user_id, name))
    return out


# --- actions on one member: one view each, with the permission its service checks ------------

MemberPerform = Callable[[Actor, Observation, dict[str, Any]], str]


def _on_member(
    request: ActorRequest, pk: uuid.UUID, name: str, perm: str, perform: MemberPerform
) -> HttpResponse:
    """Like :func:`_on_quarantine` for a member's form; ``next=today`` returns to the day list."""
    actor = request.actor
    member = selectors.observation(actor, perm, pk)
    q = member.quarantine
    forms = _forms(request, q, request.POST, name)
    form = forms[f"{name}_form"]
    if not form.is_valid():
        return _detail(request, q, forms, status=422)
    try:
        note = perform(actor, member, form.cleaned_data)
    except DomainError as exc:
        apply_domain_error(exc, form)
        return _detail(request, q, forms, status=422)
    messages.success(request, note)
    if request.POST.get("next") == "today":
        return redirect("monitoring:today")
    return redirect("monitoring:detail", pk=q.pk)


@require_POST
@requires(RECORD_CHECKS)
def member_check(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A staff check: temperature and symptoms taken by a grid worker or doctor."""

    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        checks.record(
            observation=member,
            source=CheckSource.STAFF,
            actor=actor,
            temperature=data["temperature"],
            method=data.get("method", ""),
            symptoms=data.get("symptoms", []),
            note=data.get("note", ""),
            client_key=data.get("client_key") or None,
        )
        return _("已录入体温。")

    return _on_member(request, pk, "check", RECORD_CHECKS, perform)


@require_POST
@requires(RECORD_CHECKS)
def member_correct(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A correction: a new check that replaces a wrong one (which stays on record)."""

    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        wrong = member.checks.filter(pk=data["corrects"]).first()
        if wrong is None:
            raise Http404
        checks.record(
            observation=member,
            source=CheckSource.STAFF,
            actor=actor,
            temperature=data["temperature"],
            corrects=wrong,
            correction_reason=data["correction_reason"],
        )
        return _("已更正，原记录保留。")

    return _on_member(request, pk, "correct", RECORD_CHECKS, perform)


@require_POST
@requires(REFER)
def member_refer(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        referrals.refer(
            actor=actor,
            observation=member,
            hospital_id=data["hospital"],
            transport=data["transport"],
            reason=data["reason"],
        )
        return _("已登记转诊。")

    return _on_member(request, pk, "refer", REFER, perform)


@require_POST
@requires(RECORD_CHECKS)
def member_exit(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    def perform(actor: Actor, member: Observation, data: dict[str, Any]) -> str:
        referrals.request_exit(actor=actor, observation=member, data=data)
        return _("已登记外出报备，等待社区审批。")

    return _on_member(request, pk, "exit", RECORD_CHECKS, perform)


@require_POST
@requires(MANAGE_QUARANTINE)
def member_token(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """A new self check-in link for the member; the old one stops working."""
    actor = request.actor
    member = selectors.observation(actor, MANAGE_QUARANTINE, pk)
    try:
        services.checkin_link_issue(actor=actor, observation=member)
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已重新生成自报链接，旧链接失效。"))
    return redirect("monitoring:detail", pk=member.quarantine_id)


@require_POST
@requires(REFER)
def referral_outcome(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    actor = request.actor
    referral = get_visible_or_404(
        Referral.objects.select_related("observation"), actor, REFER, pk=pk
    )
    form = OutcomeForm(request.POST, prefix="outcome")
    if not form.is_valid():
        messages.error(request, _("请选择转诊结果。"))
        return redirect("monitoring:detail", pk=referral.observation.quarantine_id)
    try:
        proposed = referrals.record_outcome(actor=actor, referral=referral, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.as_text())
        return redirect("monitoring:detail", pk=referral.observation.quarantine_id)
    if proposed:
        messages.warning(
            request,
            _("同户人员 %(n)s 人尚未观察，请为其发起医学观察。") % {"n": len(proposed)},
        )
        return redirect("monitoring:start", person_id=proposed[0].pk)
    messages.success(request, _("已登记转诊结果。"))
    return redirect("monitoring:detail", pk=referral.observation.quarantine_id)


def _decide_exit(request: ActorRequest, pk: uuid.UUID, *, approve: bool) -> HttpResponse:
    actor = request.actor
    item = get_visible_or_404(
        ExitRequest.objects.select_related("observation"), actor, MANAGE_QUARANTINE, pk=pk
    )
    form = DecideExitForm(request.POST, prefix="decide")
    form.is_valid()
    try:
        referrals.decide_exit(
            actor=actor,
            request=item,
            approve=approve,
            note=form.cleaned_data.get("decision_note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已审批外出报备。"))
    return redirect("monitoring:detail", pk=item.observation.quarantine_id)


@require_POST
@requires(MANAGE_QUARANTINE)
def exit_approve(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    return _decide_exit(request, pk, approve=True)


@require_POST
@requires(MANAGE_QUARANTINE)
def exit_refuse(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    """Refusing needs a reason (``decide-decision_note``); without one nothing changes."""
    return _decide_exit(request, pk, approve=False)


CONTACT_ROWS = 5
MAX_CONTACT_ROWS = 30


def _rows(value: str | None) -> int:
    """How many contact rows the form shows (1–30; anything else: the default)."""
    try:
        return max(1, min(MAX_CONTACT_ROWS, int(value or CONTACT_ROWS)))
    except ValueError:
        return CONTACT_ROWS


@requires(MANAGE_QUARANTINE)
def contacts(request: ActorRequest, person_id: uuid.UUID) -> HttpResponse:
    """Close contacts of a (suspected or confirmed) person: register and observe them at once."""
    from lianfang.monitoring import contacts as contact_flow
    from lianfang.people.permissions import REGISTER

    actor = request.actor
    index = people_selectors.get_person(actor, person_id)
    regions = people_selectors.home_choices(actor, REGISTER)
    data = request.POST or None
    count = _rows(data.get("rows") if data is not None else request.GET.get("rows"))
    forms = [ContactRowForm(data, prefix=f"c{i}", regions=regions) for i in range(count)]
    errors: list[str] = []
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            outcomes = contact_flow.quarantine_contacts(
                actor=actor, index_person=index, rows=[f.cleaned_data for f in forms]
            )
        except DomainError as exc:
            errors.append(exc.message)
            for key, messages_ in exc.fields.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(forms):
                    form = forms[int(parts[1])]
                    field = parts[2] if parts[2] in form.fields else None
                    for m in messages_:
                        form.add_error(field, m)
        else:
            messages.success(
                request,
                _("已登记 %(n)s 名密切接触者并开始医学观察。") % {"n": len(outcomes)},
            )
            return redirect("monitoring:list")
    return render(
        request,
        "monitoring/contacts.html",
        {
            "index": index,
            "category": people_selectors.latest_category(index),
            "forms": forms,
            "rows": count,
            "more": min(MAX_CONTACT_ROWS, count + 5),
            "errors": errors,
        },
    )


@requires(VIEW_MONITORING)
def alerts(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    level = request.GET.get("level", "")
    page, query = paginate(request, selectors.alerts(actor, status=status, kind=kind, level=level))
    return render(
        request,
        "monitoring/alerts.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "kind": kind,
            "kinds": AlertKind.choices,
            "statuses": [("open", _("未关闭")), *AlertStatus.choices],
            "close_form": CloseAlertForm(prefix="close"),
            "can_handle": actor.can(RECORD_CHECKS),
        },
    )


def _after_alert(request: ActorRequest) -> HttpResponse:
    return redirect(
        "monitoring:today" if request.POST.get("next") == "today" else "monitoring:alerts"
    )


@require_POST
@requires(RECORD_CHECKS)
def alert_acknowledge(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    actor = request.actor
    alert = get_visible_or_404(Alert.objects.all(), actor, RECORD_CHECKS, pk=pk)
    try:
        checks.acknowledge(actor=actor, alert=alert)
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("已知悉，请尽快处置。"))
    return _after_alert(request)


@require_POST
@requires(RECORD_CHECKS)
def alert_close(request: ActorRequest, pk: uuid.UUID) -> HttpResponse:
    actor = request.actor
    alert = get_visible_or_404(Alert.objects.all(), actor, RECORD_CHECKS, pk=pk)
    form = CloseAlertForm(request.POST, prefix="close")
    form.is_valid()
    try:
        checks.close(actor=actor, alert=alert, action=form.cleaned_data.get("action", ""))
    except DomainError as exc:
        messages.error(request, exc.as_text())
    else:
        messages.success(request, _("预警已关闭。"))
    return _after_alert(request)
