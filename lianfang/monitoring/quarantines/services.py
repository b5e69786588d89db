"""Writes on quarantines: start (from registry persons), members and exposures (the household's
clock restarts), adjustments, team, contact records, rooms, a new check-in link, a member's
transfer and early end. Every change leaves an ``Event`` with actor, time, reason and evidence
(``records.event_record``); release is ``releases.services``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianfang.accounts import selectors as accounts_selectors
from lianfang.accounts.models import Membership
from lianfang.core.errors import Conflict, InvalidInput
from lianfang.core.identity import mask_name
from lianfang.core.regioncode import ancestors
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.monitoring.checks.tokens import issue_token
from lianfang.monitoring.models import (
    Event,
    EventKind,
    Kind,
    Observation,
    ObservationStatus,
    Policy,
    Quarantine,
    QuarantineStatus,
    Room,
    Site,
    StartBasis,
)
from lianfang.monitoring.permissions import MANAGE_QUARANTINE
from lianfang.monitoring.policies import policy_for
from lianfang.monitoring.quarantines.records import (
    clean_reason,
    end_date_for,
    end_date_refresh,
    event_record,
    member_locked,
    observation_close,
    quarantine_close_if_done,
    quarantine_locked,
    require_manage,
)
from lianfang.people import selectors as people_selectors
from lianfang.people.models import Person

MAX_MEMBERS = 20
CONTACT_METHODS = {
    "phone": gettext_lazy("电话"),
    "visit": gettext_lazy("上门"),
    "video": gettext_lazy("视频"),
    "other": gettext_lazy("其他"),
}


# --- helpers ------------------------------------------------------------------------------------


def _nearest_member(region_code: str, role: str) -> int | None:
    return accounts_selectors.nearest_holder(role, region_code)


def _default_team(region_code: str, actor: Actor) -> dict[str, int | None]:
    cadre = _nearest_member(region_code, "community_worker")
    if "community_worker" in actor.roles:
        cadre = actor.user_id
    return {
        "cadre_id": cadre,
        "grid_worker_id": _nearest_member(region_code, "grid_worker"),
        "doctor_id": _nearest_member(region_code, "doctor"),
        "volunteer_id": _nearest_member(region_code, "volunteer"),
    }


def _basis(policy: Policy, person: Person, start: date, given: date | None) -> date:
    if given is not None:
        if given > start:
            msg = _("起算日期不能晚于观察开始日期。")
            raise InvalidInput("basis_after_start", msg, {"basis_date": [msg]})
        if given < start - timedelta(days=policy.observation_days):
            msg = _("起算日期早于观察期，按此计算已无须观察。")
            raise InvalidInput("basis_too_old", msg, {"basis_date": [msg]})
        return given
    if policy.start_basis == StartBasis.ARRIVAL:
        arrival = (
            person.registrations.exclude(arrival_date=None)
            .filter(arrival_date__lte=start)
            .order_by("-arrival_date")
            .values_list("arrival_date", flat=True)
            .first()
        )
        if arrival and arrival >= start - timedelta(days=policy.observation_days):
            return arrival
    return start


def _start_date(value: date | None) -> date:
    today = timezone.localdate()
    start = value or today
    if start > today:
        msg = _("开始日期不能是将来的日期。")
        raise InvalidInput("start_in_future", msg, {"start_date": [msg]})
    if start < today - timedelta(days=30):
        msg = _("开始日期不能早于 30 天前。")
        raise InvalidInput("start_too_old", msg, {"start_date": [msg]})
    return start


def _active_elsewhere(persons: list[Person]) -> None:
    busy = Observation.objects.filter(
        person__in=persons, status=ObservationStatus.ACTIVE
    ).select_related("person")
    names = [mask_name(o.person.full_name) for o in busy]
    if names:
        msg = _("以下人员已在医学观察中：%(names)s。") % {"names": "、".join(names)}
        raise Conflict("already_under_observation", msg, {"person_ids": [msg]})


def _add(
    quarantine: Quarantine, person: Person, basis: date, actor: Actor, kind: str
) -> Observation:
    try:
        with transaction.atomic():
            observation = Observation.objects.create(
                quarantine=quarantine,
                person=person,
                region_code=quarantine.region_code,
                basis_date=basis,
            )
    except IntegrityError:
        msg = _("%(name)s 已在医学观察中。") % {"name": mask_name(person.full_name)}
        raise Conflict("already_under_observation", msg, {"person_ids": [msg]}) from None
    event_record(quarantine, kind, actor, observation=observation, evidence={"basis": str(basis)})
    return observation


def _join(
    running: Quarantine, persons: list[Person], first: date, given: date | None, actor: Actor
) -> Quarantine:
    """The persons join their household's running observation, whose clock restarts."""
    for person in persons:
        basis = _basis(running.policy, person, first, given)
        _add(running, person, basis, actor, EventKind.MEMBER_ADDED)
    end_date_refresh(running)
    for member in running.members.filter(status=ObservationStatus.ACTIVE):
        if not member.checkin_token_bidx:
            issue_token(member)
    return running


