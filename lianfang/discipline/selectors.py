"""Reads of the clue register. Every read starts from the actor's scope under ``VIEW``: the
district office sees its district, a sub-district's office its sub-district; anybody else sees
nothing (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from lianfang.core.cache import per_process
from lianfang.core.scoping import Actor
from lianfang.discipline import secrecy
from lianfang.discipline.models import Clue, ClueEvent, Kind
from lianfang.discipline.permissions import VIEW
from lianfang.discipline.workflow import OPEN


def visible(actor: Actor) -> Any:
    """The clues of the actor's offices, never one about the actor themself (回避)."""
    scope = actor.scope_q(VIEW, "region_code")
    clues = Clue.objects.filter(scope if scope is not None else Q(pk__in=[]))
    return clues.exclude(subject_user_id=actor.user_id) if actor.user_id else clues


def get_clue(actor: Actor, pk: Any) -> Clue:
    try:
        found: Clue = visible(actor).select_related("kind").get(pk=pk)
        return found
    except (Clue.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def kinds_in_force(day: date | None = None) -> dict[str, Kind]:
    return _kinds_on(day or timezone.localdate())


@per_process(seconds=60, maxsize=16)
def _kinds_on(day: date) -> dict[str, Kind]:
    found: dict[str, Kind] = {}
    for kind in Kind.objects.filter(effective_from__lte=day).order_by("code", "-effective_from"):
        found.setdefault(kind.code, kind)
    return {c: k for c, k in sorted(found.items(), key=lambda kv: kv[1].order) if k.is_active}


def sanctions_in_force(day: date | None = None) -> dict[str, Any]:
    return _sanctions_on(day or timezone.localdate())


@per_process(seconds=60, maxsize=16)
def _sanctions_on(day: date) -> dict[str, Any]:
    from lianfang.discipline.models import Sanction

    found: dict[str, Any] = {}
    for s in Sanction.objects.filter(effective_from__lte=day).order_by("code", "-effective_from"):
        found.setdefault(s.code, s)
    return {c: s for c, s in sorted(found.items(), key=lambda kv: kv[1].order) if s.is_active}


def case_of(clue: Clue) -> dict[str, Any] | None:
    """The clue's case with its steps and the finding opened (for the office's page), or None."""
    from lianfang.discipline.models import Case

    try:
        case = Case.objects.select_related("sanction").get(clue=clue)
    except Case.DoesNotExist:
        return None
    steps = [
        {
            "on": s.on,
            "kind": s.get_kind_display(),
            "document": s.document,
            "note": secrecy.open_sealed(s.note_enc, secrecy.NOTE),
            "actor": _name(s.actor),
        }
        for s in case.steps.select_related("actor").order_by("on", "at", "pk")
    ]
    finding = secrecy.open_sealed(case.finding_enc, secrecy.FACTS) if case.finding_enc else ""
    return {"case": case, "steps": steps, "finding": finding}


def offices(actor: Actor) -> list[tuple[str, str]]:
    """The offices whose register the actor keeps, (code, name): their own level's and, for the
    district office, each sub-district's (街道纪工委)."""
    from lianfang.core.regioncode import subtree_q
    from lianfang.regions.models import Level, Region

    prefixes = [p for p in actor.prefixes(VIEW) if len(p) in (6, 9)]
    if not prefixes:
        return []
    q = Q(pk__in=[])
    for p in prefixes:
        q |= subtree_q("code", p)
    rows = (
        Region.objects.filter(q, level__in=[Level.DISTRICT, Level.SUBDISTRICT], is_active=True)
        .order_by("code")
        .values_list("code", "name")
    )
    return [(code, name) for code, name in rows]


def register(
    actor: Actor,
    *,
    kind: str = "",
    state: str = "",
    source: str = "",
    region: str = "",
    overdue: bool = False,
) -> Any:
    clues = visible(actor).select_related("kind")
    if kind:
        clues = clues.filter(kind_code=kind)
    if state == "open":
        clues = clues.filter(state__in=OPEN)
    elif state:
        clues = clues.filter(state=state)
    if source:
        clues = clues.filter(source=source)
    if region:
        clues = clues.filter(region_code__startswith=region)
    if overdue:  # as the work queue counts them
        clues = clues.filter(
            Q(overdue=True) | Q(state="registered", dispose_due_at__lt=timezone.now())
        )
    return clues.order_by("-received_at")


def facts_of(clue: Clue) -> str:
    return secrecy.open_sealed(clue.facts_enc, secrecy.FACTS)


def timeline(clue: Clue) -> list[dict[str, Any]]:
    from lianfang.discipline.workflow import ACTION_LABELS

    out = []
    for e in ClueEvent.objects.filter(clue=clue).select_related("actor").order_by("at", "pk"):
        out.append(
            {
                "at": e.at,
                "action": str(ACTION_LABELS.get(e.action, e.action)),
                "actor": (e.actor.get_full_name() or e.actor.username)
                if e.actor
                else e.actor_label,
                "note": secrecy.open_sealed(e.note_enc, secrecy.NOTE),
            }
        )
    return out


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def to_approve(actor: Actor) -> Any:
    """Proposals waiting for a leader, not the actor's own (they cannot approve those)."""
    return visible(actor).filter(state="proposed").exclude(proposed_by_id=actor.user_id)


def overdue_open(actor: Actor) -> Any:
    """Open clues marked overdue, or past their time to be disposed of and not yet marked."""
    late = Q(overdue=True) | Q(state="registered", dispose_due_at__lt=timezone.now())
    return visible(actor).filter(late, state__in=OPEN)


def reveals_to_decide(actor: Actor) -> Any:
    """Requests to see a reporter, waiting for a leader: never the actor's own."""
    from lianfang.discipline.models import RevealRequest
    from lianfang.discipline.permissions import APPROVE

    scope = actor.scope_q(APPROVE, "region_code")
    if scope is None:
        return RevealRequest.objects.none()
    return (
        RevealRequest.objects.filter(scope, state="asked")
        .exclude(requested_by_id=actor.user_id)
        .exclude(clue__subject_user_id=actor.user_id)
        .select_related("clue", "requested_by")
    )


def get_reveal(actor: Actor, pk: Any) -> Any:
    """A reveal request of a clue in the actor's register, or 404."""
    from lianfang.discipline.models import RevealRequest

    scope = actor.scope_q(VIEW, "region_code")
    try:
        found = RevealRequest.objects.filter(scope if scope is not None else Q(pk__in=[]))
        return found.exclude(clue__subject_user_id=actor.user_id).get(pk=pk)
    except (RevealRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def reveals_of(actor: Actor, clue: Clue) -> list[Any]:
    """The actor's own requests on the clue, newest first (what they asked and may read)."""
    return list(clue.reveals.filter(requested_by_id=actor.user_id).order_by("-asked_at"))
