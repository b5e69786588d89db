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


# Clues verified and filed as cases, each ending with a sanction (fictional officials).
CASES = [
    (
        "desertion",
        "钱某某",
        "交通卡口值班负责人",
        "刘家堡街道",
        "2月5日20时至次日1时，卡口值班负责人钱某某擅离值守岗位，卡口无人查验登记。",
        "party_serious_warning",
        "direct",
        "钱某某作为卡口值班负责人，于2月5日20时至次日1时擅离值守岗位，造成卡口5小时无人查验登记。",
    ),
    (
        "concealment",
        "李某某",
        "社区党委书记",
        "沙井驿街道",
        "社区连续三日将未完成入户排查的情况以零报告上报。",
        "gov_demerit",
        "main_leader",
        "李某某作为社区党委书记，对2月2日至4日连续三日以零报告代替未完成的入户排查情况负主要领导责任。",
    ),
    (
        "embezzlement",
        "郑某某",
        "社区工作人员",
        "银滩路街道",
        "社区收到的捐赠口罩未登记入账，部分被私自分发给亲友。",
        "admonition_talk",
        "direct",
        "郑某某未按规定登记社区收到的捐赠口罩200只，并将其中30只私自分给亲友。",
    ),
]

# Letters and visits by named residents (fictional), told of acceptance.
LETTERS = [
    ("price_gouging", "某药店", "药店经营者", "西路街道", "药店将普通口罩以每只15元出售。"),
    ("neglect", "", "社区工作人员", "孔家崖街道", "多次打电话反映小区垃圾堆放无人处理。"),
]


def reset() -> None:
    from lianfang.discipline.models import Case, CaseStep, RevealRequest, RuleRun

    CaseStep.objects.all().delete()
    Case.objects.all().delete()
    RevealRequest.objects.all().delete()
    RuleRun.objects.all().delete()
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
    counts["cases"] = _cases(district, officer, leader, today)
    for i, (kind, name, post, unit, facts) in enumerate(LETTERS):
        at = timezone.make_aware(datetime.combine(today - timedelta(days=6 - 2 * i), time(15)))
        clue = services.clue_register(
            actor=officer,
            data={
                "source": "in_person",
                "region_code": district,
                "kind": kind,
                "subject_name": name,
                "subject_post": post,
                "subject_unit": unit,
                "facts": f"【演示数据】{facts}",
                "reporter_name": f"【演示】居民{i + 1}",
                "reporter_phone": f"1380000{i + 1:04d}",
            },
            now=at,
        )
        services.clue_tell_reporter(
            actor=officer,
            clue=clue,
            what="acknowledge",
            how="phone",
            note="已告知受理",
            now=at + timedelta(days=1),
        )
        counts["transfers"] += 1
    from lianfang.discipline import raising

    raised = raising.clues_raise(since=today - timedelta(days=21))
    counts.update({f"raised_{k}": v for k, v in raised.items()})
    counts["overdue"] = services.clues_overdue_mark()
    return counts


def _cases(district: str, officer: Actor, leader: Actor, today: date) -> int:
    from lianfang.discipline import casework

    for i, (kind, name, post, unit, facts, sanction, responsibility, finding) in enumerate(CASES):
        at = timezone.make_aware(datetime.combine(today - timedelta(days=20 - 2 * i), time(9)))
        clue = services.clue_register(
            actor=officer,
            data={
                "source": "transfer",
                "region_code": district,
                "kind": kind,
                "subject_name": name,
                "subject_post": post,
                "subject_unit": unit,
                "facts": f"【演示数据】{facts}",
                "transfer_reason": "区指挥部督查组发现，移送区纪委监委。",
            },
            now=at,
        )
        clue = services.clue_propose(
            actor=officer, clue=clue, disposition="verify", reason="事实具体", now=at
        )
        clue = services.clue_approve(actor=leader, clue=clue, now=at + timedelta(hours=2))
        clue = services.clue_step(
            actor=leader,
            clue=clue,
            action="open_case",
            note="初步核实属实，立案审查调查",
            now=at + timedelta(days=2),
        )
        step_day = timezone.localdate(at) + timedelta(days=3)
        casework.case_step_add(
            actor=officer,
            clue=clue,
            data={"kind": "talk", "on": step_day, "document": "谈话笔录", "note": "本人承认问题"},
            now=at + timedelta(days=3),
        )
        casework.case_decide(
            actor=officer,
            clue=clue,
            data={
                "finding": f"【演示数据】{finding}",
                "sanction": sanction,
                "responsibility": responsibility,
                "deciding_body": "安宁区纪委监委",
                "decided_on": step_day + timedelta(days=3),
            },
            now=at + timedelta(days=6),
        )
        casework.case_decision_approve(
            actor=leader, clue=clue, note="同意", now=at + timedelta(days=6, hours=3)
        )
    return len(CASES)
