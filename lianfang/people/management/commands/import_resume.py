from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianfang.people.imports import jobs
from lianfang.people.models import ImportJob, ImportStatus


class Command(BaseCommand):
    help = (
        "继续运行被中断的导入（已处理的行不会重复）。Resume imports left queued or running by a "
        "killed worker; rows already done are skipped, so the end state is the same."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "job_ids", nargs="*", help="import ids; default: every unfinished import"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pending = ImportJob.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        if options["job_ids"]:
            pending = ImportJob.objects.filter(pk__in=options["job_ids"])
            if pending.count() != len(options["job_ids"]):
                raise CommandError("unknown import id")
        for job in pending:
            result = jobs.run(job.pk)
            self.stdout.write(f"{job.pk} {result.status} {result.done}/{result.total}")
