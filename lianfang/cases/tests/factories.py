from __future__ import annotations

from typing import Any

from conftest import DISTRICT
from lianfang.cases import rules, selectors, services
from lianfang.cases.models import Channel
from lianfang.core.scoping import Actor, Grant
from lianfang.regions.models import Region


def place_codes() -> set[str]:
    return set(Region.objects.filter(is_active=True).values_list("code", flat=True))


def tip(
    category: str = "epidemic_lead",
    *,
    place_code: str = "",
    text: str = "楼上邻居从武汉回来没有登记",
    channel: str = Channel.WEB,
    **data: Any,
) -> services.Receipt:
    """A tip received through ``channel`` (the public form by default)."""
    from lianfang.cases import defaults
    from lianfang.cases.models import Category

    defaults.seed(Category)  # a transactional test's flush removes the migration's rows
    clean = rules.clean_tip(
        {"category": category, "text": text, "place_code": place_code, **data},
        selectors.categories_in_force(),
        place_codes(),
    )
    return services.tip_receive(clean=clean, channel=channel, district=DISTRICT)


def unit(role: str, code: str, user_id: int | None = None) -> Actor:
    return Actor(user_id=user_id, username=role, grants=(Grant(role, code),))
