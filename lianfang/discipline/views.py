"""The discipline office's pages: the clue register (with the proposals waiting for a leader),
registering a transferred clue, and a clue's page with its timeline and the steps its reader may
take (one URL per step). Views are thin: the services decide and refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianfang.core.errors import DomainError
from lianfang.core.forms import apply_domain_error, set_choices, show_domain_error
from lianfang.core.scoping import ActorRequest
from lianfang.core.views import paginate, requires
from lianfang.discipline import casework, selectors, services, workflow
from lianfang.discipline.forms import (
    ApproveForm,
    CaseStepForm,
    ClueForm,
    DecisionForm,
    DecisionRejectForm,
    ForwardForm,
    ProposeForm,
    RejectForm,
    RevealForm,
    RuleSettingForm,
    StepForm,
    TellForm,
)
from lianfang.discipline.models import Clue, Source, State
from lianfang.discipline.permissions import APPROVE, HANDLE, VIEW

STEP_LABELS = {
    "inquiry_close": gettext_lazy("函询了结"),
    "inquiry_verify": gettext_lazy("转初步核实"),
    "verify_close": gettext_lazy("核实了结"),
    "open_case": gettext_lazy("立案审查调查"),
}


@requires(VIEW)
def register(request: ActorRequest) -> HttpResponse:
    services.clues_from_tipoffs()  # a tip-off filed a minute ago is here without the scheduler
    actor = request.actor
    filters: dict[str, Any] = {
        "kind": request.GET.get("kind", ""),
        "state": request.GET.get("state", "open"),
        "source": request.GET.get("source", ""),
        "overdue": request.GET.get("overdue") == "1",
    }
    page, query = paginate(request, selectors.register(actor, **filters))
    context = {
        "page": page,
        "query": query,
        "filters": filters,
        "kinds": selectors.kinds_in_force(),
        "states": State.choices,
        "sources": Source.choices,
        "to_approve": list(selectors.to_approve(actor)[:20]) if actor.can(APPROVE) else [],
        "reveals": list(selectors.reveals_to_decide(actor)[:20]),
        "may_register": actor.can(HANDLE),
    }
    return render(request, "discipline/register.html", context)


def _clue_form(request: ActorRequest, data: Any = None) -> ClueForm:
    form = ClueForm(data)
    set_choices(form, "region_code", selectors.offices(request.actor))
    kinds = selectors.kinds_in_force()
    set_choices(form, "kind", [("", "—"), *((c, k.name) for c, k in kinds.items())])
    return form


@requires(HANDLE)
def clue_new(request: ActorRequest) -> HttpResponse:
    form = _clue_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                clue = services.clue_register(actor=request.actor, data=form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(exc, form)
            else:
                messages.success(request, _("线索已登记，编号 %(n)s。") % {"n": clue.number})
                return redirect("discipline:detail", clue_id=clue.pk)
        status = 422
    return render(request, "discipline/clue_new.html", {"form": form}, status=status)


def _forms(actor: Any, clue: Clue, key: str = "", data: Any = None) -> dict[str, Any]:
    def given(name: str) -> Any:
        return data if name == key else None

    out: dict[str, Any] = {}
    handle, approve = actor.can(HANDLE, clue.region_code), actor.can(APPROVE, clue.region_code)
    if handle and workflow.allowed("propose", clue.state):
        out["propose"] = ProposeForm(given("propose"), prefix="propose")
    if approve and clue.state == State.PROPOSED and clue.proposed_by_id != actor.user_id:
        out["approve"] = ApproveForm(given("approve"), prefix="approve")
        out["reject"] = RejectForm(given("reject"), prefix="reject")
    steps = {}
    for action in services.STEPS:
        allowed = approve if action == "open_case" else handle
        if allowed and workflow.allowed(action, clue.state):
            url = reverse(f"discipline:{action}", args=[clue.pk])
            steps[action] = (STEP_LABELS[action], StepForm(given(action), prefix=action), url)
    out["steps"] = steps
    case = getattr(clue, "case", None) if clue.state == State.CASE else None
    if case is not None:
        if handle and workflow.case_allowed("case_step", case.state):
            out["case_step"] = CaseStepForm(given("case_step"), prefix="case_step")
            decision = DecisionForm(given("decide"), prefix="decide")
            sanctions = selectors.sanctions_in_force()
            set_choices(
                decision, "sanction", [("", "—"), *((c, s.name) for c, s in sanctions.items())]
            )
            out["decide"] = decision
        if (
            approve
            and workflow.case_allowed("decision_approve", case.state)
            and case.proposed_by_id != actor.user_id
        ):
            out["decision_approve"] = ApproveForm(
                given("decision_approve"), prefix="decision_approve"
            )
            out["decision_reject"] = DecisionRejectForm(
                given("decision_reject"), prefix="decision_reject"
            )
    if handle and workflow.allowed("forward", clue.state):
        out["forward"] = ForwardForm(given("forward"), prefix="forward")
    if handle and clue.reporter_enc and clue.acknowledged_on is None:
        out["acknowledge"] = TellForm(given("acknowledge"), prefix="acknowledge")
    if handle and clue.reporter_enc and clue.state == State.CLOSED and not clue.result_informed_on:
        out["inform_result"] = TellForm(given("inform_result"), prefix="inform_result")
    if handle and clue.reporter_enc:
        out["reveal"] = RevealForm(given("reveal"), prefix="reveal")
    return out


def _page(
    request: ActorRequest, clue: Clue, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {
        "clue": clue,
        "facts": selectors.facts_of(clue),
        "timeline": selectors.timeline(clue),
        "named_reporter": bool(clue.reporter_enc),
        "case": selectors.case_of(clue),
        "forms": forms,
        "my_reveals": selectors.reveals_of(request.actor, clue),
        "own_proposal": clue.state == State.PROPOSED
        and clue.proposed_by_id == request.actor.user_id,
    }
    return render(request, "discipline/clue_detail.html", context, status=status)


@requires(VIEW)
def detail(request: ActorRequest, clue_id: str) -> HttpResponse:
    clue = selectors.get_clue(request.actor, clue_id)
    return _page(request, clue, _forms(request.actor, clue))


def _act(
    request: ActorRequest,
    clue_id: str,
    key: str,
    run: Callable[[Clue, dict[str, str]], Any],
    done: str,
) -> HttpResponse:
    """Run one step from the page's form ``key``; a refusal is shown on that form with what was
    typed kept (422)."""
    clue = selectors.get_clue(request.actor, clue_id)
    data = {k.removeprefix(f"{key}-"): str(v) for k, v in request.POST.items()}
    try:
        run(clue, data)
    except DomainError as exc:
        clue.refresh_from_db()
        forms = _forms(request.actor, clue, key, request.POST)
        form = forms.get(key) or forms["steps"].get(key, (None, None))[1]
        if form is None:
            messages.error(request, str(exc.message))
            return redirect("discipline:detail", clue_id=clue.pk)
        show_domain_error(exc, form)
        return _page(request, clue, forms, status=422)
    messages.success(request, done)
    return redirect("discipline:detail", clue_id=clue.pk)


@require_POST
@requires(HANDLE)
def propose(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "propose",
        lambda c, d: services.clue_propose(
            actor=request.actor,
            clue=c,
            disposition=d.get("disposition", ""),
            reason=d.get("reason"),
        ),
        _("处置意见已提交，待负责人审批。"),
    )


@require_POST
@requires(APPROVE)
def approve(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "approve",
        lambda c, d: services.clue_approve(actor=request.actor, clue=c, note=d.get("note")),
        _("已批准处置意见。"),
    )


@require_POST
@requires(APPROVE)
def reject(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "reject",
        lambda c, d: services.clue_reject(actor=request.actor, clue=c, reason=d.get("reason")),
        _("处置意见已退回。"),
    )


def _step_view(action: str) -> Callable[..., HttpResponse]:
    @require_POST
    @requires(HANDLE)
    def view(request: ActorRequest, clue_id: str) -> HttpResponse:
        return _act(
            request,
            clue_id,
            action,
            lambda c, d: services.clue_step(
                actor=request.actor, clue=c, action=action, note=d.get("note")
            ),
            _("已记录。"),
        )

    view.__name__ = action
    return view


@require_POST
@requires(HANDLE)
def case_step(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "case_step",
        lambda c, d: casework.case_step_add(actor=request.actor, clue=c, data=d),
        _("审查调查措施已记录。"),
    )


@require_POST
@requires(HANDLE)
def decide(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "decide",
        lambda c, d: casework.case_decide(actor=request.actor, clue=c, data=d),
        _("处理意见已提交，待负责人审批。"),
    )


@require_POST
@requires(APPROVE)
def decision_approve(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "decision_approve",
        lambda c, d: casework.case_decision_approve(
            actor=request.actor, clue=c, note=d.get("note")
        ),
        _("处理决定已批准，案件已结案。"),
    )


@require_POST
@requires(APPROVE)
def decision_reject(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "decision_reject",
        lambda c, d: casework.case_decision_reject(
            actor=request.actor, clue=c, reason=d.get("reason")
        ),
        _("处理意见已退回。"),
    )


@require_POST
@requires(HANDLE)
def forward(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "forward",
        lambda c, d: services.clue_forward(
            actor=request.actor, clue=c, to=d.get("to"), note=d.get("note")
        ),
        _("已移交，本机关只保留移交记录。"),
    )


def _tell_view(what: str) -> Callable[..., HttpResponse]:
    @require_POST
    @requires(HANDLE)
    def view(request: ActorRequest, clue_id: str) -> HttpResponse:
        return _act(
            request,
            clue_id,
            what,
            lambda c, d: services.clue_tell_reporter(
                actor=request.actor, clue=c, what=what, how=d.get("how"), note=d.get("note")
            ),
            _("已记录告知情况。"),
        )

    view.__name__ = what
    return view


acknowledge = _tell_view("acknowledge")
inform_result = _tell_view("inform_result")


@requires(VIEW)
def rules(request: ActorRequest) -> HttpResponse:
    """The system rules with the threshold in force, the clues each raised and its versions; the
    district office's leader adds a version from a date."""
    from datetime import timedelta

    from django.utils import timezone

    from lianfang.core import cluerules
    from lianfang.discipline import raising

    may_set = request.actor.can(APPROVE) and any(
        len(p) <= 6 for p in request.actor.prefixes(APPROVE)
    )
    form = RuleSettingForm(
        request.POST or None,
        initial={"effective_from": timezone.localdate() + timedelta(days=1), "is_active": True},
    )
    set_choices(form, "rule_key", [("", "—"), *((r.key, r.label) for r in cluerules.all_rules())])
    status = 200
    if request.method == "POST":
        if not may_set:
            raise Http404
        if form.is_valid():
            try:
                raising.rule_setting_add(actor=request.actor, data=form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(exc, form)
            else:
                messages.success(request, _("已添加规则阈值的新版本。"))
                return redirect("discipline:rules")
        status = 422
    context = {"rows": raising.rules_overview(), "form": form if may_set else None}
    return render(request, "discipline/rules.html", context, status=status)


# One URL and view per step (tests/test_views_stay_thin.py): the action is the route's.
STEP_VIEWS = {action: _step_view(action) for action in sorted(services.STEPS)}


@require_POST
@requires(HANDLE)
def reveal_ask(request: ActorRequest, clue_id: str) -> HttpResponse:
    return _act(
        request,
        clue_id,
        "reveal",
        lambda c, d: services.reveal_ask(actor=request.actor, clue=c, purpose=d.get("purpose")),
        _("申请已提交，待负责人审批。"),
    )


def _decide(request: ActorRequest, reveal_id: str, approve: bool) -> HttpResponse:
    reveal = selectors.get_reveal(request.actor, reveal_id)
    try:
        services.reveal_decide(actor=request.actor, request=reveal, approve=approve)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已批准查看申请。") if approve else _("已不予批准。"))
    return redirect("discipline:register")


@require_POST
@requires(APPROVE)
def reveal_approve(request: ActorRequest, reveal_id: str) -> HttpResponse:
    return _decide(request, reveal_id, True)


@require_POST
@requires(APPROVE)
def reveal_refuse(request: ActorRequest, reveal_id: str) -> HttpResponse:
    return _decide(request, reveal_id, False)


@require_POST
@requires(HANDLE)
def reveal_read(request: ActorRequest, reveal_id: str) -> HttpResponse:
    """The reporter, shown once in this answer (never cached, never in a URL)."""
    reveal = selectors.get_reveal(request.actor, reveal_id)
    try:
        identity = services.reveal_read(actor=request.actor, request=reveal)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("discipline:detail", clue_id=reveal.clue_id)
    response = render(
        request, "discipline/reveal.html", {"identity": identity, "clue_id": reveal.clue_id}
    )
    response["Cache-Control"] = "no-store"
    return response
