from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser, OutputWrapper

from config.env import process_env
from lianfang.core.webserver import control_socket_args, wait_until_answering


def _commands(host: str, port: int, workers: int) -> dict[str, list[str]]:
    """The three processes: gunicorn, the task worker, the scheduler."""
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--logger-class",
            "lianfang.core.gunicorn_logger.RedactingLogger",
            "--graceful-timeout",
            "5",
            *control_socket_args(port),
            # Path only: query strings (an API search may carry an ID number) stay out of logs.
            "--access-logformat",
            '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        ],
        "worker": [*manage, "db_worker", "--no-reload", "--interval", "1"],
        "scheduler": [*manage, "scheduler"],
    }


def _supervise(
    running: dict[str, subprocess.Popen[bytes]],
    host: str,
    port: int,
    stdout: OutputWrapper,
    stderr: OutputWrapper,
    on_ready: Callable[[], None] | None,
) -> None:
    """Until Ctrl-C, SIGTERM or one of the processes exits."""
    stopping = False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if wait_until_answering(host, port):
        stdout.write(f"lianfang 已启动：http://{host}:{port}/ （web、worker、scheduler）")
        if on_ready is not None:
            on_ready()
    else:
        stderr.write("web did not answer within 60 s")
    while not stopping:
        for name, proc in running.items():
            if proc.poll() is not None:
                stderr.write(f"{name} exited with {proc.returncode}; stopping")
                stopping = True
        time.sleep(0.5)


def run_services(
    *,
    host: str,
    port: int,
    workers: int,
    stdout: OutputWrapper,
    stderr: OutputWrapper,
    env: dict[str, str] | None = None,
    background_log: Path | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Run the web server, the task worker and the scheduler until Ctrl-C (or one exits).
    ``background_log``: where the worker's and the scheduler's output goes instead of the
    console; ``on_ready`` runs once the web server answers."""
    procs = _commands(host, port, workers)
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        **(env or {}),
    }
    log: IO[str] | None = open(background_log, "a", encoding="utf-8") if background_log else None  # noqa: SIM115
    running = {
        name: subprocess.Popen(  # noqa: S603
            cmd,
            env=child_env,
            stdout=log if name != "web" else None,
            stderr=subprocess.STDOUT if log and name != "web" else None,
        )
        for name, cmd in procs.items()
    }
    try:
        _supervise(running, host, port, stdout, stderr, on_ready)
    finally:
        for proc in running.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in running.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if log is not None:
            log.close()


class Command(BaseCommand):
    help = "同时运行网页服务（gunicorn）、后台任务 worker 和定时调度器；Ctrl-C 全部停止。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        run_services(
            host=options["host"],
            port=options["port"] or process_env.port,
            workers=options["workers"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
