"""Release from observation: automatic and staff release, bulk release of the due; the
policy's conditions are ``selectors.release_problems``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import Conflict, InvalidInput
from lianfang.core.identity import mask_name
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.monitoring.models import (
    EventKind,
    ObservationStatus,
    Quarantine,
    QuarantineStatus,
)
from lianfang.monitoring.permissions import MANAGE_QUARANTINE
from lianfang.monitoring.quarantines.records import (
    clean_reason,
    event_record,
    observation_close,
    quarantine_close_if_done,
    require_manage,
)
from lianfang.monitoring.releases.selectors import release_problems


@transaction.atomic
def quarantine_release(
    *, actor: Actor | None, quarantine: Quarantine, reason: str = "", force: bool = False
) -> list[str]:
    """Release every running member. Without ``force`` the policy's conditions must hold; a
    staff release of a quarantine with problems needs a reason (``force``). Returns the problems
    that blocked it (nothing released) — an empty list means released."""
    q = Quarantine.objects.select_for_update().select_related("policy").get(pk=quarantine.pk)
    if actor is not None:
        require_manage(actor, q.region_code)
    if q.status != QuarantineStatus.ACTIVE:
        raise Conflict("quarantine_closed", _("该医学观察已结束。"))
    if actor is not None and q.end_date > timezone.localdate():
        msg = _("尚未到解除日期（%(d)s）。") % {"d": q.end_date}
        raise InvalidInput("not_due", msg)
    problems = release_problems(q)
    if problems and not force:
        return problems
    if problems:
        reason = clean_reason(reason)
    for member in q.members.filter(status=ObservationStatus.ACTIVE):
        observation_close(member, ObservationStatus.RELEASED, reason or _("观察期满，解除医学观察"))
        event_record(
            q,
            EventKind.RELEASED,
            actor,
            observation=member,
            reason=reason,
            evidence={"problems": problems} if problems else {},
        )
    quarantine_close_if_done(q)
    return []


def quarantine_release_due(*, actor: Actor, quarantine_ids: list[Any]) -> tuple[int, list[str]]:
    """Bulk release of due quarantines (end date today or earlier) whose conditions hold; the
    others stay, each with its reason. Returns (released, problems as text)."""
    from django.http import Http404

    released, problems = 0, []
    today = timezone.localdate()
    for pk in dict.fromkeys(str(i) for i in quarantine_ids):
        try:
            q = get_visible_or_404(Quarantine.objects.all(), actor, MANAGE_QUARANTINE, pk=pk)
        except (Http404, ValueError, ValidationError):
            continue
        if q.status != QuarantineStatus.ACTIVE or q.end_date > today:
            continue
        blocked = quarantine_release(actor=actor, quarantine=q)
        if blocked:
            names = "、".join(
                mask_name(m.person.full_name) for m in active_members(q).select_related("person")
            )
            problems.append(f"{names}：{'；'.join(blocked)}")
        else:
            released += 1
    return released, problems


def active_members(quarantine: Quarantine) -> Any:
    return quarantine.members.filter(status=ObservationStatus.ACTIVE)
