"""Reads of work orders, always from the actor's scope. Who sees an order:

- the unit it is dispatched to (its handler's role on the order's region, once routed);
- dispatchers, overseers and the hotline in their territory — never a confidential order;
- the discipline office: confidential orders (and those dispatched to it), nobody else; every
  other role, the command office included, gets 404 for them.

The reporter's name and phone are never part of what a unit reads (``reporter_*`` are only
revealed with a logged purpose)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from lianfang.cases import codes
from lianfang.cases.models import Category, Handler, State, WorkOrder
from lianfang.cases.permissions import (
    DISPATCH,
    HANDLE_COMMUNITY,
    HANDLE_DISCIPLINE,
    HANDLE_MARKET,
    HANDLE_SUBDISTRICT,
    INTAKE,
    OVERSEE,
)
from lianfang.core import crypto
from lianfang.core.cache import per_process
from lianfang.core.scoping import Actor

HANDLER_PERMS = {
    Handler.COMMUNITY: HANDLE_COMMUNITY,
    Handler.SUBDISTRICT: HANDLE_SUBDISTRICT,
    Handler.SANITATION: HANDLE_SUBDISTRICT,
    Handler.MARKET: HANDLE_MARKET,
    Handler.DISCIPLINE: HANDLE_DISCIPLINE,
    Handler.INTAKE: INTAKE,
}
PHONE_LABEL = "cases.reporter_phone"
NAME_LABEL = "cases.reporter_name"
TEXT_LABEL = "cases.text"
PLACE_LABEL = "cases.place"
MESSAGE_LABEL = "cases.message"


def _nothing() -> Q:
    return Q(pk__in=[])


def visibility(actor: Actor) -> Q:
    """The filter of the orders ``actor`` may read."""
    q = _nothing()
    for handler, perm in HANDLER_PERMS.items():
        scope = actor.scope_q(perm, "region_code")
        if scope is not None:
            q |= Q(handler=handler, routed=True) & scope
    for perm in (INTAKE, DISPATCH, OVERSEE):
        scope = actor.scope_q(perm, "region_code")
        if scope is not None:
            q |= Q(confidential=False) & scope
    scope = actor.scope_q(HANDLE_DISCIPLINE, "region_code")
    if scope is not None:
        q |= Q(confidential=True) & scope
    return q


def visible(actor: Actor) -> Any:
    return WorkOrder.objects.filter(visibility(actor))


def counted(actor: Actor) -> Any:
    """The orders ``actor``'s statistics count: the visible ones, and for those who oversee a
    territory its confidential orders too — as figures only, never as records (DOMAIN §5)."""
    q = visibility(actor)
    for perm in (INTAKE, DISPATCH, OVERSEE):
        scope = actor.scope_q(perm, "region_code")
        if scope is not None:
            q |= Q(confidential=True) & scope
    return WorkOrder.objects.filter(q)


def get_order(actor: Actor, pk: Any) -> WorkOrder:
    try:
        found: WorkOrder = visible(actor).select_related("category").get(pk=pk)
        return found
    except (WorkOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def may_handle(actor: Actor, order: WorkOrder) -> bool:
    """Whether ``actor`` is the unit the order is dispatched to."""
    perm = HANDLER_PERMS[Handler(order.handler)]
    return order.routed and actor.can(perm, order.region_code)


def may_dispatch(actor: Actor, order: WorkOrder) -> bool:
    if order.confidential:
        return actor.can(HANDLE_DISCIPLINE, order.region_code)
    return actor.can(DISPATCH, order.region_code)


def may_dispatch_to(actor: Actor, order: WorkOrder, region_code: str) -> bool:
    """Whether ``actor`` may send ``order`` to the unit at ``region_code``."""
    perm = HANDLE_DISCIPLINE if order.confidential else DISPATCH
    return actor.can(perm, region_code)


def may_intake(actor: Actor, order: WorkOrder) -> bool:
    if order.confidential:
        return actor.can(HANDLE_DISCIPLINE, order.region_code)
    return actor.can(INTAKE, order.region_code)


def categories_in_force(day: date | None = None) -> dict[str, Category]:
    """Each code's latest version effective on ``day`` (today), active ones only, by code.
    Kept a minute per process (the public form reads them on every submission); a new version
    saved here clears it (``categories_changed``)."""
    return _categories_on(day or timezone.localdate())


def categories_changed() -> None:
    _categories_on.cache_clear()


@per_process(seconds=60, maxsize=16)
def _categories_on(day: date) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for category in Category.objects.filter(effective_from__lte=day).order_by(
        "code", "-effective_from"
    ):
        found.setdefault(category.code, category)
    return {code: c for code, c in sorted(found.items(), key=lambda kv: kv[1].order) if c.is_active}


def by_reporter_phone(actor: Actor, phone: str) -> Any:
    """Earlier orders from the same phone (blind index), within the actor's scope."""
    bidx = crypto.blind_index(phone, PHONE_LABEL)
    return visible(actor).filter(reporter_phone_bidx=bidx).order_by("-received_at")


