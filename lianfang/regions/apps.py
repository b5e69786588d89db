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

        from django.utils.translation import gettext_lazy as _

        from lianfang.core import navigation
        from lianfang.regions.permissions import MANAGE_REGIONS, VIEW_REGION

        navigation.register("regions:home", _("首页"), VIEW_REGION, 10)
        navigation.register("regions:search", _("区域查询"), VIEW_REGION, 90)
        navigation.register("regions:manage", _("区域管理"), MANAGE_REGIONS, 110)
