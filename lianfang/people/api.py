# No ``from __future__ import annotations``: django-ninja reads real annotations.
import json
import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from lianfang.core.api import AUTH, ERRORS, ErrorOut, api_requires
from lianfang.core.errors import InvalidInput
from lianfang.core.scoping import ActorRequest, get_visible_or_404
from lianfang.people import selectors, services
from lianfang.people.imports import selectors as import_selectors
from lianfang.people.imports import services as import_services
from lianfang.people.models import ImportJob, Person, Registration
from lianfang.people.permissions import IMPORT, REGISTER, VIEW_PEOPLE
from lianfang.people.transfers import services as transfer_services

router = Router(tags=["people"])


class PersonIn(Schema):
    full_name: str
    id_number: str
    phone: str = ""
    region_code: str
    address: str = ""
    doc_type: str = "resident_id"
    workplace: str = ""
    notes: str = ""


class PersonOut(Schema):
    id: uuid.UUID
    full_name: str
    doc_type: str
    id_number_masked: str
    phone_masked: str
    gender: str
    birth_date: date | None
    region_code: str
    address: str
    existing: bool = False

    @staticmethod
    def of(person: Person, existing: bool = False) -> "PersonOut":
        return PersonOut(
            id=person.pk,
            full_name=person.full_name,
            doc_type=person.doc_type,
            id_number_masked=person.id_number_masked,
            phone_masked=person.phone_masked,
            gender=person.gender,
            birth_date=person.birth_date,
            region_code=person.region_code,
            address=person.address,
            existing=existing,
        )


@router.post(
    "/persons",
    auth=AUTH,
    response={200: PersonOut, 201: PersonOut, 409: ErrorOut, **ERRORS},
    summary="Register a person (an existing document returns the existing person, existing=true)",
    description="A document registered outside the caller's territory answers 409 "
    "`registered_elsewhere` with no personal data; request the person with "
    "`POST /transfers/requests`.",
)
@api_requires(REGISTER)
def create_person(request: ActorRequest, payload: PersonIn) -> Status[Any]:
    person, existing = services.register_person(actor=request.actor, **payload.dict())
    return Status(200 if existing else 201, PersonOut.of(person, existing))


class TransferRequestIn(Schema):
    doc_type: str = "resident_id"
    id_number: str
    region_code: str
    reason: str


class TransferRequestOut(Schema):
    id: uuid.UUID
    status: str
    to_region_code: str


@router.post(
    "/transfers/requests",
    auth=AUTH,
    response={201: TransferRequestOut, 409: ErrorOut, **ERRORS},
    summary="Request the transfer of a person registered elsewhere, by document only",
    description="The community holding the document agrees (the transfer becomes pending and "
    "the requester accepts it into a building) or refuses. Nothing about the person or where "
    "they are registered is returned.",
)
@api_requires(REGISTER)
def request_transfer(request: ActorRequest, payload: TransferRequestIn) -> Status[Any]:
    t = transfer_services.transfer_request(actor=request.actor, **payload.dict())
    out = TransferRequestOut(id=t.pk, status=t.status, to_region_code=t.to_region_code)
    return Status(201, out)


class PersonFilter(Schema):
    q: str = Field("", description="A name: 汉字, pinyin or initials (no digits)")
    category: str = ""
    region: str = ""
    source: str = ""


class PersonSearchIn(Schema):
    q: str = Field(description="A full ID number or phone (exact), or a name")
    category: str = ""
    region: str = ""
    source: str = ""


def _persons(request: ActorRequest, filters: PersonFilter | PersonSearchIn) -> list[Person]:
    return list(
        selectors.persons(
            request.actor,
            q=filters.q,
            category=filters.category,
            region=filters.region,
            source=filters.source,
        )
    )


@router.get(
    "/persons",
    auth=AUTH,
    response={200: list[PersonOut], 400: ErrorOut, **ERRORS},
    summary="Search persons in scope by name",
    description="`q` is a name only: a query with digits (an ID number or phone) answers 400 "
    "`number_in_url`; look those up with `POST /persons/search`, which keeps them out of URLs.",
)
@api_requires(VIEW_PEOPLE)
@paginate(LimitOffsetPagination)
def list_persons(request: ActorRequest, filters: Query[PersonFilter]) -> list[Person]:
    filters.q = selectors.names_only(filters.q)
    return _persons(request, filters)


@router.post(
    "/persons/search",
    auth=AUTH,
    response={200: list[PersonOut], **ERRORS},
    summary="Search persons in scope, exactly by ID number or phone (or by name)",
)
@api_requires(VIEW_PEOPLE)
@paginate(LimitOffsetPagination)
def search_persons(request: ActorRequest, payload: PersonSearchIn) -> list[Person]:
    return _persons(request, payload)


@router.get(
    "/persons/{person_id}",
    auth=AUTH,
    response={200: PersonOut, **ERRORS},
    summary="One person (masked)",
)
@api_requires(VIEW_PEOPLE)
def get_person(request: ActorRequest, person_id: uuid.UUID) -> PersonOut:
    return PersonOut.of(selectors.get_person(request.actor, person_id))


