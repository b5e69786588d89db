"""Two weeks of tip-offs and hotline calls: every category, most done in time, some overdue and
escalated, a few repeat calls merged, leads verified and registered, two discipline tips (seen by
the discipline office only), satisfied and unsatisfied follow-ups. Every demo order's check
code is ``DEMO2020`` (one hash for all, so the demo's logins can open any of them)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianfang.accounts.models import Membership
from lianfang.cases import codes, rules, selectors, services
from lianfang.cases.models import (
    Channel,
    Extension,
    Message,
    Photo,
    WorkOrder,
    WorkOrderEvent,
)
from lianfang.cases.workflow import OPEN
from lianfang.core.scoping import Actor, Grant
from lianfang.devtools.testdata import id_number
from lianfang.regions.models import Level, Region

DEMO_CHECK_CODE = "DEMO2020"
DAYS = 14
TEXTS = {
    "epidemic_lead": [
        "楼上邻居前几天从武汉回来，一直没见社区登记",
        "单元里有一家从外地返回，没有居家观察",
        "有人发烧不敢去医院，在家自己吃药",
    ],
    "gathering": ["小区门口有人摆酒席，来了二十多人", "有人在楼下打牌聚集，劝也不散"],
    "sanitation": ["小区门口垃圾堆了三天没人清运", "楼道里堆满杂物和垃圾"],
    "market": ["药店口罩一个卖十块钱", "超市蔬菜价格比平时贵一倍"],
    "quarantine_help": ["居家观察户需要买菜", "居家观察户需要降压药"],
    "question": ["居家观察期间可以下楼取快递吗？", "外地返兰需要做什么登记？"],
    "other": ["小区出入口没有人测温", "建议增加夜间巡查"],
}
WEIGHTS = {
    "epidemic_lead": 30,
    "gathering": 10,
    "sanitation": 20,
    "market": 10,
    "quarantine_help": 15,
    "question": 10,
    "other": 5,
}


def reset() -> None:
    Photo.objects.all().delete()
    Message.objects.all().delete()
    Extension.objects.all().delete()
    WorkOrderEvent.objects.all().delete()
    WorkOrder.objects.filter(merged_into__isnull=False).delete()
    WorkOrder.objects.all().delete()


def _actor(role: str, code: str) -> Actor:
    """The demo user holding ``role`` nearest at or above ``code``."""
    for length in (15, 12, 9, 6):
        user_id = (
            Membership.objects.filter(role=role, region_code=code[:length])
            .values_list("user_id", flat=True)
            .first()
        )
        if user_id:
            return Actor(user_id=user_id, grants=(Grant(role, code[:length]),))
    return Actor(user_id=None, grants=(Grant(role, code[:6]),))


UNIT_ROLE = {
    "community": "community_worker",
    "subdistrict": "subdistrict_officer",
    "sanitation": "subdistrict_officer",
    "market": "sector_inspector",
    "discipline": "discipline_officer",
}


def seed(rng: random.Random, today: date) -> dict[str, int]:
    now = timezone.now()
    check = (DEMO_CHECK_CODE, codes.hash_code(DEMO_CHECK_CODE))
    categories = selectors.categories_in_force(today - timedelta(days=DAYS))
    district = selectors.district_code()
    places = list(
        Region.objects.filter(level=Level.BUILDING, code__startswith=district, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    hotline = _actor("hotline_operator", district)
    kinds = list(WEIGHTS)
    counts = {"orders": 0, "done": 0, "merged": 0, "overdue": 0, "leads_registered": 0}
    seq = 950_000_000
    made: list[WorkOrder] = []
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        for _i in range(rng.randint(16, 24)):
            at = timezone.make_aware(datetime.combine(day, time(8))) + timedelta(
                minutes=rng.randint(0, 12 * 60)
            )
            if at > now:
                continue
            code = rng.choices(kinds, weights=[WEIGHTS[c] for c in kinds])[0]
            phone = f"139{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else ""
            data = {
                "category": code,
                "text": rng.choice(TEXTS[code]),
                "place_code": rng.choice(places),
                "phone": phone,
            }
            clean = rules.clean_tip(data, categories, set(places))
            channel = Channel.HOTLINE if rng.random() < 0.5 else Channel.WEB
            receipt = services.tip_receive(
                clean=clean,
                channel=channel,
                district=district,
                actor=hotline if channel == Channel.HOTLINE else None,
                now=at,
                check=check,
            )
            order = receipt.order
            counts["orders"] += 1
            last = made[-1] if made else None
            if last is not None:
                last.refresh_from_db()
            if last and code == last.category_code and last.state in OPEN and rng.random() < 0.3:
                services.order_merge(actor=hotline, order=order, into=last, now=at)
                counts["merged"] += 1
                continue
            made.append(order)
            seq += 1
            counts["done"] += _work(rng, order, hotline, at, now, seq, counts)
    for offset, text in ((9, "某社区干部把捐赠口罩分给亲友"), (4, "卡口值班人员夜间擅自离岗")):
        at = timezone.make_aware(datetime.combine(today - timedelta(days=offset), time(10)))
        clean = rules.clean_tip(
            {"category": "discipline", "text": text, "extra": {"kind": "其他"}},
            categories,
            set(places),
        )
        services.tip_receive(
            clean=clean, channel=Channel.WEB, district=district, now=at, check=check
        )
        counts["orders"] += 1
    counts["overdue"] = sum(services.overdue_mark(now).values())
    return counts


def _work(
    rng: random.Random,
    order: WorkOrder,
    hotline: Actor,
    at: datetime,
    now: datetime,
    seq: int,
    counts: dict[str, int],
) -> int:
    """Take one order as far as the demo's story goes: most done in time, a few late, the
    newest still open. Returns 1 when the order ended done."""
    if order.handler == "intake":
        services.order_answer(actor=hotline, order=order, reply="已在电话中解答。", now=at)
        return 1
    if not order.routed:
        return 0
    unit = _actor(UNIT_ROLE[order.handler], order.region_code)
    if unit.user_id is None:
        return 0
    roll = rng.random()
    signed = at + timedelta(minutes=rng.randint(10, 150 if roll < 0.9 else 400))
    if signed > now or roll > 0.93:
        return 0  # left unsigned (some become overdue)
    services.order_accept(actor=unit, order=order, now=signed)
    finished = signed + timedelta(hours=rng.randint(2, 60 if roll < 0.8 else 200))
    if finished > now:
        return 0
    if order.epidemic_lead and len(order.region_code) == 15 and rng.random() < 0.6:
        services.lead_register(
            actor=unit,
            order=order,
            person={
                "full_name": rng.choice("王李张刘陈杨") + rng.choice("伟芳娜秀英敏静"),
                "id_number": id_number(seq),
                "phone": "",
                "region_code": order.region_code,
                "address": f"{rng.randint(1, 6)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}",
            },
            screening={"origin": "420100", "arrival_date": finished.date() - timedelta(days=2)},
            now=finished,
        )
        counts["leads_registered"] += 1
    else:
        result = "not_true" if order.epidemic_lead else "solved"
        services.order_reply(
            actor=unit, order=order, result=result, reply="已到现场核实处理。", now=finished
        )
    order.refresh_from_db()
    if order.reporter_phone_enc and finished + timedelta(hours=4) < now:
        later = finished + timedelta(hours=4)
        unhappy = rng.random() < 0.1
        services.order_followup(
            actor=hotline,
            order=order,
            satisfaction="unsatisfied" if unhappy else rng.choice(["satisfied", "basic"]),
            note="反映问题仍未解决" if unhappy else "",
            redo=unhappy,
            now=later,
        )
        if not unhappy:
            services.order_close(actor=hotline, order=order, now=later)
    return 1