def by_place(actor: Actor, place_code: str) -> Any:
    return visible(actor).filter(place_code=place_code).order_by("-received_at")


def public_status(receipt: str, check_code: str) -> WorkOrder | None:
    """The order behind a receipt and its check code, or None — the same None whether the
    receipt is unknown or the code wrong (no hint which part was wrong)."""
    receipt = "".join(str(receipt or "").split()).upper()
    order = WorkOrder.objects.filter(receipt=receipt).first() if receipt else None
    if order is None or order.check_hash == "":
        codes.waste(str(check_code or ""))  # the same work as a wrong code
        return None
    if not codes.matches(str(check_code or "").strip().upper(), order.check_hash):
        return None
    while order.state == State.MERGED and order.merged_into_id is not None:
        order = WorkOrder.objects.get(pk=order.merged_into_id)
    return order


def text_of(order: WorkOrder) -> str:
    return crypto.decrypt(order.text_enc, TEXT_LABEL)


def place_of(order: WorkOrder) -> str:
    return crypto.decrypt(order.place_enc, PLACE_LABEL) if order.place_enc else ""


def district_code() -> str:
    """The district this deployment serves (the first active district region), kept a minute
    per process once there is one."""
    code = _district_code()
    if not code:  # a tree still being loaded: ask again next time
        _district_code.cache_clear()
    return code


