from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianfang.people.keys import rotate


class Command(BaseCommand):
    help = (
        "用当前密钥（LIANFANG_DATA_KEYS 的第一个）重新加密所有个人信息。Re-encrypt every personal "
        "value under the active key; afterwards the old keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rotate(batch=options["batch"])
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n}")
        self.stdout.write("done")