# --- start --------------------------------------------------------------------------------------


@transaction.atomic
def quarantine_start(
    *,
    actor: Actor,
    person_ids: list[Any],
    kind: str = Kind.HOME,
    start_date: date | None = None,
    site_id: int | None = None,
    basis_date: date | None = None,
    reason: str = "",
) -> Quarantine:
    """Start observation for registry persons. Home: the persons are one household (or one
    person); if their household is already observed they join it and its clock restarts.
    Centralised: at a site in scope, each person may later get a room."""
    if kind not in Kind.values:
        msg = _("观察方式只能是居家或集中。")
        raise InvalidInput("unknown_kind", msg, {"kind": [msg]})
    ids = list(dict.fromkeys(str(p) for p in person_ids or []))
    if not ids:
        msg = _("请至少选择一名人员。")
        raise InvalidInput("persons_required", msg, {"person_ids": [msg]})
    if len(ids) > MAX_MEMBERS:
        msg = _("一次最多 %(n)s 人。") % {"n": MAX_MEMBERS}
        raise InvalidInput("too_many_persons", msg, {"person_ids": [msg]})
    persons = [people_selectors.get_person(actor, pid) for pid in ids]
    for person in persons:
        require_manage(actor, person.region_code)
    first = _start_date(start_date)
    policy = policy_for(first)
    site = None
    if kind == Kind.CENTRALISED:
        if site_id is None:
            msg = _("集中隔离须选择隔离点。")
            raise InvalidInput("site_required", msg, {"site_id": [msg]})
        site = get_visible_or_404(
            Site.objects.filter(is_active=True), actor, MANAGE_QUARANTINE, pk=site_id
        )
    elif site_id is not None:
        msg = _("居家观察不选择隔离点。")
        raise InvalidInput("site_not_for_home", msg, {"site_id": [msg]})
    households = {p.household_id for p in persons}
    if kind == Kind.HOME and len(persons) > 1 and (len(households) > 1 or None in households):
        msg = _("居家观察一次只能针对同一户的成员。")
        raise InvalidInput("not_one_household", msg, {"person_ids": [msg]})
    _active_elsewhere(persons)
    home = persons[0]
    if kind == Kind.HOME and home.household_id:
        running = (
            Quarantine.objects.select_for_update()
            .filter(household_id=home.household_id, kind=Kind.HOME, status=QuarantineStatus.ACTIVE)
            .first()
        )
        if running is not None:
            return _join(running, persons, first, basis_date, actor)
    region_code = home.household.region_code if home.household else home.region_code
    region_id = home.household.region_id if home.household else home.region_id
    quarantine = Quarantine.objects.create(
        kind=kind,
        region_id=region_id,
        region_code=region_code,
        household_id=home.household_id if kind == Kind.HOME else None,
        site=site,
        policy=policy,
        start_date=first,
        end_date=first,  # computed below, once the members exist
        created_by_id=actor.user_id,
        **_default_team(region_code, actor),
    )
    event_record(quarantine, EventKind.STARTED, actor, reason=reason)
    for person in persons:
        basis = _basis(policy, person, first, basis_date)
        _add(quarantine, person, basis, actor, EventKind.MEMBER_ADDED)
    end_date_refresh(quarantine)
    for member in quarantine.members.all():
        issue_token(member)
    return quarantine


# --- changes ------------------------------------------------------------------------------------


