# No ``from __future__ import annotations``: django-ninja reads real annotations.
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import model_validator

from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.errors import InvalidInput
from lianfang.core.permissions import PUBLIC
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.monitoring.alerts import selectors as alert_selectors
from lianfang.monitoring.alerts import services as alert_services
from lianfang.monitoring.checks import rules, selfcheck, tokens
from lianfang.monitoring.checks import services as check_services
from lianfang.monitoring.models import Alert, CheckSource, HealthCheck, Observation, Quarantine
from lianfang.monitoring.permissions import MANAGE_QUARANTINE, RECORD_CHECKS, VIEW_MONITORING
from lianfang.monitoring.quarantines import selectors as quarantine_selectors
from lianfang.monitoring.quarantines import services as quarantine_services

router = Router(tags=["monitoring"])
CONFLICT = {409: ErrorOut}


class QuarantineIn(Schema):
    person_ids: list[uuid.UUID]
    kind: str = "home"
    start_date: date | None = None
    site_id: int | None = None
    basis_date: date | None = None


class MemberOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    name: str
    status: str
    basis_date: date
    checkin_url: str


class QuarantineOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    region_code: str
    start_date: date
    end_date: date
    site_id: int | None = None
    policy_id: int


class QuarantineDetailOut(QuarantineOut):
    members: list[MemberOut]


def _out(q: Quarantine) -> QuarantineOut:
    return QuarantineOut(
        id=q.pk,
        kind=q.kind,
        status=q.status,
        region_code=q.region_code,
        start_date=q.start_date,
        end_date=q.end_date,
        site_id=q.site_id,
        policy_id=q.policy_id,
    )


def _checkin_url(request: ActorRequest, member: Observation) -> str:
    if not member.checkin_token_enc or member.status != "active":
        return ""
    return request.build_absolute_uri(reverse("checkin_page", args=[tokens.token_of(member)]))


@router.post(
    "/quarantines",
    auth=AUTH,
    response={201: QuarantineOut, **ERRORS, **CONFLICT},
    summary="Start home or centralised observation for registry persons",
)
@api_requires(MANAGE_QUARANTINE)
def create_quarantine(request: ActorRequest, payload: QuarantineIn) -> Status[Any]:
    q = quarantine_services.quarantine_start(actor=request.actor, **payload.dict())
    return Status(201, _out(q))


class QuarantineFilter(Schema):
    status: str = ""
    kind: str = ""
    region: str = ""


@router.get("/quarantines", auth=AUTH, response={200: list[QuarantineOut], **ERRORS})
@api_requires(VIEW_MONITORING)
@paginate(LimitOffsetPagination)
def list_quarantines(
    request: ActorRequest, filters: Query[QuarantineFilter]
) -> list[QuarantineOut]:
    qs = quarantine_selectors.quarantines(request.actor, **filters.dict())
    return [_out(q) for q in qs]


@router.get(
    "/quarantines/{quarantine_id}", auth=AUTH, response={200: QuarantineDetailOut, **ERRORS}
)
@api_requires(VIEW_MONITORING)
def get_quarantine(request: ActorRequest, quarantine_id: uuid.UUID) -> QuarantineDetailOut:
    q = quarantine_selectors.quarantine(request.actor, quarantine_id)
    members = [
        MemberOut(
            id=m.pk,
            person_id=m.person_id,
            name=m.person.full_name,
            status=m.status,
            basis_date=m.basis_date,
            checkin_url=_checkin_url(request, m),
        )
        for m in q.members.select_related("person").order_by("started_at")
    ]
    return QuarantineDetailOut(**_out(q).dict(), members=members)


class CheckValues(Schema):
    """A reading's values, checked by ``checks.rules`` as the form and the services check them
    (same codes, same messages); the policy's own symptom list is the service's to apply."""

    temperature: Decimal
    unit: str = "C"
    method: str = ""
    symptoms: list[str] = []
    client_key: str | None = None

    @model_validator(mode="after")
    def _rules(self) -> "CheckValues":
        rules.temperature(self.temperature, self.unit)
        rules.symptoms(self.symptoms)
        rules.method(self.method)
        rules.client_key(self.client_key)
        return self


class StaffCheckIn(CheckValues):
    observation_id: uuid.UUID
    note: str = ""
    taken_at: datetime | None = None
    corrects_id: uuid.UUID | None = None  # a correction: the check it corrects, with a reason
    correction_reason: str = ""


class CheckOut(Schema):
    id: uuid.UUID
    observation_id: uuid.UUID
    temperature: Decimal
    symptoms: list[str]
    fever: bool
    late: bool
    slot_date: date
    slot_index: int | None
    created: bool = True