class RegistrationIn(Schema):
    source: str
    origin: str = ""
    departure_date: date | None = None
    arrival_date: date | None = None
    transport: str = ""
    transport_number: str = ""
    contact_with_cases: bool = False
    case_status: str = ""
    symptoms: list[str] = []
    health_code: str = ""
    companion_ids: list[uuid.UUID] = []


class RegistrationOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    source: str
    origin: str
    departure_date: date | None
    arrival_date: date | None
    transport: str
    transport_number: str
    contact_with_cases: bool
    case_status: str
    symptoms: list[str]
    health_code: str
    risk_category: str
    verification: str
    registered_at: datetime
    companion_ids: list[uuid.UUID] = []

    @staticmethod
    def of(reg: Registration) -> "RegistrationOut":
        return RegistrationOut(
            id=reg.pk,
            person_id=reg.person_id,
            source=reg.source,
            origin=reg.origin_code,
            departure_date=reg.departure_date,
            arrival_date=reg.arrival_date,
            transport=reg.transport,
            transport_number=reg.transport_number,
            contact_with_cases=reg.contact_with_cases,
            case_status=reg.case_status,
            symptoms=list(reg.symptoms),
            health_code=reg.health_code,
            risk_category=reg.risk_category,
            verification=reg.verification,
            registered_at=reg.registered_at,
            companion_ids=[c.pk for c in reg.companions.all()],
        )


@router.post(
    "/persons/{person_id}/registrations",
    auth=AUTH,
    response={201: RegistrationOut, 404: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Add a screening registration; the response carries its computed risk_category",
)
@api_requires(REGISTER)
def create_registration(
    request: ActorRequest, person_id: uuid.UUID, payload: RegistrationIn
) -> Status[Any]:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    data = payload.dict()
    wanted = data.pop("companion_ids")
    companions = list(selectors.persons(actor).filter(pk__in=wanted))
    if len(companions) != len(set(wanted)):
        raise InvalidInput(
            "unknown_companion", "Unknown companion id.", {"companion_ids": ["unknown"]}
        )
    reg = services.add_registration(actor=actor, person=person, companions=companions, **data)
    return Status(201, RegistrationOut.of(reg))


@router.get(
    "/persons/{person_id}/registrations",
    auth=AUTH,
    response={200: list[RegistrationOut], **ERRORS},
    summary="A person's screening registrations",
)
@api_requires(VIEW_PEOPLE)
def list_registrations(request: ActorRequest, person_id: uuid.UUID) -> list[RegistrationOut]:
    actor = request.actor
    person = selectors.get_person(actor, person_id)
    return [RegistrationOut.of(r) for r in selectors.registrations_of(actor, person)]


class ImportOut(Schema):
    id: uuid.UUID
    status: str
    dry_run: bool
    total: int
    done: int
    created: int
    linked: int
    updated: int
    queued: int
    rejected: int
    skipped: int = Field(description="blank, subtotal and footer rows (not people)")
    error: str
    notes: list[str] = Field(description="what the import decided on its own (header row, year)")

    @staticmethod
    def of(job: ImportJob) -> "ImportOut":
        return ImportOut(
            id=job.pk,
            status=job.status,
            dry_run=job.dry_run,
            total=job.total,
            done=job.done,
            created=job.created,
            linked=job.linked,
            updated=job.updated,
            queued=job.queued,
            rejected=job.rejected,
            skipped=job.skipped,
            error=job.error,
            notes=[str(line) for line in import_selectors.notes_text(job)],
        )


class ImportCreated(Schema):
    id: uuid.UUID


@router.post(
    "/imports",
    auth=AUTH,
    response={202: ImportCreated, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Upload an arrival list (xlsx, xls, ods, csv); `mapping`: JSON field → header",
)
@api_requires(IMPORT)
def create_import(
    request: ActorRequest,
    file: File[UploadedFile],
    mapping: Form[str] = "",
    dry_run: Form[bool] = False,
) -> Status[Any]:
    try:
        parsed = json.loads(mapping) if mapping else None
    except ValueError as exc:
        raise InvalidInput(
            "mapping_invalid", "mapping is not JSON", {"mapping": ["invalid"]}
        ) from exc
    job = import_services.import_start(
        actor=request.actor,
        name=file.name or "upload",
        content=file.read(),
        mapping=parsed,
        dry_run=dry_run,
    )
    return Status(202, ImportCreated(id=job.pk))


def _job(request: ActorRequest, import_id: uuid.UUID) -> ImportJob:
    return get_visible_or_404(ImportJob.objects.all(), request.actor, IMPORT, pk=import_id)


@router.get(
    "/imports/{import_id}",
    auth=AUTH,
    response={200: ImportOut, **ERRORS},
    summary="Import progress and counts",
)
@api_requires(IMPORT)
def get_import(request: ActorRequest, import_id: uuid.UUID) -> ImportOut:
    return ImportOut.of(_job(request, import_id))


@router.get(
    "/imports/{import_id}/outcomes",
    auth=AUTH,
    response={200: None, **ERRORS},
    summary="Per-row outcome file (xlsx: row number, outcome, reason codes)",
)
@api_requires(IMPORT)
def import_outcomes(request: ActorRequest, import_id: uuid.UUID) -> HttpResponse:
    job = _job(request, import_id)
    response = HttpResponse(
        import_selectors.outcomes_xlsx(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}.xlsx"'
    return response
