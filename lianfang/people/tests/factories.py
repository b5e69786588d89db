from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from lianfang.core.identity import check_char
from lianfang.people import services
from lianfang.people.models import Person
from lianfang.regions.models import Region

_rng = random.Random(7)


_serial = itertools.count()


def resident_id(county: str = "620105", born: str | None = None, seq: int | None = None) -> str:
    """A valid resident ID. Without ``seq``: distinct from every other one this process made
    (random numbers collided once in a thousand pairs and turned two test persons into one)."""
    if seq is not None:  # an explicit sequence asks for the same number every time
        born = born or "19800101"
    else:
        n = next(_serial)
        born = born or (date(1960, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
        seq = n % 1000
    body = f"{county}{born}{seq:03d}"
    return body + check_char(body)


def mobile() -> str:
    return f"13{_rng.randint(0, 9)}{_rng.randint(0, 99999999):08d}"


def make_person(
    region_code: str,
    full_name: str = "张三",
    *,
    id_number: str | None = None,
    phone: str | None = None,
    address: str = "1单元101",
) -> Person:
    """A registered person, bypassing permission checks (the service's clean step still runs)."""
    from lianfang.core.scoping import Actor, Grant

    actor = Actor(user_id=None, grants=(Grant("command_office", region_code[:6]),))
    person, _ = services.register_person(
        actor=actor,
        full_name=full_name,
        id_number=id_number or resident_id(),
        phone=phone or mobile(),
        region_code=region_code,
        address=address if Region.objects.get(code=region_code).level == "building" else "",
    )
    return person


_CJK_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def person_name(prefix: str, n: int, suffix: str = "") -> str:
    """A distinct person's name for test data: ``n`` in Chinese numerals (a name with Arabic
    digits is refused by ``people.rules``)."""
    return f"{prefix}{str(n).translate(_CJK_DIGITS)}{suffix}"
