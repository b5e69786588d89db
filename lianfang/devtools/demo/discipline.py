"""The demo's clue register (fictional officials, marked as demo data in their facts): the
confidential tip-offs of the cases demo taken in, transfers from the leading group, and
dispositions in each of the four ways — proposed by the officer, approved by the leader."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianfang.accounts.models import Membership
from lianfang.core.scoping import Actor, Grant
from lianfang.discipline import services
from lianfang.discipline.models import Clue, ClueEvent, NumberSequence

TRANSFERS = [
    (
        "desertion",
        "【演示数据】赵某某",
        "卡口值班负责人",
        "培黎街道",
        "2月3日夜间，某交通卡口值班负责人擅自离岗约三小时，期间无人登记过往车辆。",
        "区指挥部督查发现，属擅离职守问题，移送区纪委监委。",
        ("verify", "事实具体，需初步核实"),
    ),
    (
        "concealment",
        "【演示数据】孙某某",
        "社区工作人员",
        "建宁路社区",
        "社区连续两日未按时报送日报告，其中一日零报告与入户排查记录不符。",
        "区指挥部办公室日报告核对中发现，移送核查是否存在瞒报漏报。",
        ("inquiry", "情节较轻，先行函询"),
    ),
    (
        "formalism",
        "【演示数据】周某某",
        "街道干部",
        "西路街道",
        "多次要求社区重复填报同一表格，影响入户排查。",
        "群众反映集中，领导小组转来。",
        ("hold", "反映笼统，暂存待查"),
    ),
    (
        "banquets",
        "【演示数据】吴某某",
        "社区干部",
        "十里店街道",
        "疫情期间在家中组织亲友聚餐十余人。",
        "街道排查中发现，移送处理。",
        ("close", "经了解系谣传，予以了结"),
    ),
]


def reset() -> None:
    ClueEvent.objects.all().delete()
    Clue.objects.all().delete()
    NumberSequence.objects.all().delete()


def _actor(role: str, district: str) -> Actor:
    user_id = (
        Membership.objects.filter(role=role, region_code=district)
        .values_list("user_id", flat=True)
        .first()
    )
    return Actor(user_id=user_id, grants=(Grant(role, district),))


def seed(rng: random.Random, today: date) -> dict[str, int]:
    from lianfang.cases import selectors as cases

    district = cases.district_code()
    officer = _actor("discipline_officer", district)
    leader = _actor("discipline_leader", district)
    counts = {"tipoffs": services.clues_from_tipoffs(), "transfers": 0, "disposed": 0}
    for i, (kind, name, post, unit, facts, reason, proposal) in enumerate(TRANSFERS):
        at = timezone.make_aware(datetime.combine(today - timedelta(days=12 - 3 * i), time(10)))
        data = {
            "source": "transfer",
            "region_code": district,
            "kind": kind,
            "subject_name": name.removeprefix("【演示数据】"),
            "subject_post": post,
            "subject_unit": unit,
            "facts": f"【演示数据】{facts}",
            "transfer_reason": reason,
        }
        clue = services.clue_register(actor=officer, data=data, now=at)
        counts["transfers"] += 1
        way, why = proposal
        clue = services.clue_propose(
            actor=officer, clue=clue, disposition=way, reason=why, now=at + timedelta(hours=3)
        )
        services.clue_approve(actor=leader, clue=clue, note="同意", now=at + timedelta(hours=5))
        counts["disposed"] += 1
    counts["overdue"] = services.clues_overdue_mark()
    return counts
