from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianfang.devtools.demo.accounts import demo_accounts

FEATURED = (
    "anning_command",
    "anning_admin",
    "anning_auditor",
    "anning_discipline",
    "anning_jiwei",
    "anning_publicity",
    "anning_supplies",
    "anning_inspector",
    "sd001_officer",
    "sd002_officer",
    "sd001_checkpoint",
    "cw001001",
    "cw002001",
    "doc001001",
    "vol001001",
    "gw0001",
    "gw0002",
)


class Command(BaseCommand):
    help = "列出演示账号（用户名、密码、角色、区域；双因素角色附当前验证码）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="one JSON array with every demo login"
        )
        parser.add_argument(
            "--featured", action="store_true", help="only one or two logins per role"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_accounts()
        if options["featured"]:
            rows = [r for r in rows if r["username"] in FEATURED]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in rows:
            otp = f"  验证码 {r['otp']}" if r.get("otp") else ""
            who = f"{r['username']:<18} {r['password']}  {r['role']:<20}"
            self.stdout.write(f"{who} {r['region_code']:<15} {r['region_name']}{otp}")
        if options["featured"]:
            self.stdout.write(
                "（完整列表：lianfang demo-accounts；验证码每 30 秒变化，重新运行即可获取）"
            )