@per_process(seconds=60)
def _district_code() -> str:
    from lianfang.regions.models import Level, Region

    code = (
        Region.objects.filter(level=Level.DISTRICT, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return code or ""


def _places(district: str) -> list[tuple[str, str, str]]:
    from lianfang.core.regioncode import subtree_q
    from lianfang.regions.models import Level, Region

    return list(
        Region.objects.filter(
            subtree_q("code", district),
            level__in=(Level.COMMUNITY, Level.BUILDING),
            is_active=True,
        )
        .order_by("code")
        .values_list("code", "name", "level")
    )


@per_process(seconds=60, maxsize=8)
def place_codes(district: str) -> frozenset[str]:
    """The district's active communities and buildings, kept a minute per process."""
    return frozenset(code for code, _name, _level in _places(district))


def place_choices(district: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The district's communities grouped under their sub-districts, for a select a phone can
    scroll (a district has some 1,500 buildings: the building goes in the detail text, and
    ``services`` finds it there)."""
    from lianfang.regions.models import Level, Region

    names = dict(
        Region.objects.filter(
            level=Level.SUBDISTRICT, code__in={c[:9] for c in place_codes(district)}
        ).values_list("code", "name")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, level in _places(district):
        if level == "community":
            groups.setdefault(code[:9], []).append((code, name))
    return [(names.get(sd, sd), communities) for sd, communities in groups.items()]


def search(
    actor: Actor,
    *,
    state: str = "",
    category: str = "",
    region: str = "",
    overdue: bool = False,
    q: str = "",
) -> Any:
    """The actor's orders, filtered: a state (or ``open``), a category code, a region's subtree,
    overdue only, a receipt code."""
    from lianfang.core.regioncode import subtree_q

    orders = visible(actor)
    if state == "open":
        orders = orders.filter(
            state__in=[State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS]
        )
    elif state:
        orders = orders.filter(state=state)
    if category:
        orders = orders.filter(category_code=category)
    if region:
        orders = orders.filter(subtree_q("region_code", region))
    if overdue:
        orders = orders.filter(Q(overdue=True) | Q(overdue_sign=True))
    if q:
        orders = orders.filter(receipt=q.strip().upper())
    return orders.order_by("-received_at")


def by_receipt(actor: Actor, receipt: str) -> WorkOrder | None:
    code = "".join(str(receipt or "").split()).upper()
    return visible(actor).filter(receipt=code).first() if code else None


def board_counts(actor: Actor) -> dict[str, int]:
    """The board's tabs: open, to sign (dispatched), overdue, done, and the dispatch queue."""
    from django.db.models import Count

    open_states = [State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS]
    row = visible(actor).aggregate(
        open=Count("pk", filter=Q(state__in=open_states)),
        dispatched=Count("pk", filter=Q(state=State.DISPATCHED)),
        overdue=Count(
            "pk", filter=Q(state__in=open_states) & (Q(overdue=True) | Q(overdue_sign=True))
        ),
        done=Count("pk", filter=Q(state=State.DONE)),
        queue=Count("pk", filter=Q(state=State.RECEIVED, routed=False)),
    )
    return {k: int(v or 0) for k, v in row.items()}


def dispatch_choices(actor: Actor, order: WorkOrder) -> list[tuple[str, str]]:
    """The regions at the order's handler's level the actor may dispatch it to."""
    from lianfang.regions.models import Level, Region

    level = Level.COMMUNITY if order.handler == Handler.COMMUNITY else Level.SUBDISTRICT
    regions = Region.objects.filter(level=level, is_active=True).order_by("code")
    return [(r.code, r.name) for r in regions if may_dispatch_to(actor, order, r.code)]


def handled_by(actor: Actor) -> Any:
    """The orders dispatched to the actor's own unit (not those it oversees)."""
    q = _nothing()
    for handler, perm in HANDLER_PERMS.items():
        scope = actor.scope_q(perm, "region_code")
        if scope is not None and handler != Handler.INTAKE:
            q |= Q(handler=handler, routed=True) & scope
    return WorkOrder.objects.filter(q)


def overdue(orders: Any) -> Any:
    open_states = [State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS]
    return orders.filter(Q(overdue=True) | Q(overdue_sign=True), state__in=open_states)


def to_follow_up(actor: Actor) -> Any:
    """Done orders whose reporter left a phone: the hotline calls them back."""
    return visible(actor).filter(state=State.DONE).exclude(reporter_phone_enc="")


def dispatch_queue(actor: Actor) -> Any:
    return visible(actor).filter(state=State.RECEIVED, routed=False)


def buildings_for(actor: Actor, order: WorkOrder) -> list[tuple[str, str]]:
    """The active buildings of the order's community the actor may register people in."""
    from lianfang.core.regioncode import subtree_q
    from lianfang.people.permissions import REGISTER
    from lianfang.regions.models import Level, Region

    community = order.region_code[:12]
    regions = Region.objects.filter(
        subtree_q("code", community), level=Level.BUILDING, is_active=True
    ).order_by("code")
    return [(r.code, r.name) for r in regions if actor.can(REGISTER, r.code)]


def upcoming_versions() -> list[Category]:
    """Versions that take effect after today."""
    return list(
        Category.objects.filter(effective_from__gt=timezone.localdate()).order_by(
            "effective_from", "order"
        )
    )


def scorecards(actor: Actor, start: date, end: date) -> list[dict[str, Any]]:
    """Per unit (handler × region), the orders received in [start, end]: how many, done on time,
    replied, satisfied among those followed up, sent back for redoing, overdue. The figures the
    discipline office reads (confidential orders only for it)."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count, F

    lo = timezone.make_aware(datetime.combine(start, time.min))
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        visible(actor)
        .filter(received_at__gte=lo, received_at__lt=hi, routed=True)
        .exclude(state=State.MERGED)
        .values("handler", "region_code")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            on_time=Count("pk", filter=Q(done_at__isnull=False, done_at__lte=F("due_at"))),
            replied=Count("pk", filter=~Q(reply="")),
            followed=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic", "unsatisfied"])),
            satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic"])),
            redone=Count("pk", filter=Q(redo_count__gt=0)),
            overdue=Count("pk", filter=Q(overdue=True) | Q(overdue_sign=True)),
        )
        .order_by("region_code", "handler")
    )
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        unit = (row["handler"], unit_code(row["handler"], row["region_code"]))
        if unit not in merged:
            merged[unit] = {**row, "region_code": unit[1]}
            continue
        into = merged[unit]
        for k, v in row.items():
            if k not in ("handler", "region_code"):
                into[k] += v
    names = region_names(code for _h, code in merged)
    out = []
    for row in merged.values():
        row = row | {"region_name": names.get(row["region_code"], row["region_code"])}

        def rate(part: str, whole: str, r: dict[str, Any] = row) -> float | None:
            return round(100 * r[part] / r[whole], 1) if r[whole] else None

        out.append(
            row
            | {
                "handler_label": Handler(row["handler"]).label,
                "on_time_rate": rate("on_time", "done"),
                "reply_rate": rate("replied", "total"),
                "satisfaction_rate": rate("satisfied", "followed"),
                "redo_rate": rate("redone", "total"),
            }
        )
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def by_category(actor: Actor, start: date, end: date) -> list[dict[str, Any]]:
    """Per category, the orders received in [start, end]: how many, done, done on time,
    satisfied among those followed up, overdue; the rates in % (None with nothing to rate)."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count, F

    lo = timezone.make_aware(datetime.combine(start, time.min))
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        counted(actor)
        .filter(received_at__gte=lo, received_at__lt=hi)
        .exclude(state=State.MERGED)
        .values("category_code", "summary")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(done_at__isnull=False)
                & (Q(due_at__isnull=True) | Q(done_at__lte=F("due_at"))),
            ),
            followed=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic", "unsatisfied"])),
            satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic"])),
            overdue=Count("pk", filter=Q(overdue=True) | Q(overdue_sign=True)),
        )
        .order_by("-total")
    )
    return [
        row
        | {
            "on_time_rate": _rate(row["on_time"], row["done"]),
            "satisfaction_rate": _rate(row["satisfied"], row["followed"]),
        }
        for row in rows
    ]


