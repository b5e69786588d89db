from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "重置并生成安宁区演示数据，打印演示账号，然后启动服务（web + worker + scheduler）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("seed_demo")
        self.stdout.write("\n演示账号（密码相同；双因素角色需输入验证码）：")
        call_command("demo_accounts", featured=True)
        call_command("serve", port=options["port"])
