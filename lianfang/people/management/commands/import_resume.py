from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianfang.people import importer
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
        jobs = ImportJob.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        if options["job_ids"]:
            jobs = ImportJob.objects.filter(pk__in=options["job_ids"])
            if jobs.count() != len(options["job_ids"]):
                raise CommandError("unknown import id")
        for job in jobs:
            result = importer.run(job.pk)
            self.stdout.write(f"{job.pk} {result.status} {result.done}/{result.total}")
