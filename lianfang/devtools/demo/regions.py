"""The Anning demo district: official sub-districts and communities from the region list, plus
generated buildings. Deterministic (fixed seed): every run gives the same district."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianfang.regions.models import Level, Region
from lianfang.regions.services import ANNING_REGION_LIST, LoadReport, load_csv

DISTRICT_CODE = "620105"
SEED = 2020

_ESTATES = (
    "家属院",
    "小区",
    "花园",
    "新村",
    "家园",
    "公寓",
    "苑",
    "佳园",
    "雅居",
    "嘉园",
)
_ESTATE_WORDS = (
    "黄河",
    "安宁",
    "金城",
    "银滩",
    "桃林",
    "枣林",
    "兰飞",
    "交大",
    "师大",
    "甘铝",
    "长风",
    "万里",
    "培黎",
    "刘家堡",
    "十里店",
    "孔家崖",
    "沙井驿",
    "费家营",
    "福兴",
    "幸福",
)


def load_regions() -> LoadReport:
    return load_csv(ANNING_REGION_LIST)


def seed_buildings(rng: random.Random) -> list[Region]:
    """8–40 buildings per community, in a few estates, codes community + 001…"""
    buildings: list[Region] = []
    communities = Region.objects.filter(
        level=Level.COMMUNITY, code__startswith=DISTRICT_CODE
    ).order_by("code")
    for community in communities:
        count = rng.randint(8, 40)
        estate_count = max(1, count // rng.randint(6, 12))
        local = community.name.removesuffix("社区")
        words = [local, *rng.sample(_ESTATE_WORDS, 3)]
        estates = [words[k % len(words)] + rng.choice(_ESTATES) for k in range(estate_count)]
        for i in range(1, count + 1):
            estate = estates[(i - 1) * estate_count // count]
            buildings.append(
                Region(
                    code=f"{community.code}{i:03d}",
                    name=f"{estate}{i}号楼",
                    level=Level.BUILDING,
                    parent=community,
                )
            )
    return Region.objects.bulk_create(buildings, batch_size=500)


def reset() -> None:
    for level in (Level.BUILDING, Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT):
        Region.objects.filter(level=level).delete()


def seed(rng: random.Random, today: date) -> dict[str, int]:
    report = load_regions()
    if report.errors:
        raise ValueError(f"demo region list has errors: {report.errors[:3]}")
    buildings = seed_buildings(rng)
    # The grid has been running since before the demo's history starts (30 days of reports, two
    # weeks of observation): units are only expected to report for days they existed.
    since = datetime.combine(today - timedelta(days=DEMO_HISTORY_DAYS), time(0, 1))
    Region.objects.update(created_at=timezone.make_aware(since))
    return {"regions": Region.objects.count(), "buildings": len(buildings)}


DEMO_HISTORY_DAYS = 30  # reporting demo: 30 days
