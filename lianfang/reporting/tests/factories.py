from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from lianfang.core.scoping import Actor, Grant
from lianfang.regions.models import Region
from lianfang.reporting import services
from lianfang.reporting.models import DailyReport


def unit_actor(code: str, user_id: int | None = None) -> Actor:
    """The actor who reports for the unit ``code`` (community worker, sub-district officer or
    the command office, by the code's length)."""
    role = {12: "community_worker", 9: "subdistrict_officer", 6: "command_office"}[len(code)]
    return Actor(user_id=user_id, grants=(Grant(role, code),))


def report(code: str, day: date) -> DailyReport:
    return services.report_for(Region.objects.get(code=code), day)


def at(moment: str) -> time_machine.travel:
    return time_machine.travel(f"{moment} +0800", tick=False)


def submit(code: str, day: date, moment: str, user_id: int | None = None, **kwargs: Any):
    """Submit ``code``'s report at ``moment`` (local time), confirming a zero report if needed."""
    with at(moment):
        r = report(code, day)
        figures = services.figures_to_submit(r)
        from lianfang.core import indicators

        kwargs.setdefault("confirm_zero", indicators.is_zero(figures))
        return services.report_submit(actor=unit_actor(code, user_id), report=r, **kwargs)
