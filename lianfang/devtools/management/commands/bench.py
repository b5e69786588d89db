from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianfang.devtools.bench import benchmarks


class Command(BaseCommand):
    help = (
        "性能基准（在 DATABASE_URL 指定的空数据库上运行）：lianfang bench import --rows N；"
        "lianfang bench rollup；"
        "lianfang bench checkin [--seconds S]。加 --json 输出 JSON。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        for bench in benchmarks().values():
            p = sub.add_parser(bench.name, help=bench.help)
            p.add_argument("--json", action="store_true")
            p.add_argument(
                "--database",
                choices=["sqlite", "postgres"],
                default=None,
                help="import: a label (DATABASE_URL decides); checkin: run on this one only",
            )
            bench.arguments(p)

    def handle(self, *args: Any, **options: Any) -> None:
        bench = benchmarks()[options["what"]]
        result = bench.run(options)
        self.stdout.write(json.dumps(result) if options["json"] else bench.describe(result))
