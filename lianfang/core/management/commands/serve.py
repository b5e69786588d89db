from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from config.env import process_env


class Command(BaseCommand):
    help = "同时运行网页服务（gunicorn）、后台任务 worker 和定时调度器；Ctrl-C 全部停止。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] or process_env.port
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        procs = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{options['host']}:{port}",
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                "--logger-class",
                "lianfang.core.gunicorn_logger.RedactingLogger",
                "--graceful-timeout",
                "5",
                # Path only: query strings (an API search may carry an ID number) stay out of logs.
                "--access-logformat",
                '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
            ],
            "worker": [*manage, "db_worker", "--no-reload", "--interval", "1"],
            "scheduler": [*manage, "scheduler"],
        }
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        }
        running = {name: subprocess.Popen(cmd, env=env) for name, cmd in procs.items()}  # noqa: S603
        self.stdout.write(
            f"lianfang 已启动：http://{options['host']}:{port}/ （web、worker、scheduler）"
        )
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in running.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping")
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in running.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in running.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
