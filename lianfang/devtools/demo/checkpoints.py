"""Demo checkpoints: 兰州西收费站 (highway exit), 沙井驿 (city exit) and 北环路 in three
communities, two weeks of day and night shifts with their duty rosters, thousands of vehicles
(mostly local cars passing, some from key areas, priority vehicles logged in one tap), a few fevers
sent to the clinic, hand-overs to communities — mostly acknowledged in time, some overdue and
escalated.

Routine vehicles are written in bulk (the same rows the service writes: encrypted, masked);
hand-overs go through ``services.record_check`` so each creates its registry person,
registration and deadline exactly as at a real checkpoint."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.utils import timezone

from lianfang.accounts.models import Membership
from lianfang.checkpoints import jobs, services
from lianfang.checkpoints.models import (
    Checkpoint,
    DutyRole,
    Handover,
    Occupant,
    Shift,
    ShiftMember,
    VehicleCheck,
)
from lianfang.core import crypto
from lianfang.core.identity import mask_id, mask_phone
from lianfang.core.scoping import Actor, Grant
from lianfang.devtools.testdata import id_number
from lianfang.regions.models import Level, Region

DAYS = 14
SITES = [
    ("兰州西收费站", "G30 连霍高速兰州西出口", ["进城", "出城"]),
    ("沙井驿检查站", "G312 沙井驿出城方向", ["进城", "出城"]),
    ("北环路卡点", "北环路与安宁西路交叉口", ["进城"]),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
ORIGINS = ["620100", "620100", "620100", "620200", "620500", "610100", "420100", "640100"]


def reset() -> None:
    Handover.objects.all().delete()
    Occupant.objects.all().delete()
    VehicleCheck.objects.all().delete()
    ShiftMember.objects.all().delete()
    Shift.objects.all().delete()
    Checkpoint.objects.all().delete()


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _officer(code: str) -> Actor:
    user_id = (
        Membership.objects.filter(role="checkpoint_officer", region_code=code[:9])
        .values_list("user_id", flat=True)
        .first()
    )
    return Actor(user_id=user_id, grants=(Grant("checkpoint_officer", code[:9]),))


def seed(rng: random.Random, today: date) -> dict[str, int]:
    with disable_auditlog():
        return _seed(rng, today)


def _seed(rng: random.Random, today: date) -> dict[str, int]:
    now = timezone.now()
    communities = list(
        Region.objects.filter(level=Level.COMMUNITY, code__startswith="620105").order_by("code")
    )
    hosts = [communities[0], communities[len(communities) // 2], communities[-1]]
    checkpoints = [
        Checkpoint.objects.create(name=n, location=loc, directions=d, region=h, region_code=h.code)
        for (n, loc, d), h in zip(SITES, hosts, strict=True)
    ]
    counts = {"checkpoints": 3, "shifts": 0, "vehicles": 0, "occupants": 0, "handovers": 0}
    seq = 900_000_000
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        for cp in checkpoints:
            officer = _officer(cp.region_code)
            for kind, start_h in (("day", 8), ("night", 20)):
                opened = timezone.make_aware(datetime.combine(day, time(start_h)))
                if opened > now:
                    continue
                closed = opened + timedelta(hours=12)
                shift = Shift.objects.create(
                    checkpoint=cp,
                    region_code=cp.region_code,
                    kind=kind,
                    opened_at=opened,
                    opened_by_id=officer.user_id,
                )  # open while its checks are recorded, closed below once they are
                ShiftMember.objects.bulk_create(
                    ShiftMember(shift=shift, name=_name(rng), duty=d)
                    for d in (
                        DutyRole.POLICE,
                        DutyRole.TRAFFIC_POLICE,
                        DutyRole.MEDICAL,
                        DutyRole.VOLUNTEER,
                    )
                )
                counts["shifts"] += 1
                end = min(closed, now)
                n = rng.randint(60, 90) if kind == "day" else rng.randint(10, 20)
                checks, occupants = [], []
                for _i in range(n):
                    at = opened + (end - opened) * rng.random()
                    origin = rng.choice(ORIGINS)
                    priority = "supply" if rng.random() < 0.04 else ""
                    check = VehicleCheck(
                        checkpoint=cp,
                        shift=shift,
                        region_code=cp.region_code,
                        plate=f"甘A{rng.randint(10000, 99999)}"
                        if origin.startswith("62")
                        else f"鄂A{rng.randint(10000, 99999)}",
                        vehicle_type="truck" if priority else "car",
                        direction=rng.choice(cp.directions),
                        origin_code=origin,
                        destination="620105",
                        key_area=origin == "420100",
                        priority=priority,
                        checked_by_id=officer.user_id,
                        checked_at=at,
                    )
                    people = 0 if priority else rng.randint(1, 4)
                    check.occupant_count = people
                    checks.append(check)
                    for k in range(people):
                        seq += 1
                        number = id_number(seq)
                        phone = f"139{seq % 100_000_000:08d}"
                        occupants.append(
                            Occupant(
                                check_record=check,
                                region_code=cp.region_code,
                                seq=k + 1,
                                full_name=_name(rng),
                                id_number_enc=crypto.encrypt(number, services.ID_LABEL),
                                id_number_bidx=crypto.blind_index(number, services.ID_LABEL),
                                id_number_masked=mask_id(number),
                                phone_enc=crypto.encrypt(phone, services.PHONE_LABEL),
                                phone_masked=mask_phone(phone),
                                temperature=Decimal("36.") + Decimal(rng.randint(1, 9)) / 10,
                                health_code="green",
                                outcome="pass" if rng.random() > 0.01 else "turned_back",
                            )
                        )
                VehicleCheck.objects.bulk_create(checks, batch_size=500)
                Occupant.objects.bulk_create(occupants, batch_size=500)
                counts["vehicles"] += len(checks)
                counts["occupants"] += len(occupants)
                if kind == "day":
                    counts["handovers"] += _handovers(rng, cp, officer, communities, opened, end)
                if closed <= now:
                    Shift.objects.filter(pk=shift.pk).update(
                        closed_at=closed,
                        closed_by_id=officer.user_id,
                        handover_note="交接正常，物资充足",
                    )
    _acknowledge(rng, now)
    jobs.escalate_now(now)  # what is still open past its deadline goes up
    return counts


def _handovers(
    rng: random.Random,
    cp: Checkpoint,
    officer: Actor,
    communities: list[Region],
    opened: datetime,
    end: datetime,
) -> int:
    """Two or three travellers a day bound for a community (one with fever now and then)."""
    made = 0
    for _i in range(rng.randint(2, 3)):
        at = opened + (end - opened) * rng.random()
        target = rng.choice(communities)
        occupants = [
            {
                "full_name": _name(rng),
                "id_number": id_number(rng.randint(600_000_000, 699_999_999)),
                "phone": f"137{rng.randint(10_000_000, 99_999_999)}",
                "temperature": "36.6",
                "health_code": "green",
                "outcome": "handover",
                "destination_region_code": target.code,
                "address": f"{target.name}{rng.randint(1, 20)}号楼",
            }
        ]
        if rng.random() < 0.15:
            occupants.append(
                {
                    "full_name": _name(rng),
                    "id_number": id_number(rng.randint(600_000_000, 699_999_999)),
                    "temperature": "38.1",
                    "health_code": "green",
                    "outcome": "fever_clinic",
                }
            )
        services.record_check(
            actor=officer,
            checkpoint=cp,
            data={
                "plate": f"鄂A{rng.randint(10000, 99999)}",
                "vehicle_type": "car",
                "direction": cp.directions[0],
                "origin": "420100",
                "destination": "620105",
                "occupants": occupants,
            },
            now=at,
        )
        made += 1
    return made


def _acknowledge(rng: random.Random, now: datetime) -> None:
    """Communities acknowledge most hand-overs within the deadline, some late, a few not yet."""
    for h in Handover.objects.filter(status="pending").order_by("created_at"):
        roll = rng.random()
        if h.created_at > now - timedelta(hours=3) or roll < 0.05:
            continue  # still open (recent, or overdue and escalated)
        delay = timedelta(minutes=rng.randint(15, 100)) if roll < 0.9 else timedelta(hours=3)
        if h.created_at + delay > h.due_at:  # late: the escalation job had moved it up first
            Handover.objects.filter(pk=h.pk).update(level="subdistrict", escalated_at=h.due_at)
        worker = (
            Membership.objects.filter(role="community_worker", region_code=h.region_code)
            .values_list("user_id", flat=True)
            .first()
        )
        services.acknowledge(
            actor=Actor(user_id=worker, grants=(Grant("community_worker", h.region_code),)),
            handover=h,
            result=rng.choice(["contacted", "at_home", "address_confirmed"]),
            note="已电话联系，已到家",
            now=min(h.created_at + delay, now),
        )
