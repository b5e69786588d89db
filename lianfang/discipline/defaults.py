"""The kinds of violations a new district starts with (DOMAIN §5); the office changes them by
adding a version from a date."""

from __future__ import annotations

from datetime import date
from typing import Any

KINDS: list[tuple[str, str]] = [
    ("deployment", "决策部署落实不力"),
    ("formalism", "形式主义官僚主义（不作为、慢作为、乱作为）"),
    ("concealment", "瞒报谎报迟报漏报疫情信息"),
    ("desertion", "擅离职守、临阵退缩、推诿扯皮"),
    ("embezzlement", "贪污挪用截留防控款物和捐赠物资"),
    ("neglect", "群众诉求处置不力"),
    ("rumour_leak", "造谣传谣或泄露个人信息"),
    ("obstruction", "干扰防控或拒收拒治"),
    ("price_gouging", "哄抬物价、违规经营"),
    ("banquets", "违规聚餐聚会"),
    ("other", "其他"),
]
FROM = date(2020, 1, 1)


def seed(kind_model: Any) -> None:
    """The default kinds, once (a migration and the test fixtures call it)."""
    for i, (code, name) in enumerate(KINDS):
        kind_model.objects.get_or_create(
            code=code,
            effective_from=FROM,
            defaults={"name": name, "order": (i + 1) * 10, "epidemic": code != "other"},
        )


SANCTIONS: list[tuple[str, str, str]] = [
    ("criticism", "批评教育", "education"),
    ("admonition_talk", "诫勉谈话", "organisational"),
    ("self_examination", "责令检查", "organisational"),
    ("suspension", "停职检查", "organisational"),
    ("reassignment", "调离岗位", "organisational"),
    ("removal", "免职", "organisational"),
    ("party_warning", "警告", "party"),
    ("party_serious_warning", "严重警告", "party"),
    ("party_post_revoked", "撤销党内职务", "party"),
    ("party_probation", "留党察看", "party"),
    ("party_expulsion", "开除党籍", "party"),
    ("gov_warning", "政务警告", "government"),
    ("gov_demerit", "政务记过", "government"),
    ("gov_major_demerit", "政务记大过", "government"),
    ("gov_demotion", "降级", "government"),
    ("gov_dismissal", "撤职", "government"),
    ("gov_expulsion", "开除", "government"),
]


def seed_sanctions(sanction_model: Any) -> None:
    for i, (code, name, group) in enumerate(SANCTIONS):
        sanction_model.objects.get_or_create(
            code=code,
            effective_from=FROM,
            defaults={"name": name, "group": group, "order": (i + 1) * 10},
        )