@transaction.atomic
def exposure_record(
    *, actor: Actor, quarantine: Quarantine, observation_id: Any, exposure_date: date, reason: str
) -> Quarantine:
    """A new exposure of a member restarts the household's clock from that date."""
    q = quarantine_locked(quarantine, actor)
    member = member_locked(q, observation_id)
    reason = clean_reason(reason)
    if exposure_date > timezone.localdate():
        msg = _("接触日期不能是将来的日期。")
        raise InvalidInput("exposure_in_future", msg, {"exposure_date": [msg]})
    if member.status != ObservationStatus.ACTIVE:
        raise Conflict("observation_closed", _("该人员已不在观察期内。"))
    if exposure_date <= member.basis_date:
        msg = _("新的接触日期须晚于当前起算日期 %(d)s。") % {"d": member.basis_date}
        raise InvalidInput("exposure_not_later", msg, {"exposure_date": [msg]})
    old_end = q.end_date
    member.basis_date = exposure_date
    member.save(update_fields=["basis_date"])
    end_date_refresh(q)
    event_record(
        q,
        EventKind.EXPOSURE,
        actor,
        observation=member,
        reason=reason,
        evidence={
            "exposure": str(exposure_date),
            "old_end": str(old_end),
            "new_end": str(q.end_date),
        },
    )
    return q


@transaction.atomic
def quarantine_adjust(
    *, actor: Actor, quarantine: Quarantine, days: int, reason: str
) -> Quarantine:
    """Extend (days > 0) or shorten (days < 0) the household's observation, with a reason."""
    q = quarantine_locked(quarantine, actor)
    reason = clean_reason(reason)
    if days == 0 or not -30 <= days <= 30:
        msg = _("调整天数应在 -30 到 30 之间且不为 0。")
        raise InvalidInput("invalid_days", msg, {"days": [msg]})
    old_end = q.end_date
    q.adjustment_days += days
    new_end = end_date_for(q)
    if new_end < timezone.localdate():
        msg = _("缩短后解除日期将早于今天。")
        raise InvalidInput("end_in_past", msg, {"days": [msg]})
    q.save(update_fields=["adjustment_days"])
    end_date_refresh(q)
    event_record(
        q,
        EventKind.ADJUSTED,
        actor,
        reason=reason,
        evidence={"days": days, "old_end": str(old_end), "new_end": str(q.end_date)},
    )
    return q


TEAM_ROLES = {
    "cadre": "community_worker",
    "grid_worker": "grid_worker",
    "doctor": "doctor",
    "volunteer": "volunteer",
    "police": "",  # police officers are not platform roles: any user in the territory
}


@transaction.atomic
def quarantine_set_team(
    *, actor: Actor, quarantine: Quarantine, **members: int | None
) -> Quarantine:
    """五包一: each given user must hold a membership covering the quarantine's region (and the
    matching role, where there is one)."""
    q = quarantine_locked(quarantine, actor)
    errors: dict[str, list[str]] = {}
    changed: dict[str, Any] = {}
    for key, user_id in members.items():
        if key not in TEAM_ROLES:
            continue
        if user_id:
            prefixes = [*ancestors(q.region_code), q.region_code]
            holders = Membership.objects.active().filter(user_id=user_id, region_code__in=prefixes)
            if TEAM_ROLES[key]:
                holders = holders.filter(role=TEAM_ROLES[key])
            if not holders.exists():
                errors[key] = [_("该用户不在本辖区或不是相应角色。")]
                continue
        setattr(q, f"{key}_id", user_id or None)
        changed[key] = user_id
    if errors:
        raise InvalidInput("invalid_team", _("请检查责任人。"), errors)
    q.save()
    event_record(q, EventKind.TEAM, actor, evidence=changed)
    return q


@transaction.atomic
def contact_record(
    *,
    actor: Actor,
    quarantine: Quarantine,
    how: str,
    result: str,
    observation_id: Any = None,
    who: str = "",
) -> Event:
    """Evidence for a status: who reached whom, how, and what came of it."""
    q = quarantine_locked(quarantine, actor)
    member = member_locked(q, observation_id) if observation_id else None
    errors: dict[str, list[str]] = {}
    if how not in CONTACT_METHODS:
        errors["how"] = [_("请选择联系方式。")]
    result = (result or "").strip()
    if not result:
        errors["result"] = [_("请填写联系结果。")]
    if errors:
        raise InvalidInput("invalid_contact", _("请检查联系记录。"), errors)
    return event_record(
        q,
        EventKind.CONTACT,
        actor,
        observation=member,
        evidence={"who": (who or "").strip()[:100], "how": how, "result": result[:300]},
    )


