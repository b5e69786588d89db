from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from config.env import process_env
from lianfang.core.management.commands.serve import run_services


class Command(BaseCommand):
    help = "重置并生成安宁区演示数据，启动服务（web + worker + scheduler），最后打印演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        # The console is for the logins and the web server: notifications (hundreds while
        # seeding) and the worker's and scheduler's lines go to files under var/.
        notifications = settings.VAR_DIR / "demo-notifications.jsonl"
        background = settings.VAR_DIR / "demo-background.log"
        settings.LIANFANG_NOTIFICATIONS = f"file:{notifications}"
        app_logger = logging.getLogger("lianfang")
        level = app_logger.level
        app_logger.setLevel(logging.WARNING)  # the seeding's job summaries
        try:
            call_command("seed_demo")
        finally:
            app_logger.setLevel(level)

        def print_logins() -> None:
            self.stdout.write(
                f"通知写入 {notifications}，worker 与 scheduler 的日志写入 {background}。"
            )
            self.stdout.write("\n演示账号（密码相同；双因素角色需输入验证码）：")
            call_command("demo_accounts", featured=True)

        run_services(
            host="127.0.0.1",
            port=options["port"] or process_env.port,
            workers=2,
            stdout=self.stdout,
            stderr=self.stderr,
            env={"LIANFANG_NOTIFICATIONS": f"file:{notifications}"},
            background_log=background,
            on_ready=print_logins,
        )
