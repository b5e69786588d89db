"""``workorder_overdue`` (every 10 minutes): orders not signed for or not done by their deadline
are marked once, and the unit and the unit above are told (``services.overdue_mark``)."""

from __future__ import annotations

from django_tasks import task

from lianfang.cases import services
from lianfang.core.scheduler import register_job


@task()
def workorder_overdue(slot: str) -> dict[str, int]:
    return services.overdue_mark()


register_job("cases_workorder_overdue", "*/10 * * * *", lambda s: workorder_overdue.enqueue(slot=s))