@transaction.atomic
def room_assign(
    *, actor: Actor, quarantine: Quarantine, observation_id: Any, room_id: int
) -> Observation:
    q = quarantine_locked(quarantine, actor)
    if q.kind != Kind.CENTRALISED or q.site_id is None:
        raise InvalidInput("not_centralised", _("只有集中隔离才分配房间。"))
    member = member_locked(q, observation_id)
    room = (
        Room.objects.select_for_update()
        .filter(pk=room_id, site_id=q.site_id, is_active=True)
        .first()
    )
    if room is None:
        msg = _("该隔离点没有这个可用房间。")
        raise InvalidInput("room_unknown", msg, {"room": [msg]})
    used = room.observations.filter(status=ObservationStatus.ACTIVE).exclude(pk=member.pk).count()
    if used >= room.beds:
        msg = _("该房间已满。")
        raise Conflict("room_full", msg, {"room": [msg]})
    member.room = room
    member.save(update_fields=["room"])
    event_record(q, EventKind.ROOM, actor, observation=member, evidence={"room": room.number})
    return member


@transaction.atomic
def observation_end_early(
    *, actor: Actor, quarantine: Quarantine, observation_id: Any, reason: str
) -> Observation:
    q = quarantine_locked(quarantine, actor)
    member = member_locked(q, observation_id)
    reason = clean_reason(reason)
    if member.status != ObservationStatus.ACTIVE:
        raise Conflict("observation_closed", _("该人员已不在观察期内。"))
    observation_close(member, ObservationStatus.ENDED_EARLY, reason)
    event_record(q, EventKind.ENDED_EARLY, actor, observation=member, reason=reason)
    quarantine_close_if_done(q)
    return member


@transaction.atomic
def checkin_link_issue(*, actor: Actor, observation: Observation) -> str:
    """A new self check-in link for a running member: the old link stops working at once.
    Needs the right to manage the quarantine's region; leaves a ``token`` event."""
    q = quarantine_locked(observation.quarantine, actor)
    member = member_locked(q, observation.pk)
    if member.status != ObservationStatus.ACTIVE:
        raise Conflict("observation_closed", _("该人员已不在观察期内。"))
    member.quarantine = q
    token = issue_token(member)
    event_record(q, EventKind.TOKEN, actor, observation=member)
    return token


@transaction.atomic
def observation_transfer(
    *,
    actor: Actor,
    quarantine: Quarantine,
    observation_id: Any,
    reason: str,
    to_site_id: int | None = None,
    to_region_code: str = "",
) -> Quarantine:
    """Move a member to a centralised site or to another community's home observation. The
    member's part here ends as "transferred"; the new observation keeps the start basis."""
    q = quarantine_locked(quarantine, actor)
    member = member_locked(q, observation_id)
    reason = clean_reason(reason)
    if member.status != ObservationStatus.ACTIVE:
        raise Conflict("observation_closed", _("该人员已不在观察期内。"))
    if bool(to_site_id) == bool(to_region_code):
        msg = _("请选择转往的隔离点或社区（二选一）。")
        raise InvalidInput("transfer_target", msg, {"to_site_id": [msg]})
    person = member.person
    basis = member.basis_date
    observation_close(member, ObservationStatus.TRANSFERRED, reason)
    event_record(
        q,
        EventKind.TRANSFERRED,
        actor,
        observation=member,
        reason=reason,
        evidence={"to_site": to_site_id, "to_region": to_region_code},
    )
    quarantine_close_if_done(q)
    if to_site_id:
        site = get_visible_or_404(
            Site.objects.filter(is_active=True), actor, MANAGE_QUARANTINE, pk=to_site_id
        )
        target = Quarantine.objects.create(
            kind=Kind.CENTRALISED,
            region_id=person.region_id,
            region_code=person.region_code,
            site=site,
            policy=q.policy,
            start_date=timezone.localdate(),
            end_date=q.end_date,
            created_by_id=actor.user_id,
            **_default_team(person.region_code, actor),
        )
    else:
        from lianfang.regions.models import Level, Region

        region = Region.objects.filter(
            code=to_region_code, is_active=True, level__in=[Level.COMMUNITY, Level.BUILDING]
        ).first()
        if region is None:
            msg = _("找不到该社区或楼栋。")
            raise InvalidInput("region_unknown", msg, {"to_region_code": [msg]})
        # Handing over to another community is allowed within the district command's reach:
        # the actor needs the right on the target too.
        require_manage(actor, region.code)
        target = Quarantine.objects.create(
            kind=Kind.HOME,
            region=region,
            region_code=region.code,
            policy=q.policy,
            start_date=timezone.localdate(),
            end_date=q.end_date,
            created_by_id=actor.user_id,
            **_default_team(region.code, actor),
        )
    event_record(target, EventKind.STARTED, actor, reason=_("转入：%(r)s") % {"r": reason})
    new = _add(target, person, basis, actor, EventKind.MEMBER_ADDED)
    end_date_refresh(target)
    issue_token(new)
    return target
