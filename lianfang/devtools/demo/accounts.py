"""Demo accounts for the Anning demo district. One shared password; 2FA roles get a pre-enrolled
TOTP device with a key derived from the username, so ``lianfang demo-accounts`` can show the
current code."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianfang.accounts.models import ApiToken, Membership, User
from lianfang.accounts.roles import TWO_FACTOR_ROLES, Post, Role
from lianfang.regions.models import Level, Region

DEMO_PASSWORD = "Anning2020!"

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁新建志国兴林文霞云莉丹慧鑫晓红梅琳瑞"


def _name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def totp_key(username: str) -> str:
    return hashlib.sha1(f"lianfang-demo:{username}".encode()).hexdigest()  # noqa: S324  (demo key, not a secret)


def current_otp(user: User) -> str | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@dataclass
class Planned:
    username: str
    role: str
    region: Region
    full_name: str
    post: str = ""
    login: bool = True


def plan_accounts(rng: random.Random) -> list[Planned]:
    district = Region.objects.get(code="620105")
    subdistricts = list(
        Region.objects.filter(level=Level.SUBDISTRICT, parent=district).order_by("code")
    )
    communities = list(
        Region.objects.filter(level=Level.COMMUNITY, code__startswith="620105").order_by("code")
    )
    plan = [
        Planned("anning_command", Role.COMMAND_OFFICE, district, "区指挥部值班员"),
        Planned("anning_admin", Role.SYSTEM_ADMIN, district, "系统管理员"),
        Planned("anning_auditor", Role.PRIVACY_AUDITOR, district, "个人信息审计员"),
        Planned("anning_discipline", Role.DISCIPLINE_OFFICER, district, "区纪委监委干部"),
        Planned("anning_jiwei", Role.DISCIPLINE_LEADER, district, "区纪委监委室负责人"),
        Planned("anning_publicity", Role.PUBLICITY_OFFICER, district, "区委宣传部干部"),
        Planned("anning_supplies", Role.SUPPLIES_KEEPER, district, "区物资保障组"),
        Planned("anning_inspector", Role.SECTOR_INSPECTOR, district, "区市场监管局干部"),
        Planned("anning_hotline", Role.HOTLINE_OPERATOR, district, "区疫情防控热线接线员"),
    ]
    for sd in subdistricts:
        n = sd.code[-3:]
        plan.append(Planned(f"sd{n}_officer", Role.SUBDISTRICT_OFFICER, sd, _name(rng)))
        plan.append(Planned(f"sd{n}_checkpoint", Role.CHECKPOINT_OFFICER, sd, _name(rng)))
        plan.append(Planned(f"sd{n}_inspector", Role.SECTOR_INSPECTOR, sd, _name(rng)))
    for c in communities:
        plan.append(Planned(f"cw{c.code[6:]}", Role.COMMUNITY_WORKER, c, _name(rng)))
        plan.append(Planned(f"doc{c.code[6:]}", Role.DOCTOR, c, _name(rng)))
        plan.append(Planned(f"vol{c.code[6:]}", Role.VOLUNTEER, c, _name(rng)))
    return plan


def seed_accounts(rng: random.Random) -> dict[str, int]:
    """Create the planned accounts plus a grid worker for every 1–4 buildings and a building
    leader (楼栋长, no login) for every building. Fast: one password hash, bulk inserts."""
    password = make_password(DEMO_PASSWORD)
    plan = plan_accounts(rng)
    buildings = list(
        Region.objects.filter(level=Level.BUILDING, code__startswith="620105").order_by("code")
    )
    gw_index = 0
    i = 0
    while i < len(buildings):
        span = rng.randint(1, 4)
        gw_index += 1
        group = [b for b in buildings[i : i + span] if b.parent_id == buildings[i].parent_id]
        username = f"gw{gw_index:04d}"
        for b in group:
            plan.append(Planned(username, Role.GRID_WORKER, b, ""))
        i += len(group)
    for b in buildings:
        plan.append(
            Planned(
                f"ld{b.code[6:]}", Role.VOLUNTEER, b, _name(rng), Post.BUILDING_LEADER, login=False
            )
        )

    users: dict[str, User] = {}
    for p in plan:
        if p.username in users:
            continue
        users[p.username] = User(
            username=p.username,
            full_name=p.full_name or _name(rng),
            region_code=p.region.code if p.role != Role.GRID_WORKER else p.region.code[:12],
            password=password if p.login else make_password(None),
            is_demo=True,
        )
    User.objects.bulk_create(users.values(), batch_size=500)
    saved = {u.username: u for u in User.objects.filter(username__in=users.keys())}
    Membership.objects.bulk_create(
        [
            Membership(
                user=saved[p.username],
                role=p.role,
                region=p.region,
                region_code=p.region.code,
                post=p.post,
            )
            for p in plan
        ],
        batch_size=500,
    )
    two_factor = {p.username for p in plan if p.role in TWO_FACTOR_ROLES}
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(user=saved[u], name="demo", key=totp_key(u), confirmed=True)
            for u in sorted(two_factor)
        ]
    )
    return {"users": len(saved), "memberships": len(plan), "grid_workers": gw_index}


def demo_accounts(*, include_all: bool = True) -> list[dict[str, Any]]:
    """One entry per demo login: username, password, role, region_code, region_name (and otp)."""
    rows: list[dict[str, Any]] = []
    qs = (
        Membership.objects.filter(user__is_demo=True, is_active=True)
        .select_related("user", "region")
        .order_by("user__username", "region_code")
    )
    seen: set[str] = set()
    for m in qs:
        user = m.user
        if not user.has_usable_password() or user.username in seen:
            continue
        seen.add(user.username)
        row: dict[str, Any] = {
            "username": user.username,
            "password": DEMO_PASSWORD,
            "role": m.role,
            "region_code": m.region_code,
            "region_name": m.region.name,
        }
        if m.role in TWO_FACTOR_ROLES:
            row["otp"] = current_otp(user)
        rows.append(row)
    return rows


def non_demo_data() -> str | None:
    if User.objects.filter(is_demo=False).exists():
        return "non-demo users"
    if Region.objects.exists() and not User.objects.filter(is_demo=True).exists():
        return "regions without demo users"
    return None


def reset() -> None:
    ApiToken.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.filter(is_demo=True).delete()


def seed(rng: random.Random, today: date) -> dict[str, int]:
    return seed_accounts(rng)
