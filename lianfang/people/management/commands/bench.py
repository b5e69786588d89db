from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "性能基准。lianfang bench import --rows N [--json]：在 DATABASE_URL 指定的（空）数据库上运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="the registry import end to end vs a raw bulk insert")
        imp.add_argument("--rows", type=int, default=100_000)
        imp.add_argument("--json", action="store_true")
        imp.add_argument(
            "--database",
            choices=["sqlite", "postgres"],
            default=None,
            help="label only: the database is the one DATABASE_URL selects",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lianfang.people import bench

        call_command("migrate", interactive=False, verbosity=0)
        result = bench.run(options["rows"])
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"import {result['rows']} rows on {result['database']}: {result['seconds']} s, "
            f"{result['rows_per_s']} rows/s; raw baseline {result['baseline_rows_per_s']} rows/s; "
            f"ratio {result['ratio']}; peak RSS {result['peak_rss_mb']} MB; outcomes {result['outcomes']}"
        )
