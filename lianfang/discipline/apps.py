from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "lianfang.discipline"
    label = "discipline"
    verbose_name = "纪检监察"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.utils.translation import gettext_lazy as _

        from lianfang.core import navigation
        from lianfang.discipline.models import Kind
        from lianfang.discipline.permissions import VIEW
        from lianfang.regions.services import register_region_code_column

        auditlog.register(Kind)
        for label in ("discipline.Clue", "discipline.ClueEvent"):
            register_region_code_column(label, "region_code")
        navigation.register("discipline:register", _("问题线索"), VIEW, 60)

        from lianfang.discipline import jobs, worktiles  # noqa: F401

        worktiles.register_all()
