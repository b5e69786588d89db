from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone, translation

from lianfang.devtools import demo


def reset_all() -> None:
    """Delete every app's demo data (in reverse seeding order) and the logs."""
    from auditlog.models import LogEntry

    from lianfang.core.models import AccessLog

    for seeder in reversed(demo.seeders()):
        seeder.reset()
    AccessLog.objects.all().delete()
    LogEntry.objects.all().delete()


@transaction.atomic
def reset_and_seed() -> dict[str, int]:
    """In the site's language whatever is active: the records keep the words they were written
    with (event notes, the change log's names)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _reset_and_seed()


def _reset_and_seed() -> dict[str, int]:
    reset_all()
    rng = random.Random(demo.SEED)
    today = timezone.localdate()
    counts: dict[str, int] = {}
    for seeder in demo.seeders():
        counts.update(seeder.seed(rng, today))
    return counts


class Command(BaseCommand):
    help = "迁移数据库并生成安宁区演示数据（拒绝覆盖含有非演示数据的数据库）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        reason = demo.refusal()
        if reason:
            raise CommandError(
                f"数据库中有非演示数据（{reason}），拒绝生成演示数据。请使用空数据库（例如另设 DATABASE_URL）。"
            )
        counts = reset_and_seed()
        summary = "，".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(f"安宁区演示数据已生成：{summary}。")
