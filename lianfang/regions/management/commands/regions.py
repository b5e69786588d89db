from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianfang.regions.services import load_csv


class Command(BaseCommand):
    help = (
        "区域网格工具。lianfang regions load FILE.csv："
        "导入或更新官方区划（列 code,name,parent_code 或 level）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load an official region list (CSV, UTF-8)")
        load.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            try:
                report = load_csv(options["file"])
            except FileNotFoundError as exc:
                raise CommandError(f"找不到文件：{options['file']}") from exc
            except UnicodeDecodeError as exc:
                raise CommandError("文件不是 UTF-8 编码的 CSV。") from exc
            for code in report.created:
                self.stdout.write(f"新增 {code}")
            for code, old, new in report.renamed:
                self.stdout.write(f"更名 {code}: {old} → {new}")
            for line, message in report.errors:
                self.stderr.write(f"第 {line} 行：{message}")
            self.stdout.write(
                f"新增 {len(report.created)}，更名 {len(report.renamed)}，未变 {report.unchanged}，"
                f"错误 {len(report.errors)}"
            )
            if report.errors:
                raise CommandError(f"{len(report.errors)} 行未导入（见上）；其余行已导入。")
