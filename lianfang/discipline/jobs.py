"""``discipline_tipoffs`` (every 5 minutes): confidential tip-offs into the clue register;
``discipline_overdue`` (every 10 minutes): clues past their time marked once;
``discipline_rules`` (hourly): the system rules evaluated for each day not yet evaluated."""

from __future__ import annotations

from django_tasks import task

from lianfang.core.scheduler import register_job
from lianfang.discipline import services


@task()
def tipoffs(slot: str) -> int:
    return services.clues_from_tipoffs()


@task()
def overdue(slot: str) -> int:
    return services.clues_overdue_mark()


register_job("discipline_tipoffs", "*/5 * * * *", lambda s: tipoffs.enqueue(slot=s))
register_job("discipline_overdue", "*/10 * * * *", lambda s: overdue.enqueue(slot=s))


@task()
def raise_rules(slot: str) -> int:
    from lianfang.discipline import raising

    return sum(raising.clues_raise().values())


register_job("discipline_rules", "15 * * * *", lambda s: raise_rules.enqueue(slot=s))
