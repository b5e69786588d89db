from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianfang.cases"
    label = "cases"
    verbose_name = "举报受理与热线工单"

    def ready(self) -> None:
        from lianfang.cases import cluerules

        cluerules.register()  # its rule for system-raised discipline clues
        from auditlog.registry import auditlog

        from lianfang.cases import indicators, jobs  # noqa: F401
        from lianfang.cases.models import Category, Extension
        from lianfang.regions.services import register_region_code_column

        auditlog.register(Category)
        auditlog.register(Extension)
        for label in ("cases.WorkOrder", "cases.WorkOrderEvent"):
            register_region_code_column(label, "region_code")
        register_region_code_column("cases.WorkOrder", "place_code")

        from django.utils.translation import gettext_lazy as _

        from lianfang.cases.permissions import CONFIGURE, INTAKE, VIEW
        from lianfang.core import navigation

        navigation.register("cases:board", _("工单"), VIEW, 55)
        navigation.register("cases:desk", _("热线受理"), INTAKE, 56)
        navigation.register("cases:categories", _("工单类别"), CONFIGURE, 91)
        indicators.register_all()

        from lianfang.cases import worktiles

        worktiles.register_all()