def _check_out(check: HealthCheck, created: bool) -> CheckOut:
    return CheckOut(
        id=check.pk,
        observation_id=check.observation_id,
        temperature=check.temperature,
        symptoms=list(check.symptoms or []),
        fever=check.fever,
        late=check.late,
        slot_date=check.slot_date,
        slot_index=check.slot_index,
        created=created,
    )


@router.post(
    "/quarantines/{quarantine_id}/checks",
    auth=AUTH,
    response={200: CheckOut, 201: CheckOut, **ERRORS, **CONFLICT},
    summary="Record a staff health check (a repeated client_key returns the first check)",
)
@api_requires(RECORD_CHECKS)
def create_check(
    request: ActorRequest, quarantine_id: uuid.UUID, payload: StaffCheckIn
) -> Status[Any]:
    actor = request.actor
    q = get_visible_or_404(Quarantine.objects.all(), actor, RECORD_CHECKS, pk=quarantine_id)
    member = (
        q.members.select_related("quarantine__policy").filter(pk=payload.observation_id).first()
    )
    if member is None:
        msg = "observation_id is not a member of this quarantine"
        raise InvalidInput("not_a_member", msg, {"observation_id": [msg]})
    data = payload.dict()
    data.pop("observation_id")
    corrects_id = data.pop("corrects_id")
    corrects = None
    if corrects_id is not None:
        corrects = member.checks.filter(pk=corrects_id).first()
        if corrects is None:
            msg = "corrects_id is not a check of this person"
            raise InvalidInput("corrects_unknown", msg, {"corrects_id": [msg]})
    check, created = check_services.check_record(
        observation=member, source=CheckSource.STAFF, actor=actor, corrects=corrects, **data
    )
    return Status(201 if created else 200, _check_out(check, created))


class SelfCheckIn(CheckValues):
    pass


class SelfCheckOut(Schema):
    ok: bool
    fever: bool
    late: bool
    created: bool


@router.post(
    "/checkin/{token}",
    auth=None,
    response={200: SelfCheckOut, 201: SelfCheckOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Public self check-in by personal link (unknown or expired token: 404)",
)
@api_requires(PUBLIC)
def self_checkin(request: ActorRequest, token: str, payload: SelfCheckIn) -> Status[Any]:
    result = selfcheck.self_check_submit(token=token, **payload.dict())
    if result is None:
        raise Http404
    check, created = result
    return Status(
        201 if created else 200,
        SelfCheckOut(ok=True, fever=check.fever, late=check.late, created=created),
    )


class AlertOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    observation_id: uuid.UUID
    kind: str
    status: str
    level: str
    region_code: str
    slot_date: date
    slot_index: int | None
    created_at: datetime
    action: str


def _alert_out(a: Alert) -> AlertOut:
    return AlertOut(
        id=a.pk,
        person_id=a.observation.person_id,
        observation_id=a.observation_id,
        kind=a.kind,
        status=a.status,
        level=a.level,
        region_code=a.region_code,
        slot_date=a.slot_date,
        slot_index=a.slot_index,
        created_at=a.created_at,
        action=a.action,
    )


class AlertFilter(Schema):
    status: str = ""
    kind: str = ""


@router.get("/alerts", auth=AUTH, response={200: list[AlertOut], **ERRORS})
@api_requires(VIEW_MONITORING)
@paginate(LimitOffsetPagination)
def list_alerts(request: ActorRequest, filters: Query[AlertFilter]) -> list[AlertOut]:
    qs = alert_selectors.alerts(request.actor, **filters.dict())
    return [_alert_out(a) for a in qs]


class CloseIn(Schema):
    action: str


@router.post(
    "/alerts/{alert_id}/acknowledge", auth=AUTH, response={200: AlertOut, **ERRORS, **CONFLICT}
)
@api_requires(RECORD_CHECKS)
def acknowledge_alert(request: ActorRequest, alert_id: uuid.UUID) -> AlertOut:
    actor = request.actor
    alert = get_visible_or_404(Alert.objects.all(), actor, RECORD_CHECKS, pk=alert_id)
    return _alert_out(alert_services.alert_acknowledge(actor=actor, alert=alert))


@router.post("/alerts/{alert_id}/close", auth=AUTH, response={200: AlertOut, **ERRORS, **CONFLICT})
@api_requires(RECORD_CHECKS)
def close_alert(request: ActorRequest, alert_id: uuid.UUID, payload: CloseIn) -> AlertOut:
    actor = request.actor
    alert = get_visible_or_404(Alert.objects.all(), actor, RECORD_CHECKS, pk=alert_id)
    return _alert_out(alert_services.alert_close(actor=actor, alert=alert, action=payload.action))
