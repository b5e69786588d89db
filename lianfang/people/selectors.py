"""Reads on the registry, always from the actor's scope. Search by name (汉字, pinyin, initials)
or exactly by ID number or phone through the blind index: lists never decrypt."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from lianfang.core import crypto
from lianfang.core.cache import per_process
from lianfang.core.errors import DomainError, InvalidInput
from lianfang.core.identity import parse_phone, parse_resident_id
from lianfang.core.regioncode import subtree_q
from lianfang.core.scoping import Actor, get_visible_or_404
from lianfang.people import risk
from lianfang.people.models import DocType, Person, Registration, by_document, by_phone
from lianfang.people.permissions import VIEW_PEOPLE
from lianfang.people.services import ID_LABEL, PHONE_LABEL


def _exact_index(q: str) -> Q | None:
    compact = re.sub(r"[\s-]", "", q)
    if re.fullmatch(r"[0-9]{15}|[0-9]{17}[0-9Xx]", compact):
        try:
            number = parse_resident_id(compact).number
        except InvalidInput:
            return Q(pk__in=[])
        return by_document(DocType.RESIDENT_ID, crypto.blind_index(number, ID_LABEL))
    if re.fullmatch(r"(\+?86|0086)?1[3-9][0-9]{9}|0[0-9]{9,11}", compact):
        try:
            phone = parse_phone(compact)
        except InvalidInput:
            return Q(pk__in=[])
        return by_phone(crypto.blind_index(phone, PHONE_LABEL))
    return None


def names_only(q: str) -> str:
    """``q`` for a search whose text travels in a URL: names (汉字, pinyin, initials) only. A
    digit means an ID number or phone (or a part of one), which must not reach proxies' logs."""
    q = (q or "").strip()
    if any(ch.isdigit() for ch in q):
        msg = _("网址中不能带证件号码或电话：请用 POST /api/v1/persons/search 按号码精确查找。")
        raise DomainError("number_in_url", msg, {"q": [msg]})
    return q


def persons(
    actor: Actor,
    *,
    q: str = "",
    category: str = "",
    region: str = "",
    source: str = "",
    arrived_from: date | None = None,
    arrived_until: date | None = None,
    verification: str = "",
) -> QuerySet[Person]:
    qs = Person.objects.visible_to(actor, VIEW_PEOPLE).active()
    q = (q or "").strip()
    if q:
        exact = _exact_index(q)
        if exact is not None:
            qs = qs.filter(exact)
        else:
            low = q.lower().replace(" ", "")
            qs = qs.filter(
                Q(full_name__contains=q)
                | Q(name_pinyin__startswith=low)
                | Q(name_initials__startswith=low)
            )
    if region:
        qs = qs.filter(subtree_q("region_code", region))
    reg: dict[str, Any] = {}
    if category:
        # The category a person has now: that of the latest registration, not any past one.
        latest = Registration.objects.filter(person=OuterRef("pk")).order_by("-registered_at")
        qs = qs.annotate(current_category=Subquery(latest.values("risk_category")[:1])).filter(
            current_category=category
        )
    if source:
        reg["registrations__source"] = source
    if arrived_from:
        reg["registrations__arrival_date__gte"] = arrived_from
    if arrived_until:
        reg["registrations__arrival_date__lte"] = arrived_until
    if verification:
        reg["registrations__verification"] = verification
    if reg:
        qs = qs.filter(**reg).distinct()
    return qs.select_related("region").order_by("-created_at", "pk")


def get_person(actor: Actor, person_id: Any) -> Person:
    return get_visible_or_404(
        Person.objects.active().select_related("region", "household"),
        actor,
        VIEW_PEOPLE,
        pk=person_id,
    )


def registrations_of(actor: Actor, person: Person) -> QuerySet[Registration]:
    return (
        Registration.objects.visible_to(actor, VIEW_PEOPLE)
        .filter(person=person)
        .prefetch_related("companions")
        .order_by("-registered_at")
    )


def latest_category(person: Person) -> str:
    """The latest registration's risk category in words (a page shows it)."""
    reg = person.registrations.order_by("-registered_at").first()
    return str(reg.get_risk_category_display()) if reg else ""


def home_choices(actor: Actor, perm: str) -> list[tuple[str, str]]:
    """Buildings (or, for a wide scope, communities) the actor may register people into."""
    from lianfang.regions.models import Region

    regions = Region.objects.visible_to(actor, perm).filter(is_active=True)
    buildings = regions.filter(level="building").select_related("parent")
    if buildings.count() <= 300:
        return [
            (b.code, f"{b.parent.name if b.parent else ''} · {b.name}")
            for b in buildings.order_by("code")
        ]
    return [(c.code, c.name) for c in regions.filter(level="community").order_by("code")]


# The dated key-area list as other apps consult it (a checkpoint marks a vehicle from a key
# area as soon as its origin is chosen). It changes a few times a month: a minute's staleness
# is acceptable on the checkpoint's hot path.
KeyAreaRule = risk.KeyAreaRule
is_key_area_arrival = risk.is_key_area_arrival  # a pure function of the rules


@per_process(seconds=60)
def key_area_rules() -> list[risk.KeyAreaRule]:
    return risk.key_area_rules()
