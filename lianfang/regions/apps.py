from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "lianfang.regions"
    label = "regions"
    verbose_name = "区域网格"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lianfang.regions import permissions  # noqa: F401
        from lianfang.regions.models import Region

        auditlog.register(Region)