def poster_community(actor: Actor, code: str) -> Any:
    """A community in the actor's territory (handler or overseer), or 404."""
    from lianfang.regions.models import Level, Region

    region = Region.objects.filter(code=code, level=Level.COMMUNITY, is_active=True).first()
    perms = (HANDLE_COMMUNITY, OVERSEE, INTAKE)
    if region is None or not any(actor.can(p, region.code) for p in perms):
        raise Http404
    return region


def region_names(codes: Any) -> dict[str, str]:
    """Names of regions by code, for pages that would otherwise show a raw code."""
    from lianfang.regions.models import Region

    wanted = {c for c in codes if c}
    return (
        dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
    )


def unit_code(order_handler: str, region_code: str) -> str:
    """The unit an order's region stands for: a community order at a building is the
    community's."""
    return region_code[:12] if order_handler == Handler.COMMUNITY else region_code


def by_day(actor: Actor, start: date, end: date) -> list[dict[str, Any]]:
    """Day by day over the period: orders received (repeats not counted), done, done within
    their deadline, followed up with an answer, and satisfied among those (满意 and 基本满意);
    the two rates in % (None on a day with nothing to rate)."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count, F
    from django.db.models.functions import TruncDate

    lo = timezone.make_aware(datetime.combine(start, time.min))
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    orders = counted(actor).exclude(state=State.MERGED)

    def per_day(field: str, **counts: Any) -> dict[date, dict[str, int]]:
        rows = (
            orders.filter(**{f"{field}__gte": lo, f"{field}__lt": hi})
            .annotate(day=TruncDate(field))
            .values("day")
            .annotate(**counts)
        )
        return {r.pop("day"): r for r in rows}

    received = per_day("received_at", received=Count("pk"))
    done = per_day(
        "done_at",
        done=Count("pk"),
        # a question answered at intake has no deadline: done at once counts as on time
        on_time=Count("pk", filter=Q(due_at__isnull=True) | Q(done_at__lte=F("due_at"))),
    )
    answered = ["satisfied", "basic", "unsatisfied"]
    followed = per_day(
        "followed_up_at",
        followed=Count("pk", filter=Q(satisfaction__in=answered)),
        satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic"])),
    )
    days = []
    day = start
    while day <= end:
        row: dict[str, Any] = {
            "day": day,
            "received": 0,
            "done": 0,
            "on_time": 0,
            "followed": 0,
            "satisfied": 0,
        }
        for source in (received, done, followed):
            row.update(source.get(day, {}))
        row["on_time_rate"] = _rate(row["on_time"], row["done"])
        row["satisfaction_rate"] = _rate(row["satisfied"], row["followed"])
        days.append(row)
        day += timedelta(days=1)
    return days


def confidential_intake(exclude: set[Any]) -> list[dict[str, Any]]:
    """(For the discipline register only: a system read, no actor.) The confidential orders not
    in ``exclude``, with their text and reporter opened, so the register can seal them under
    the discipline office's own key."""
    out = []
    orders = WorkOrder.objects.filter(confidential=True).exclude(state=State.MERGED)
    for order in orders.exclude(pk__in=exclude).order_by("received_at"):  # a few dozen a year
        out.append(
            {
                "id": order.pk,
                "region_code": order.region_code,
                "received_at": order.received_at,
                "text": text_of(order),
                "extra": order.extra or {},
                "reporter_name": crypto.decrypt(order.reporter_name_enc, NAME_LABEL),
                "reporter_phone": crypto.decrypt(order.reporter_phone_enc, PHONE_LABEL),
            }
        )
    return out
