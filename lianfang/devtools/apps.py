from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo seeding, benchmarks and load servers. Installed in development and for the benchmark
    server (``LIANFANG_BENCH``), never by production settings; nothing in the product imports it."""

    name = "lianfang.devtools"
    label = "devtools"
    verbose_name = "开发工具"
