from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lianfang.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from lianfang.core import jobs  # noqa: F401  (registers the scheduled jobs)
        from lianfang.core import logging as lianfang_logging

        lianfang_logging.configure_structlog()
