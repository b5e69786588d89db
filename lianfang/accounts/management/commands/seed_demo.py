from __future__ import annotations

import random
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lianfang.accounts import demo as account_demo
from lianfang.accounts.models import ApiToken, Membership, User
from lianfang.core.models import AccessLog
from lianfang.regions import demo as region_demo
from lianfang.regions.models import Region


def holds_non_demo_data() -> bool:
    if User.objects.filter(is_demo=False).exists():
        return True
    # Regions without any demo user: someone loaded real data into this database.
    return Region.objects.exists() and not User.objects.filter(is_demo=True).exists()


@transaction.atomic
def reset_demo() -> dict[str, int]:
    from auditlog.models import LogEntry

    AccessLog.objects.all().delete()
    ApiToken.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.filter(is_demo=True).delete()
    LogEntry.objects.all().delete()
    # Delete the tree leaves first (PROTECT on parent).
    for level in ("building", "community", "subdistrict", "district"):
        Region.objects.filter(level=level).delete()
    rng = random.Random(region_demo.SEED)
    report = region_demo.load_regions()
    if report.errors:
        raise CommandError(f"demo region list has errors: {report.errors[:3]}")
    buildings = region_demo.seed_buildings(rng)
    counts = account_demo.seed_accounts(rng)
    return {"regions": Region.objects.count(), "buildings": len(buildings), **counts}


class Command(BaseCommand):
    help = "迁移数据库并生成安宁区演示数据（拒绝覆盖含有非演示数据的数据库）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if holds_non_demo_data():
            raise CommandError(
                "数据库中有非演示数据，拒绝生成演示数据。请使用空数据库（例如另设 DATABASE_URL）。"
                " The database holds non-demo data; refusing to seed."
            )
        counts = reset_demo()
        self.stdout.write(
            "安宁区演示数据已生成：区域 {regions} 个（楼栋 {buildings}），用户 {users} 个，"
            "任职 {memberships} 条，网格员 {grid_workers} 名。".format(**counts)
        )
