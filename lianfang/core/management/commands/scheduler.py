from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianfang.core import scheduler


class Command(BaseCommand):
    help = "运行定时任务调度器（每个任务槽只执行一次）。Run the periodic job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="tick once and exit")
        parser.add_argument("--interval", type=float, default=20.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            for job, slot in scheduler.tick():
                self.stdout.write(f"{job} {slot.isoformat()}")
            return
        scheduler.run_forever(interval=options["interval"])
