from __future__ import annotations

from typing import Any

from conftest import DISTRICT
from lianfang.core.scoping import Actor
from lianfang.discipline import services
from lianfang.discipline.models import Clue

TRANSFER = {
    "source": "transfer",
    "region_code": DISTRICT,
    "kind": "desertion",
    "subject_name": "赵某某",
    "subject_post": "卡口值班负责人",
    "subject_unit": "培黎街道",
    "facts": "2月8日夜间，培黎街道某卡口值班负责人擅自离岗约三小时。",
    "transfer_reason": "区指挥部督查中发现，属擅离职守问题，移送纪委监委。",
}


def transferred(actor: Actor, **data: Any) -> Clue:
    from lianfang.discipline import defaults
    from lianfang.discipline.models import Kind

    defaults.seed(Kind)  # a transactional test's flush removes the migration's rows
    return services.clue_register(actor=actor, data={**TRANSFER, **data})
