"""Duplicate writes: recording candidates and deciding them. Candidates come from the blind
indexes (same phone) and from names (same pinyin and birth date). A merge re-points every record
that refers to the dropped person — registrations, moves, import rows and whatever later apps
attach — to the kept one, so nothing linked is lost; "not a duplicate" is remembered for the
pair."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianfang.core.errors import InvalidInput, PermissionDeniedError
from lianfang.core.scoping import Actor
from lianfang.people.duplicates.selectors import MERGED, NOT_DUPLICATE, OPEN
from lianfang.people.models import (
    DuplicateCandidate,
    Person,
    PersonStatus,
    Registration,
    by_name_birth,
    by_phone,
)
from lianfang.people.permissions import MERGE


def _pair(a: Person, b: Person, reason: str) -> DuplicateCandidate:
    first, second = sorted([a, b], key=lambda p: str(p.pk))
    return DuplicateCandidate(
        region_code=first.region_code, person_a=first, person_b=second, reason=reason
    )


def duplicate_detect_for(person: Person) -> list[DuplicateCandidate]:
    """Record candidates for ``person`` (a pair already decided stays decided)."""
    active = Person.objects.filter(status=PersonStatus.ACTIVE).exclude(pk=person.pk)
    found: list[DuplicateCandidate] = []
    if person.phone_bidx:
        found += [
            _pair(person, o, "same_phone") for o in active.filter(by_phone(person.phone_bidx))
        ]
    if person.name_birth_key:
        same_name = active.filter(by_name_birth(person.name_birth_key))
        found += [_pair(person, o, "same_name_birth") for o in same_name]
    DuplicateCandidate.objects.bulk_create(found, ignore_conflicts=True)
    return found


def _check(actor: Actor, candidate: DuplicateCandidate) -> None:
    for p in (candidate.person_a, candidate.person_b):
        if not actor.can(MERGE, p.region_code):
            raise PermissionDeniedError("forbidden", _("两人都须在您的辖区内才能处理。"))
    if candidate.status != OPEN:
        raise InvalidInput("already_decided", _("该疑似重复已处理。"))


def _relations() -> list[models.ForeignObjectRel]:
    """Every relation pointing at Person, hidden ones (related_name="+") included."""
    return [
        f
        for f in Person._meta.get_fields(include_hidden=True)
        if isinstance(f, models.ForeignObjectRel) and f.related_model is not DuplicateCandidate
    ]


@transaction.atomic
def duplicate_merge(*, actor: Actor, candidate: DuplicateCandidate, keep: Person) -> Person:
    candidate = (
        DuplicateCandidate.objects.select_for_update()
        .select_related("person_a", "person_b")
        .get(pk=candidate.pk)
    )
    _check(actor, candidate)
    if keep.pk not in (candidate.person_a_id, candidate.person_b_id):
        raise InvalidInput("keep_not_in_pair", _("保留的人员必须是这两人之一。"))
    drop = candidate.person_b if keep.pk == candidate.person_a_id else candidate.person_a
    # The same imported row under both (possible once one of them was merged before and its
    # number imported again): the kept one's registration stands for it, the moved one keeps
    # its answers without the key ((person, import_key) is unique).
    Registration.objects.filter(
        person=drop,
        import_key__in=Registration.objects.filter(person=keep, import_key__isnull=False).values(
            "import_key"
        ),
    ).update(import_key=None)
    for rel in _relations():
        field: Any = rel.field
        if rel.many_to_many:
            column = field.m2m_reverse_field_name()
            through: Any = getattr(rel, "through")  # noqa: B009  (ForeignObjectRel is typed without it)
            through.objects.filter(**{column: drop.pk}).update(**{column: keep.pk})
        else:
            model: Any = rel.related_model
            model._default_manager.filter(**{field.name: drop}).update(**{field.name: keep})
    # Fill what the kept record lacks from the dropped one.
    for field in ("phone_enc", "phone_bidx", "phone_masked", "workplace", "address"):
        if not getattr(keep, field) and getattr(drop, field):
            setattr(keep, field, getattr(drop, field))
    keep.save()
    drop.status = PersonStatus.MERGED
    drop.merged_into = keep
    drop.save(update_fields=["status", "merged_into", "updated_at"])
    DuplicateCandidate.objects.filter(Q(person_a=drop) | Q(person_b=drop)).filter(
        status=OPEN
    ).update(status=MERGED, decided_by_id=actor.user_id, decided_at=timezone.now())
    return keep


@transaction.atomic
def not_duplicate(*, actor: Actor, candidate: DuplicateCandidate) -> DuplicateCandidate:
    candidate = (
        DuplicateCandidate.objects.select_for_update()
        .select_related("person_a", "person_b")
        .get(pk=candidate.pk)
    )
    _check(actor, candidate)
    candidate.status = NOT_DUPLICATE
    candidate.decided_by_id = actor.user_id
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate
