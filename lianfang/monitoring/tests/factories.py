from __future__ import annotations

from datetime import date
from typing import Any

from lianfang.core.scoping import Actor, Grant
from lianfang.monitoring.models import Hospital, Quarantine, Room, Site
from lianfang.monitoring.quarantines import services
from lianfang.people.tests.factories import make_person
from lianfang.regions.models import Region


def staff(region_code: str, user_id: int | None = None) -> Actor:
    """An actor with the community roles on ``region_code``'s community."""
    community = region_code[:12]
    return Actor(
        user_id=user_id,
        grants=(Grant("community_worker", community), Grant("doctor", community)),
    )


def make_household(
    region_code: str, names: tuple[str, ...] = ("张三",), address: str = "1单元101"
) -> list[Any]:
    return [make_person(region_code, name, address=address) for name in names]


def make_quarantine(
    region_code: str,
    names: tuple[str, ...] = ("张三",),
    *,
    start: date | None = None,
    basis: date | None = None,
    actor: Actor | None = None,
    address: str = "1单元101",
) -> Quarantine:
    people = make_household(region_code, names, address=address)
    return services.quarantine_start(
        actor=actor or staff(region_code),
        person_ids=[p.pk for p in people],
        start_date=start,
        basis_date=basis,
    )


def make_site(region_code: str, rooms: int = 2, beds: int = 1) -> Site:
    region = Region.objects.get(code=region_code)
    site = Site.objects.create(name=f"隔离点{region_code}", region=region, region_code=region_code)
    Room.objects.bulk_create(
        [Room(site=site, number=f"{i + 1:03d}", beds=beds) for i in range(rooms)]
    )
    return site


def make_hospital(name: str = "安宁区人民医院发热门诊") -> Hospital:
    return Hospital.objects.create(name=name)


def default_policy() -> None:
    """The migration's first policy, again (transactional tests flush migration data)."""
    from datetime import date as _date

    from lianfang.core.symptoms import SYMPTOMS
    from lianfang.monitoring.models import DEFAULT_SLOTS, Policy

    if not Policy.objects.exists():
        Policy.objects.create(
            name="第三至六版诊疗方案：14 天，37.3 °C，每日两次",
            effective_from=_date(2020, 1, 1),
            slots=DEFAULT_SLOTS,
            symptoms=list(SYMPTOMS),
        )


def record_check(observation: Any, temperature: str, source: str = "self") -> Any:
    """A health check as the resident (or staff) would record it, for other apps' tests."""
    from lianfang.monitoring.checks import services as checks

    return checks.check_record(observation=observation, temperature=temperature, source=source)
